"""The container definition, hardened for code the service runs on behalf of strangers.

- user: the UID[:GID] it runs as (the image's own user when unset);
- a read-only root file system, with writable_paths as empty task volumes (Fargate has no
  tmpfs, so each is a bind mount of task storage);
- capabilities dropped (drop_capabilities), an init process that reaps what the code spawns
  and passes SIGTERM on, stop_timeout, ulimits (Fargate has no PID limit setting);
- secrets as ECS `Secrets`: ECS reads them at task start with the execution role; the template
  holds only where they are, never their values.
"""

from __future__ import annotations

import re

from troposphere import AWSHelperFn, Ref, ecs

from fargo.config import Settings
from fargo.template.common import sub
from fargo.template.log_groups import LogGroups


def volume_names(settings: Settings) -> dict[str, str]:
    """writable path -> task volume name, e.g. /app/work -> writable-app-work."""
    names: dict[str, str] = {}
    for path in settings.writable_paths:
        name = "writable-" + re.sub(r"[^A-Za-z0-9_-]", "-", path.strip("/"))[:200]
        while name in names.values():
            name += "-"
        names[path] = name
    return names


def volumes(settings: Settings) -> list[ecs.Volume]:
    return [ecs.Volume(Name=name) for name in volume_names(settings).values()]


def definition(settings: Settings, groups: LogGroups,
               image: AWSHelperFn | None = None) -> ecs.ContainerDefinition:
    """`image`: the image parameter's Ref (parameters module); the settings' image without."""
    container = ecs.ContainerDefinition(
        Name=settings.container_name, Image=settings.image if image is None else image,
        Essential=True,
        PortMappings=[ecs.PortMapping(ContainerPort=settings.port, Protocol="tcp")],
        Environment=[ecs.Environment(Name=k, Value=v)
                     for k, v in sorted(settings.container_variables.items())],
        ReadonlyRootFilesystem=settings.readonly_root_filesystem,
        LinuxParameters=_linux_parameters(settings),
        StopTimeout=settings.stop_timeout,
        LogConfiguration=ecs.LogConfiguration(LogDriver="awslogs", Options={
            "awslogs-group": groups.app, "awslogs-region": Ref("AWS::Region"),
            "awslogs-stream-prefix": settings.container_name,
        }),
    )
    if settings.user:
        container.User = settings.user
    if settings.secrets:
        container.Secrets = [ecs.Secret(Name=s.name, ValueFrom=sub(s.value_from))
                             for s in settings.secret_references]
    if settings.ulimits:
        container.Ulimits = [ecs.Ulimit(Name=name, SoftLimit=limit, HardLimit=limit)
                             for name, limit in sorted(settings.ulimits.items())]
    if settings.writable_paths:
        container.MountPoints = [
            ecs.MountPoint(SourceVolume=name, ContainerPath=path, ReadOnly=False)
            for path, name in volume_names(settings).items()
        ]
    return container


def _linux_parameters(settings: Settings) -> ecs.LinuxParameters:
    # An init process as PID 1 reaps the processes user code (and Exec sessions) leave behind
    # and forwards SIGTERM, so stop_timeout means a clean stop; it needs no capability.
    parameters = ecs.LinuxParameters(InitProcessEnabled=True)
    if settings.drop_capabilities:
        parameters.Capabilities = ecs.KernelCapabilities(Drop=settings.drop_capabilities)
    return parameters
