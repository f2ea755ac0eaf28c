"""What the fault-injection suite found, each pinned by a test of its own: bounded waits for an
endpoint that never answers, throttling retried, a retried call whose first attempt went
through, two deploys at once, an abandoned first create that leaves nothing, an answer that
is not JSON, Ctrl-C during a stack operation, and the ECR password masked in any echo."""

from __future__ import annotations

import base64
import http.server
import json
import threading

import pytest
from engine_support import FAST, answers
from fault_proxy import Fault
from fault_stage import REGION, STACK, fault, fault_stage, reset_emulator
from template_assertions import settings_for

from fargo.engine.aws import AwsContext, CallLimits, refuse_unparsable_json
from fargo.engine.aws_errors import aws_call
from fargo.engine.image import MASK, masked
from fargo.errors import AwsError


@pytest.fixture(scope="module")
def stage(tmp_path_factory):
    with fault_stage(tmp_path_factory.mktemp("build")) as running:
        yield running


# -- an endpoint that accepts and never answers ---------------------------------------------


class SilentEndpoint:
    """Accepts every connection and request, and never answers."""

    def __init__(self) -> None:
        self.requests = 0
        self.closing = threading.Event()
        endpoint = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                endpoint.requests += 1
                endpoint.closing.wait()

            def log_message(self, *_args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self) -> SilentEndpoint:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()


def silent_context(url: str, **limits) -> AwsContext:
    return AwsContext(region=REGION, endpoint_url=url, emulated=True,
                      credentials={"aws_access_key_id": "x", "aws_secret_access_key": "x"},
                      limits=CallLimits(**limits))


def test_default_limits_connect_fast_read_per_call_and_try_a_timed_out_call_twice():
    limits = CallLimits()
    assert (limits.connect_seconds, limits.read_seconds, limits.timeout_tries) == (5, 15, 2)
    assert limits.read_timeout("s3", "PutObject") == 60
    assert limits.read_timeout("cloudformation", "DescribeStacks") == 15
    config = AwsContext(region=REGION).client("cloudformation").meta.config
    assert (config.connect_timeout, config.read_timeout) == (5, 15)
    assert config.retries == {"mode": "standard", "total_max_attempts": 8}


def read_timeouts_sent(client) -> list[float]:
    """The read timeout each attempt of the client's calls went out with (fargo's hook sets
    it before this one runs)."""
    sent: list[float] = []

    def record(request, **_):
        sent.append(request.context["read_timeout"])

    client.meta.events.register_last("before-send", record)
    return sent


def test_a_hanging_endpoint_costs_two_read_timeouts_not_eight_attempts_of_a_minute():
    with SilentEndpoint() as endpoint:
        aws = silent_context(endpoint.url, read_seconds=0.3)
        client = aws.client("cloudformation")
        sent = read_timeouts_sent(client)
        with pytest.raises(AwsError, match="did not answer in time") as failed:
            with aws_call("reading stack l42-dev"):
                client.describe_stacks(StackName=STACK)
    # two attempts, each allowed the 0.3 s read timeout, and no third one
    assert endpoint.requests == 2
    assert sent == [0.3, 0.3]
    assert "2 tries without an answer" in str(failed.value)


def test_the_command_timeout_bounds_a_call_with_all_its_retries():
    with SilentEndpoint() as endpoint:
        aws = silent_context(endpoint.url, read_seconds=5, timeout_tries=10)
        aws.limit_calls_to(0.5)
        client = aws.client("cloudformation")
        sent = read_timeouts_sent(client)
        with pytest.raises(AwsError, match="no answer within 0 s|no answer within 1 s"):
            with aws_call("reading stack l42-dev"):
                client.describe_stacks(StackName=STACK)
    # the one attempt the budget allows reads for what is left of 0.5 s, not for 5 s, and
    # the budget, spent, stops the other nine tries
    assert endpoint.requests == 1
    assert len(sent) == 1 and 0.05 <= sent[0] <= 0.5


def test_status_against_an_endpoint_that_never_answers_ends_with_one_line(stage):
    reset_emulator()
    hung = fault("hang", "cloudformation:DescribeStacks#1")
    outcome = stage.fargo("status", fault=hung)
    assert outcome.exit_code == 1, outcome
    assert outcome.lines == [outcome.last_line], outcome
    assert "did not answer in time (2 tries without an answer)" in outcome.last_line
    assert [status for _attempt, status in stage.proxy.answers("DescribeStacks")] == [None, None]


