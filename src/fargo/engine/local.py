"""The embedded local AWS emulator: moto's server on loopback, adapted where fargo's flow needs it.

Written against moto 5.2.5 (pinned by the `local` extra). Measured gaps, and what we do:
- A stack created by executing a change set gets no Outputs: we rebuild its outputs after
  every change-set execution, from the resources moto did create.
- AWS::ECS::Service takes DesiredCount only as a number (CloudFormation passes strings):
  we convert it. An updated AWS::ECS::TaskDefinition loses its container definitions (their
  keys are not camel-cased as on create): we camel-case them.
- AWS::ApplicationAutoScaling::ScalableTarget and ::ScalingPolicy are skipped: we model both
  on moto's own Application Auto Scaling backend, so `fargo status` can read the scaling.
- Deleting a stack does not delete the ECS cluster, VPC endpoints, NAT gateways, gateway
  attachments, route tables or addresses, so the VPC's own deletion fails: before moto
  deletes a stack's resources, we empty the stack's VPCs of those, as CloudFormation would.
- AWS::CertificateManager::Certificate is skipped: we model it on moto's ACM backend. The
  certificate is requested for its domain and, since CloudFormation waits for DNS validation,
  marked issued at once; its validation CNAME is written to the hosted zone named in
  DomainValidationOptions (an unknown zone fails the resource, as on AWS), and left there when
  the certificate is deleted, as CloudFormation does. Changing the domain replaces it; as
  moto updates only resources whose own template text changed, we move the listeners that
  served the old certificate to the new one, as CloudFormation's update would.
- AWS::Route53::RecordSet with AliasTarget and HostedZoneId works as moto ships it (its name
  is stored without the trailing dot AWS adds), but the load balancer's CanonicalHostedZoneID
  attribute is not implemented (the alias would hold the unresolved Fn::GetAtt): we return
  the zone ID moto's ELBv2 itself reports.
- AWS::ECR::Repository without RepositoryName gets a mixed-case generated name that moto's
  own ECR then refuses (AWS generates lowercase names), and EmptyOnDelete is ignored, so a
  repository holding images cannot be deleted: we lowercase the name and honour EmptyOnDelete.
- Still not modelled, and reported per resource after a local deploy: security-group rules
  declared as separate resources, S3 bucket policies, alarms, WAF. The service's load
  balancer wiring and network configuration are ignored; no container runs, so no target
  ever registers and /health cannot be requested.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Any

MOTO_VERSION = "5.2.5"
LOCAL_REGION = "us-east-1"
LOCAL_CREDENTIALS = {"aws_access_key_id": "fargo-local", "aws_secret_access_key": "fargo-local"}
WHAT_DOES_NOT_RUN = (
    "no container runs: task counts stay 0, no target registers, /health is not requested"
)

_installed = False


def install_adaptations() -> None:
    """Patch moto once per process (idempotent); both --local and the tests use this."""
    global _installed
    if _installed:
        return
    import logging
    import warnings

    import moto

    # fargo reports what the emulator skipped, per resource; moto's own notices are noise.
    warnings.filterwarnings("ignore", category=UserWarning, module=r"moto\..*")
    logging.getLogger("moto").setLevel(logging.ERROR)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    if moto.__version__ != MOTO_VERSION:
        raise RuntimeError(
            f"fargo's local emulator adapts moto {MOTO_VERSION}, found {moto.__version__}: "
            f"install fargo[local] to get the pinned version"
        )
    _outputs_after_change_sets()
    _numeric_desired_count()
    _task_definition_updates_keep_their_containers()
    _scaling_models()
    _certificate_model()
    _load_balancer_zone_attribute()
    _vpc_contents_deleted_with_stack()
    _repository_names_and_empty_on_delete()
    _installed = True


def _repository_names_and_empty_on_delete() -> None:
    from moto.ecr.models import Repository, ecr_backends

    original_create = Repository.create_from_cloudformation_json.__func__

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        repository = original_create(cls, resource_name.lower(), cloudformation_json,
                                     account_id, region_name, **kwargs)
        repository.fargo_empty_on_delete = bool(
            cloudformation_json["Properties"].get("EmptyOnDelete"))
        return repository

    def delete(self, account_id: str, region_name: str) -> None:
        force = getattr(self, "fargo_empty_on_delete", False)
        ecr_backends[account_id][region_name].delete_repository(self.name, force=force)

    Repository.create_from_cloudformation_json = classmethod(create)
    Repository.delete = delete


def _outputs_after_change_sets() -> None:
    from moto.cloudformation.models import ChangeSet

    original_apply = ChangeSet.apply

    def apply_and_refresh_outputs(self) -> None:
        original_apply(self)
        self.stack.template = self.template
        self.stack._parse_template()
        self.stack.output_map = self.stack._create_output_map()

    ChangeSet.apply = apply_and_refresh_outputs


def _vpc_contents_deleted_with_stack() -> None:
    from moto.cloudformation.parsing import ResourceMap
    from moto.ec2.models import ec2_backends

    original_delete = ResourceMap.delete

    def delete_after_emptying_vpcs(self) -> None:
        from moto.ecs.models import ecs_backends

        ec2 = ec2_backends[self._account_id][self._region_name]
        resources = list(self._parsed_resources.values())
        for resource in resources:
            if type(resource).__name__ == "VPC":
                _empty_vpc(ec2, resource.id)
        original_delete(self)
        ecs = ecs_backends[self._account_id][self._region_name]
        for resource in resources:  # moto's Cluster has no delete of its own
            kind = type(resource)
            if kind.__module__ == "moto.ecs.models" and kind.__name__ == "Cluster":
                ecs.delete_cluster(resource.arn)

    ResourceMap.delete = delete_after_emptying_vpcs


def _empty_vpc(ec2: Any, vpc_id: str) -> None:
    """Delete what moto's CloudFormation leaves in a VPC, in the order AWS requires."""
    endpoints = [e.id for e in ec2.vpc_end_points.values() if e.vpc_id == vpc_id]
    ec2.delete_vpc_endpoints(endpoints)
    for endpoint_id in endpoints:
        ec2.vpc_end_points.pop(endpoint_id, None)
    subnets = {s.id for s in ec2.describe_subnets(filters={"vpc-id": [vpc_id]})}
    for gateway in ec2.describe_nat_gateways(filters=None, nat_gateway_ids=None):
        if gateway.subnet_id in subnets:
            ec2.nat_gateways.pop(gateway.id, None)
    for address in list(ec2.addresses):
        interface = getattr(address, "eni", None)
        if interface is not None and interface.subnet.id in subnets:
            ec2.addresses.remove(address)
    for gateway in ec2.describe_internet_gateways(filters={"attachment.vpc-id": [vpc_id]}):
        ec2.detach_internet_gateway(gateway.id, vpc_id)
        ec2.delete_internet_gateway(gateway.id)
    for table in ec2.describe_route_tables(filters={"vpc-id": [vpc_id]}):
        if table.main_association_id:
            continue
        for association_id in list(table._associations):
            ec2.disassociate_route_table(association_id)
        ec2.delete_route_table(table.id)
    for interface in list(ec2.enis.values()):
        if interface.subnet.id in subnets:
            ec2.enis.pop(interface.id, None)


