"""Terminal rendering details that a person would notice."""

from __future__ import annotations

import io

from rich.console import Console

from fargo.cli.render import RichReporter, change_table
from fargo.engine.change_set_calls import ChangeSet, PlannedChange


def test_spinner_is_stopped_while_the_user_is_asked_and_resumes_after():
    console = Console(file=io.StringIO(), force_terminal=True)
    with RichReporter(console) as reporter:
        assert reporter._status._live.is_started
        with reporter.paused():
            assert not reporter._status._live.is_started
        assert reporter._status._live.is_started


def test_change_table_sums_up_the_actions_under_it():
    changes = [PlannedChange("Vpc", "AWS::EC2::VPC", "replace", "changing CidrBlock requires a "
                             "new resource"),
               PlannedChange("Service", "AWS::ECS::Service", "modify"),
               PlannedChange("TaskDefinition", "AWS::ECS::TaskDefinition", "modify")]
    console = Console(file=io.StringIO(), width=160)
    console.print(change_table(ChangeSet("l42-dev", "fargo-1", "id", False, changes)))
    text = console.file.getvalue()
    assert "2 to modify, 1 to replace" in text
    assert "changing CidrBlock requires a new resource" in text