# -- throttling and calls whose answer was lost ------------------------------------------


def test_throttling_that_never_ends_is_one_line_saying_so(stage):
    reset_emulator()
    outcome = stage.fargo("status", fault=Fault("throttle", "cloudformation", "DescribeStacks"))
    assert outcome.exit_code == 1, outcome
    assert "AWS kept throttling after retries" in outcome.last_line
    assert len(stage.proxy.answers("DescribeStacks")) == 8  # botocore's standard retries


def test_a_retried_create_change_set_that_went_through_uses_its_own_change_set(stage):
    reset_emulator()
    assert stage.fargo(*stage.deploy_args("light")).exit_code == 0
    lost = fault("lost500", "cloudformation:CreateChangeSet#2")
    outcome = stage.fargo(*stage.deploy_args("light"), "--max-count", "3", fault=lost)
    assert outcome.exit_code == 0 and "deployed" in outcome.stderr, outcome
    # the retry was told the change set exists: it is this deploy's own, and it ran
    creates = [status for attempt, status in stage.proxy.answers("CreateChangeSet")]
    assert creates[-2:] == [500, 400]
    assert not stage.inventory().get("change sets")


def test_an_execute_that_went_through_before_its_500_is_followed_not_repeated(stage):
    reset_emulator()
    assert stage.fargo(*stage.deploy_args("light")).exit_code == 0
    lost = fault("lost500", "cloudformation:ExecuteChangeSet#1")
    outcome = stage.fargo(*stage.deploy_args("light"), "--max-count", "3", fault=lost)
    assert outcome.exit_code == 0 and "deployed" in outcome.stderr, outcome
    # the first attempt executed it; the retry was answered InvalidChangeSetStatus
    assert stage.proxy.answers("ExecuteChangeSet") == [(1, 500), (2, 400)]
    assert max_tasks(stage) == 3


# -- two deploys at once ------------------------------------------------------------------


def test_of_two_deploys_at_once_the_loser_names_the_change_set_it_lost(stage):
    from fargo.commands.deploy import deploy_service
    from fargo.emulator.server import LOCAL_CREDENTIALS

    reset_emulator()
    assert stage.fargo(*stage.deploy_args("light")).exit_code == 0

    def the_other_deploy() -> None:
        other = AwsContext(region=REGION, endpoint_url=stage.emulator_url, emulated=True,
                           credentials=dict(LOCAL_CREDENTIALS))
        result, _ = deploy_service(other, settings_for(certificate_arn=None, max_count=4),
                                   answers(), FAST)
        assert result.outcome == "deployed"

    race = Fault("meanwhile", "cloudformation", "ExecuteChangeSet", attempts=1,
                 meanwhile=the_other_deploy)
    loser = stage.fargo(*stage.deploy_args("light"), "--max-count", "3", fault=race)
    assert race.hits == 1
    assert loser.exit_code == 1, loser
    assert "can no longer be executed" in loser.last_line
    assert "another deploy ran at the same time" in loser.last_line
    assert "deployed" not in loser.stderr
    assert max_tasks(stage) == 4  # the winner's update stands
    assert not stage.inventory().get("change sets")
    assert stage.fargo("destroy", "--yes").exit_code == 0
    assert stage.inventory() == {}


def max_tasks(stage) -> int:
    """The service's scaling maximum, as the emulator holds it now."""
    import boto3

    scaling = boto3.client("application-autoscaling", region_name=REGION,
                           endpoint_url=stage.emulator_url, aws_access_key_id="x",
                           aws_secret_access_key="x")
    (target,) = scaling.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
    return target["MaxCapacity"]


# -- an abandoned first create leaves nothing ---------------------------------------------


def test_a_first_create_declined_at_the_prompt_leaves_no_certificate(aws):
    from fargo.commands.deploy import deploy_service

    settings = settings_for(certificate_arn=None)
    result, _ = deploy_service(aws, settings, answers(confirm=False), FAST)
    assert result.outcome == "cancelled"
    assert aws.client("acm").list_certificates()["CertificateSummaryList"] == []
    assert aws.client("cloudformation").describe_stacks()["Stacks"] == []