def _task_definition_updates_keep_their_containers() -> None:
    """moto camel-cases container definitions on create but not on update: do it there too."""
    from moto.core.utils import pascal_to_camelcase, remap_nested_keys
    from moto.ecs.models import TaskDefinition

    original = TaskDefinition.update_from_cloudformation_json.__func__

    def update(cls, original_resource, new_resource_name, cloudformation_json, account_id,
               region_name):
        properties = cloudformation_json["Properties"]
        for key in ("ContainerDefinitions", "Volumes"):
            if key in properties:
                properties[key] = remap_nested_keys(properties[key], pascal_to_camelcase)
        return original(cls, original_resource, new_resource_name, cloudformation_json,
                        account_id, region_name)

    TaskDefinition.update_from_cloudformation_json = classmethod(update)


def _numeric_desired_count() -> None:
    from moto.ecs.models import Service

    for name in ("create_from_cloudformation_json", "update_from_cloudformation_json"):
        original = getattr(Service, name).__func__

        def with_int_count(cls, *args, _original=original, **kwargs):
            json_index = 1 if _original.__name__.startswith("create") else 2
            properties = (kwargs.get("cloudformation_json") or args[json_index])["Properties"]
            count = properties.get("DesiredCount")
            if isinstance(count, str):
                properties["DesiredCount"] = int(count) if count else None
            if properties.get("DesiredCount") is None and _original.__name__.startswith("create"):
                properties["DesiredCount"] = 1  # CloudFormation's default for a new service
            return _original(cls, *args, **kwargs)

        setattr(Service, name, classmethod(with_int_count))


