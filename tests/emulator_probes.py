"""Probes of plain moto (no fargo adaptation installed): each returns True while the gap that
one module of fargo.emulator closes is still there. Run as a script by
test_emulator_canaries.py, in a process of its own, so fargo's patches are not loaded."""

from __future__ import annotations

import json
import os

os.environ.setdefault("AWS_ACCESS_KEY_ID", "probe")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "probe")

import boto3  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from moto import mock_aws  # noqa: E402

REGION = "eu-west-1"
TOPIC = {"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}


def _cfn():
    return boto3.client("cloudformation", region_name=REGION)


def _change_set(cfn, template, parameters=None, kind="CREATE", name="cs1"):
    return cfn.create_change_set(
        StackName="probe", ChangeSetName=name, TemplateBody=json.dumps(template),
        ChangeSetType=kind, Parameters=[{"ParameterKey": k, "ParameterValue": v}
                                        for k, v in (parameters or {}).items()])


def strict_cloudformation() -> bool:
    """moto accepts a parameter the template does not declare."""
    with mock_aws():
        try:
            _change_set(_cfn(), TOPIC, {"DesiredCount": ""})
            return True
        except ClientError:
            return False


def change_sets() -> bool:
    """moto raises for an unchanged update, and starts a second stack for a second CREATE
    change set on a stack under review."""
    with mock_aws():
        cfn = _cfn()
        template = {**TOPIC, "Parameters": {"P": {"Type": "String"}}}
        first = _change_set(cfn, template, {"P": "a"})
        cfn.execute_change_set(ChangeSetName=first["Id"], StackName="probe")
        try:
            _change_set(cfn, template, {"P": "a"}, "UPDATE", "cs2")
            raises = False
        except ClientError:
            raises = True
    with mock_aws():
        cfn = _cfn()
        one = _change_set(cfn, TOPIC)
        two = _change_set(cfn, TOPIC, name="cs2")
        second_stack = one["StackId"] != two["StackId"]
    return raises and second_stack


def strict_acm() -> bool:
    """moto's ACM deletes a certificate whatever uses it (checked on its code path)."""
    import inspect

    from moto.acm.models import AWSCertificateManagerBackend

    return "in_use" not in inspect.getsource(AWSCertificateManagerBackend.delete_certificate)


def outputs() -> bool:
    """A stack made by a change set has no outputs."""
    with mock_aws():
        cfn = _cfn()
        template = {**TOPIC, "Outputs": {"Arn": {"Value": {"Ref": "Topic"}}}}
        created = _change_set(cfn, template)
        cfn.execute_change_set(ChangeSetName=created["Id"], StackName="probe")
        return not cfn.describe_stacks(StackName="probe")["Stacks"][0].get("Outputs")


def updates() -> bool:
    """moto updates only resources whose own text changed (nothing follows a Ref)."""
    import inspect

    from moto.cloudformation.parsing import ResourceMap

    source = inspect.getsource(ResourceMap.update)
    return "new[name] != old[name]" in inspect.getsource(ResourceMap.build_resource_diff) and (
        "physical_resource_id" not in source)


def _is_abstract(method) -> bool:
    return hasattr(method, "__isabstractmethod__")


def load_balancer() -> bool:
    """Target groups cannot be updated; CanonicalHostedZoneID is not an attribute."""
    import inspect

    from moto.elbv2.models import FakeLoadBalancer, FakeTargetGroup

    no_update = _is_abstract(FakeTargetGroup.update_from_cloudformation_json)
    attribute = inspect.getsource(FakeLoadBalancer.get_cfn_attribute)
    return no_update and "\"CanonicalHostedZoneID\",\n" in attribute


def _modelled(resource_type: str) -> bool:
    from moto.cloudformation.parsing import get_model_map

    return resource_type in get_model_map()


def scaling() -> bool:
    return not _modelled("AWS::ApplicationAutoScaling::ScalableTarget") and not _modelled(
        "AWS::ApplicationAutoScaling::ScalingPolicy")


def certificates() -> bool:
    return not _modelled("AWS::CertificateManager::Certificate")


def ecs() -> bool:
    """A string DesiredCount breaks the service; a new revision keeps the old deployment."""
    import inspect

    from moto.ecs.models import EC2ContainerServiceBackend, Service

    create = inspect.getsource(Service.create_from_cloudformation_json)
    update = inspect.getsource(EC2ContainerServiceBackend.update_service)
    return "int(" not in create and "deployments = [" not in update


def vpc() -> bool:
    """Deleting a stack does not empty its VPCs first."""
    import inspect

    from moto.cloudformation.parsing import ResourceMap

    return "vpc" not in inspect.getsource(ResourceMap.delete).lower()


def ecr() -> bool:
    """EmptyOnDelete is ignored."""
    import inspect

    from moto.ecr.models import Repository

    return "EmptyOnDelete" not in inspect.getsource(Repository.create_from_cloudformation_json)


def secure_transport() -> bool:
    """A bucket policy denying insecure transport denies every request."""
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="probe", CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_bucket_policy(Bucket="probe", Policy=json.dumps({"Statement": [{
            "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": ["arn:aws:s3:::probe", "arn:aws:s3:::probe/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
        try:
            s3.put_object(Bucket="probe", Key="k", Body=b"x")
            return False
        except ClientError:
            return True


def ssm() -> bool:
    """An AWS::SSM::Parameter with a map of tags fails to create."""
    with mock_aws():
        cfn = _cfn()
        template = {"Resources": {"Published": {"Type": "AWS::SSM::Parameter", "Properties": {
            "Type": "String", "Value": "x", "Name": "/probe/x", "Tags": {"k": "v"}}}}}
        try:
            cfn.create_stack(StackName="probe", TemplateBody=json.dumps(template))
            return False
        except Exception:  # noqa: BLE001  moto raises from inside the call
            return True


def ssm_typed_parameters() -> bool:
    """A stack keeps an SSM-typed parameter's resolved value, not its SSM name, as the
    parameter's value (AWS: the name as ParameterValue, the value as ResolvedValue)."""
    with mock_aws():
        boto3.client("ssm", region_name=REGION).put_parameter(Name="/probe/v", Value="x",
                                                              Type="String")
        cfn = _cfn()
        template = {**TOPIC, "Parameters": {"P": {
            "Type": "AWS::SSM::Parameter::Value<String>", "Default": "/probe/v"}}}
        cfn.create_stack(StackName="probe", TemplateBody=json.dumps(template))
        (parameter,) = cfn.describe_stacks(StackName="probe")["Stacks"][0]["Parameters"]
        return parameter["ParameterValue"] == "x"


def load_balancer_deletion() -> bool:
    """Deleting a stack leaves its target groups in the account."""
    with mock_aws():
        cfn = _cfn()
        template = {"Resources": {
            "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
            "Group": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {
                "Port": 80, "Protocol": "HTTP", "VpcId": {"Ref": "Vpc"}}}}}
        cfn.create_stack(StackName="probe", TemplateBody=json.dumps(template))
        cfn.delete_stack(StackName="probe")
        groups = boto3.client("elbv2", region_name=REGION).describe_target_groups()
        return bool(groups["TargetGroups"])


def ssm_versions() -> bool:
    """A stack update that changes a parameter's value replaces it: its history keeps one
    version (AWS: a new version)."""
    with mock_aws():
        cfn = _cfn()

        def template(value: str) -> str:
            return json.dumps({"Resources": {"Record": {"Type": "AWS::SSM::Parameter",
                                                        "Properties": {"Type": "String",
                                                                       "Value": value,
                                                                       "Name": "/probe/r"}}}})

        cfn.create_stack(StackName="probe", TemplateBody=template("1"))
        cfn.update_stack(StackName="probe", TemplateBody=template("2"))
        history = boto3.client("ssm", region_name=REGION).get_parameter_history(Name="/probe/r")
        return len(history["Parameters"]) < 2


def json_templates() -> bool:
    """moto reads a JSON template body with PyYAML's loader (slow), not as JSON."""
    import moto.cloudformation.models as models

    loads: list[object] = []
    real_load = models.yaml.load

    def counting_load(stream, Loader=None):  # noqa: N803
        loads.append(stream)
        return real_load(stream, Loader=Loader)

    models.yaml.load = counting_load
    try:
        with mock_aws():
            _cfn().create_stack(StackName="probe", TemplateBody=json.dumps(TOPIC))
    finally:
        models.yaml.load = real_load
    return bool(loads)


PROBES = [json_templates, strict_cloudformation, change_sets, strict_acm, outputs, updates,
          load_balancer, scaling, certificates, ecs, vpc, ecr, secure_transport, ssm,
          ssm_typed_parameters, load_balancer_deletion, ssm_versions]

if __name__ == "__main__":
    print(json.dumps({probe.__name__: probe() for probe in PROBES}))