def test_ctrl_c_after_an_execute_went_through_says_the_operation_goes_on(stage):
    reset_emulator()
    outcome = stage.fargo(*stage.deploy_args("light"),
                          fault=fault("interrupt", "cloudformation:ExecuteChangeSet#1"))
    assert outcome.exit_code == 130, outcome
    assert outcome.last_line.startswith("interrupted: fargo-"), outcome
    assert "goes on in AWS" in outcome.last_line and "error:" not in outcome.stderr
    assert stage.fargo("destroy", "--yes").exit_code == 0
    assert stage.inventory() == {}


# -- answers that are not AWS answers -----------------------------------------------------


class _Operation:
    name = "ListCertificates"
    has_streaming_output = False

    class service_model:  # noqa: N801
        resolved_protocol = "json"
        metadata = {"protocol": "json"}


@pytest.mark.parametrize("body", [b'{"truncated": [1, ', b"<html>proxy error</html>", b"[1]"])
def test_a_json_answer_that_is_not_a_json_object_is_refused(body):
    from botocore.parsers import ResponseParserError

    with pytest.raises(ResponseParserError, match="ListCertificates answered something"):
        refuse_unparsable_json(_Operation(), {"status_code": 200, "body": body})


@pytest.mark.parametrize("response", [
    {"status_code": 200, "body": b'{"CertificateSummaryList": []}'},
    {"status_code": 200, "body": b""},
    {"status_code": 500, "body": b"<html>bad gateway</html>"},  # botocore retries it
])
def test_json_answers_and_error_answers_pass_untouched(response):
    refuse_unparsable_json(_Operation(), response)


# -- the ECR password ---------------------------------------------------------------------

# The shape of a real ECR password: a long base64 blob (payload, data key, version, type).
ECR_PASSWORD = base64.b64encode(json.dumps({
    "payload": "a" * 600, "datakey": "b" * 300, "version": "2", "type": "DATA_KEY",
    "expiration": 1700000000}).encode()).decode()


@pytest.mark.parametrize("echo", [
    ECR_PASSWORD,  # whole
    f"Error: login attempt with password={ECR_PASSWORD} failed",  # inside a longer line
    f'{{"auth": "{ECR_PASSWORD[:200]}..."}}',  # cut short, quoted
    f"{ECR_PASSWORD[:700]}\n{ECR_PASSWORD[700:]}",  # wrapped across two lines
])
def test_any_echo_of_the_ecr_password_is_masked(echo):
    shown = masked(f"docker said: {echo} (exit 1)", [ECR_PASSWORD])
    assert MASK in shown and "docker said:" in shown and "(exit 1)" in shown
    assert not any(ECR_PASSWORD[i:i + 12] in shown for i in range(len(ECR_PASSWORD) - 11))


def test_masking_leaves_text_without_the_password_alone():
    text = "Error response from daemon: Get https://1234.dkr.ecr: unauthorized"
    assert masked(text, [ECR_PASSWORD]) == text


def test_a_failed_login_masks_the_password_wherever_docker_echoes_it(tmp_path, monkeypatch):
    import os
    import stat
    import sys

    from moto import mock_aws

    from fargo.engine.image import DockerCommandError, ecr_login

    script = tmp_path / "docker"
    script.write_text(f"#!{sys.executable}\nimport sys\npassword = sys.stdin.read()\n"
                      "print('login failed: auth=' + password + '; retry later')\n"
                      "print(password[:15]); print(password[15:])\nsys.exit(1)\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    with mock_aws():
        aws = AwsContext(region=REGION, emulated=True)
        token = aws.client("ecr").get_authorization_token()["authorizationData"][0]
        password = base64.b64decode(token["authorizationToken"]).decode().partition(":")[2]
        with pytest.raises(DockerCommandError) as failed:
            ecr_login(aws, "123456789012.dkr.ecr.eu-west-1.amazonaws.com")
    shown = str(failed.value)
    assert "login failed: auth=********; retry later" in shown
    assert password not in shown and password[:15] not in shown


def test_an_interruption_line_is_shown_as_is_with_exit_130():
    from fargo.cli.funnel import describe
    from fargo.engine.deploy import FollowInterrupted

    lines, code = describe(FollowInterrupted("interrupted: the stack operation goes on in AWS"))
    assert (lines, code) == (["interrupted: the stack operation goes on in AWS"], 130)