@functools.cache
def _model_base() -> type:
    """What fargo's own CloudFormation models of moto share: no attributes, replacement on
    update, and deletion by physical ID (moto calls `delete` on a stack's deletion)."""
    from moto.core.common_models import CloudFormationModel

    class LocalModel(CloudFormationModel):
        @staticmethod
        def cloudformation_name_type() -> str:
            return ""

        @classmethod
        def has_cfn_attr(cls, attr: str) -> bool:
            return False

        @classmethod
        def update_from_cloudformation_json(cls, original_resource, new_resource_name,
                                            cloudformation_json, account_id, region_name):
            original_resource.delete(account_id, region_name)
            return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json,
                                                       account_id, region_name)

        def delete(self, account_id: str, region_name: str) -> None:
            self.delete_from_cloudformation_json(self.physical_resource_id, {}, account_id,
                                                 region_name)

    return LocalModel


def _scaling_models() -> None:
    from moto.applicationautoscaling.models import applicationautoscaling_backends

    def backend(account_id: str, region_name: str):
        return applicationautoscaling_backends[account_id][region_name]

    class LocalScalableTarget(_model_base()):
        """Ref returns 'resource|dimension|namespace', as CloudFormation's own does."""

        def __init__(self, resource_id: str, dimension: str, namespace: str) -> None:
            self.resource_id, self.dimension, self.namespace = resource_id, dimension, namespace

        @property
        def physical_resource_id(self) -> str:
            return f"{self.resource_id}|{self.dimension}|{self.namespace}"

        @staticmethod
        def cloudformation_type() -> str:
            return "AWS::ApplicationAutoScaling::ScalableTarget"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id,
                                            region_name, **kwargs):
            props = cloudformation_json["Properties"]
            target = cls(props["ResourceId"], props["ScalableDimension"], props["ServiceNamespace"])
            scaling = backend(account_id, region_name)
            scaling.register_scalable_target(
                target.namespace, target.resource_id, target.dimension,
                int(props["MinCapacity"]), int(props["MaxCapacity"]), props.get("RoleARN", ""),
                {},
            )
            for action in props.get("ScheduledActions") or []:
                limits = action.get("ScalableTargetAction", {})
                scaling.put_scheduled_action(
                    service_namespace=target.namespace, schedule=action["Schedule"],
                    timezone=action.get("Timezone"),
                    scheduled_action_name=action["ScheduledActionName"],
                    resource_id=target.resource_id, scalable_dimension=target.dimension,
                    start_time=None, end_time=None,
                    scalable_target_action={k: int(v) for k, v in limits.items()},
                )
            return target

        @classmethod
        def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id,
                                            region_name):
            resource_id, dimension, namespace = resource_name.split("|")
            scaling = backend(account_id, region_name)
            for action in list(scaling.scheduled_actions):
                if action.resource_id == resource_id:
                    scaling.scheduled_actions.remove(action)
            if resource_id in scaling.targets.get(dimension, {}):
                scaling.deregister_scalable_target(namespace, resource_id, dimension)

    class LocalScalingPolicy(_model_base()):
        def __init__(self, name: str, target_id: str) -> None:
            self.name, self.target_id = name, target_id

        @property
        def physical_resource_id(self) -> str:
            return f"{self.target_id}|{self.name}"

        @staticmethod
        def cloudformation_name_type() -> str:
            return "PolicyName"

        @staticmethod
        def cloudformation_type() -> str:
            return "AWS::ApplicationAutoScaling::ScalingPolicy"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id,
                                            region_name, **kwargs):
            props = cloudformation_json["Properties"]
            target_id = props["ScalingTargetId"]
            resource_id, dimension, namespace = target_id.split("|")
            body = {"TargetTrackingScalingPolicyConfiguration":
                    _numbers(props.get("TargetTrackingScalingPolicyConfiguration", {}))}
            backend(account_id, region_name).put_scaling_policy(
                props["PolicyName"], namespace, resource_id, dimension, body, props["PolicyType"],
            )
            return cls(props["PolicyName"], target_id)

        @classmethod
        def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id,
                                            region_name):
            resource_id, dimension, namespace, name = resource_name.split("|")
            scaling = backend(account_id, region_name)
            key_matches = [k for k, p in scaling.policies.items()
                           if p.policy_name == name and p.resource_id == resource_id]
            for key in key_matches:
                del scaling.policies[key]

    _register(LocalScalableTarget, LocalScalingPolicy)


