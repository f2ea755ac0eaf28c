"""One type per stack kind, as copilot-cli's `deploy/cloudformation/stack`: each renders its
template, names its stack, its tags and the parameters it fills on create and update, and
says what the engine watches, what outlives it and what health check follows a deploy.

The engine takes any of them (`fargo.engine.protocol.DeployableStack`) and owns no names.
Stacks are pure: what only the account knows (prefix list, hosted zone, certificate) is looked
up by `fargo.commands` and handed in as `AccountValues`.

    LegacyServiceStack   NAME-ENV: today's single service (VPC, load balancer, service)
    RegistryStack        NAME-ENV-registry, APP-ENV-SERVICE-registry: the ECR repository
    EnvironmentStack     APP-ENV-env: what an environment's services share
    EnvServiceStack      APP-ENV-SERVICE: one service in an environment
"""

from fargo.stacks.base import AccountValues, NamedStack, StackBase, TextStack
from fargo.stacks.env_service import EnvServiceStack
from fargo.stacks.environment import EnvironmentStack
from fargo.stacks.registry import RegistryStack
from fargo.stacks.service import LegacyServiceStack

__all__ = ["AccountValues", "EnvServiceStack", "EnvironmentStack", "LegacyServiceStack",
           "NamedStack", "RegistryStack", "StackBase", "TextStack"]
