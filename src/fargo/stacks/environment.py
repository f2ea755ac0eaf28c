"""The environment stack (APP-ENV-env): VPC, load balancer and cluster its services share.

It fills only what the account knows (S3 prefix list, hosted zone, certificate); what it
publishes for its services are SSM parameters, read by their stacks, never by the engine.
No service runs in it, so no health check follows a deploy.
"""

from __future__ import annotations

from fargo import contract
from fargo.config.app import AppConfig
from fargo.engine.protocol import Watched
from fargo.stacks.base import AccountValues, StackBase
from fargo.stacks.service import account_values, slow_resources

ENVIRONMENT_TAG, APP_TAG, SERVICE_TAG = "Environment", "fargo:app", "fargo:service"


def environment_tags(app: AppConfig) -> dict[str, str]:
    """On every stack of the environment: how `fargo env` finds its services' stacks."""
    return {**app.environment.tags, ENVIRONMENT_TAG: app.env_name, APP_TAG: app.app}


class EnvironmentStack(StackBase):
    def __init__(self, app: AppConfig, account: AccountValues = AccountValues()) -> None:
        self.app, self.account = app, account
        self.stack_name = app.environment_stack_name

    def render(self) -> str:
        from fargo.template.environment import build_environment_template

        return build_environment_template(self.app).to_json()

    @property
    def tags(self) -> dict[str, str]:
        return environment_tags(self.app)

    def values(self) -> dict[str, str]:
        return account_values(self.app.environment, self.account)

    @property
    def watched(self) -> Watched:
        return Watched(cluster_resource=contract.CLUSTER_RESOURCE,
                       slow_resources=slow_resources(self.app.environment),
                       url_outputs=(contract.OUTPUT_URL,))