def _certificate_model() -> None:
    from moto.acm.models import acm_backends
    from moto.route53.models import route53_backends
    from moto.utilities.utils import get_partition

    def acm(account_id: str, region_name: str):
        return acm_backends[account_id][region_name]

    class LocalCertificate(_model_base()):
        """Ref returns the certificate's ARN, as CloudFormation's own does."""

        def __init__(self, arn: str, properties: dict) -> None:
            self.arn, self.properties = arn, properties

        @property
        def physical_resource_id(self) -> str:
            return self.arn

        @staticmethod
        def cloudformation_type() -> str:
            return "AWS::CertificateManager::Certificate"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id,
                                            region_name, **kwargs):
            props = cloudformation_json["Properties"]
            zones = route53_backends[account_id][get_partition(region_name)]
            options = props.get("DomainValidationOptions") or []
            for option in options:  # an unknown zone fails here, as it does on AWS
                if option.get("HostedZoneId"):
                    zones.get_hosted_zone(option["HostedZoneId"])
            certificates = acm(account_id, region_name)
            arn = certificates.request_certificate(
                props["DomainName"], idempotency_token=None,
                subject_alt_names=list(props.get("SubjectAlternativeNames") or []),
                tags=props.get("Tags") or [],
            )
            certificate = certificates.get_certificate(arn)
            certificate.status = "ISSUED"  # CloudFormation completes only once it is issued
            records = {v["DomainName"]: v["ResourceRecord"]
                       for v in certificate.describe()["Certificate"]["DomainValidationOptions"]}
            for option in options:
                record = records.get(option["DomainName"])
                if option.get("HostedZoneId") and record:
                    zones.get_hosted_zone(option["HostedZoneId"]).upsert_rrset({
                        "Name": record["Name"], "Type": record["Type"], "TTL": "60",
                        "ResourceRecords": [record["Value"]],
                    })
            return cls(arn, props)

        @classmethod
        def update_from_cloudformation_json(cls, original_resource, new_resource_name,
                                            cloudformation_json, account_id, region_name):
            props = cloudformation_json["Properties"]
            if _without_tags(props) == _without_tags(original_resource.properties):
                certificate = acm(account_id, region_name).get_certificate(original_resource.arn)
                certificate.tags.clear()
                certificate.tags.add(props.get("Tags") or [])
                original_resource.properties = props
                return original_resource
            # Any other change replaces the certificate. moto updates only resources whose
            # own template text changed, so the listeners that Ref it are moved here, as
            # CloudFormation would update them; the old certificate goes last, as in the
            # cleanup phase of a CloudFormation update.
            replacement = cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name)
            _move_listeners(account_id, region_name, original_resource.arn, replacement.arn)
            original_resource.delete(account_id, region_name)
            return replacement

        @classmethod
        def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id,
                                            region_name):
            certificates = acm(account_id, region_name)
            if resource_name in certificates._certificates:
                certificates.delete_certificate(resource_name)

    _register(LocalCertificate)


