"""`fargo status`: what is deployed and whether it is well, as one typed report.

The report is the engine's ServiceStatus (stack, tasks, rollouts, targets, scaling, events)
plus the day-two signals: the image running and its digest, who deployed it and when (the
settings record's newest version, engine/revisions), CPU and memory use, recently stopped
tasks, alarm states and the dashboard's URL. `verdict` is what the exit code says: not
deployed (3), deployed but unhealthy (4), or healthy (0).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from fargo import contract
from fargo.config import Settings
from fargo.engine import service_signals as signals
from fargo.engine.aws import AwsContext
from fargo.engine.protocol import LocatedStack
from fargo.engine.status import ServiceStatus
from fargo.errors import FargoError


class Verdict(StrEnum):
    HEALTHY = "healthy"
    UNHEALTHY = "unhealthy"
    NOT_DEPLOYED = "not-deployed"


@dataclass(frozen=True)
class Deployment:
    """The deploy that wrote what runs: image, digest, when and by whom (None: unknown)."""

    image: str | None = None
    digest: str | None = None
    revision: int | None = None
    deployed_at: object = None  # datetime
    deployed_by: str | None = None


@dataclass
class StatusReport:
    service: ServiceStatus
    deployment: Deployment = field(default_factory=Deployment)
    usage: signals.Usage | None = None
    stopped: list[signals.StoppedTask] = field(default_factory=list)
    alarms: list[signals.AlarmState] = field(default_factory=list)
    dashboard_url: str | None = None
    problems: list[str] = field(default_factory=list)  # why it is unhealthy
    unread: list[str] = field(default_factory=list)  # signals that could not be read

    @property
    def verdict(self) -> Verdict:
        if self.service.stack is None or not self.service.stack.has_resources:
            return Verdict.NOT_DEPLOYED
        return Verdict.UNHEALTHY if self.problems else Verdict.HEALTHY


def service_report(aws: AwsContext, settings: Settings) -> StatusReport:
    """Everything `fargo status` shows of the single service."""
    from fargo.stacks import LegacyServiceStack

    return stack_report(aws, LegacyServiceStack(settings))


def stack_report(aws: AwsContext, stack: LocatedStack) -> StatusReport:
    """Everything `fargo status` shows of one stack: a single service's, an environment's
    service's, or the environment's own (no ECS service, so no task signals)."""
    from fargo.engine import stack as cfn
    from fargo.engine.locate import locate
    from fargo.engine.status import gather_status

    service = gather_status(aws, stack)
    report = StatusReport(service)
    if report.verdict == Verdict.NOT_DEPLOYED:
        return report
    resources = cfn.stack_resources(aws, service.stack.stack_id)
    where = locate(resources, stack.watched)
    if contract.DASHBOARD_RESOURCE in resources:
        report.dashboard_url = contract.dashboard_url(aws.region, service.stack_name)
    report.deployment = _attempt(report, "deployment record", _deployment, aws,
                                 service.stack_name) or Deployment()
    if where.found:
        running = _attempt(report, "running image", signals.running_image, aws,
                           where.cluster, where.service)
        if running is not None:
            report.deployment = _with_running(report.deployment, running)
        report.usage = _attempt(report, "CPU and memory", signals.service_usage, aws,
                                where.cluster, where.service)
        report.stopped = _attempt(report, "stopped tasks", signals.stopped_tasks, aws,
                                  where.cluster, where.service) or []
    report.alarms = _attempt(report, "alarms", signals.alarm_states, aws,
                             service.stack_name) or []
    report.problems = health_problems(report, emulated=aws.emulated)
    return report


def health_problems(report: StatusReport, emulated: bool = False) -> list[str]:
    """Why a deployed service is not well: its stack, its tasks, its rollout, its targets,
    its alarms. Under an emulator no task runs, so task counts and targets are not judged."""
    service, problems = report.service, []
    status = service.stack.status if service.stack is not None else ""
    if status.endswith("_FAILED") or "ROLLBACK" in status:
        problems.append(f"stack {status}")
    if not emulated and service.desired is not None and (service.running or 0) < service.desired:
        problems.append(f"{service.running or 0} of {service.desired} tasks running")
    problems += [f"deployment {r.deployment_id} {r.rollout_state}"
                 for r in service.rollouts if r.rollout_state == "FAILED"]
    problems += [f"target {t.target_id}:{t.port} {t.state}"
                 for t in service.targets if t.state not in ("healthy", "draining")]
    problems += [f"alarm {a.name} in ALARM" for a in report.alarms if a.state == "ALARM"]
    return problems


def _deployment(aws: AwsContext, stack_name: str) -> Deployment | None:
    from fargo.engine.revisions import read_revisions

    revisions = read_revisions(aws, stack_name)
    if not revisions:
        return None
    newest = revisions[0]
    return Deployment(newest.image, newest.digest, newest.number, newest.deployed_at,
                      newest.deployed_by)


def _with_running(recorded: Deployment, running: signals.RunningImage) -> Deployment:
    return Deployment(running.image or recorded.image, running.digest or recorded.digest,
                      recorded.revision, recorded.deployed_at, recorded.deployed_by)


def _attempt(report: StatusReport, what: str, read, *args):
    """A signal that cannot be read (a missing permission, say) is named, not fatal."""
    try:
        return read(*args)
    except FargoError as error:
        report.unread.append(f"{what}: {error.problems[0] if error.problems else error}")
        return None