def _move_listeners(account_id: str, region_name: str, old_arn: str, new_arn: str) -> None:
    from moto.acm.models import acm_backends
    from moto.elbv2.models import elbv2_backends

    certificates = acm_backends[account_id][region_name]
    for balancer in elbv2_backends[account_id][region_name].load_balancers.values():
        for listener in balancer.listeners.values():
            if old_arn in listener.certificates or listener.certificate == old_arn:
                listener.certificates = [new_arn if c == old_arn else c
                                         for c in listener.certificates]
                if listener.certificate == old_arn:
                    listener.certificate = new_arn
                certificates.set_certificate_in_use_by(new_arn, balancer.arn)


def _load_balancer_zone_attribute() -> None:
    from moto.elbv2.models import FakeLoadBalancer

    original = FakeLoadBalancer.get_cfn_attribute

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name == "CanonicalHostedZoneID":
            return self.canonical_hosted_zone_id
        return original(self, attribute_name)

    FakeLoadBalancer.get_cfn_attribute = get_cfn_attribute


def _without_tags(properties: dict) -> dict:
    return {k: v for k, v in properties.items() if k != "Tags"}


def _register(*models: type) -> None:
    """Make moto's CloudFormation see fargo's models. It looks models up among the direct
    subclasses of CloudFormationModel; ours derive from a shared base, so they are added."""
    from moto.cloudformation import parsing

    if not _registered:
        moto_models = parsing.get_model_list

        def with_fargo_models() -> list[type]:
            return [*moto_models(), *_registered]

        parsing.get_model_list = with_fargo_models
    _registered.extend(models)
    parsing.get_model_map.cache_clear()
    parsing.get_name_type_map.cache_clear()


_registered: list[type] = []  # fargo's models, in the order they were installed


def _numbers(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, str):
        try:
            return float(value) if "." in value else int(value)
        except ValueError:
            return value
    return value


@dataclass
class LocalEmulator:
    """moto's server in this process, on a free loopback port, for as long as we need it."""

    url: str = ""
    _server: Any = None

    def start(self) -> LocalEmulator:
        try:
            from moto.server import ThreadedMotoServer
        except ImportError:
            from fargo.errors import ConfigError

            raise ConfigError(
                "error: --local needs the emulator: install it with `pip install 'fargo[local]'`"
            ) from None
        install_adaptations()
        os.environ.setdefault("MOTO_CALL_RESET_API", "false")
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.url = f"http://{host}:{port}"
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> LocalEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def ensure_hosted_zone(route53_client: Any, zone_name: str) -> str:
    """The emulator's public zone of that name, created when missing (an emulator starts empty,
    and a domain deploy needs its zone): its ID, without the /hostedzone/ prefix."""
    name = zone_name.rstrip(".") + "."
    zones = route53_client.list_hosted_zones_by_name(DNSName=name)["HostedZones"]
    for zone in zones:
        if zone["Name"] == name and not zone.get("Config", {}).get("PrivateZone"):
            return zone["Id"].rsplit("/", 1)[-1]
    created = route53_client.create_hosted_zone(Name=name, CallerReference=f"fargo-local-{name}")
    return created["HostedZone"]["Id"].rsplit("/", 1)[-1]


def import_self_signed_certificate(acm_client: Any, domain: str = "fargo.localhost") -> str:
    """A throwaway certificate for the emulator's ACM (it refuses listeners without one)."""
    from fargo.engine.certificates import generate_self_signed

    certificate, key = generate_self_signed(domain, [domain])
    response = acm_client.import_certificate(
        Certificate=certificate, PrivateKey=key,
        Tags=[{"Key": "fargo", "Value": "local-self-signed"}],
    )
    return response["CertificateArn"]
