"""`compare`: the same service under each network profile and with ARM or Spot, side by side,
through a render callable so the cost package stays independent of the settings."""

from __future__ import annotations

import pytest

from fargo.cost import DEFAULT_VARIANTS, Usage, Variant, compare
from fargo.cost.readme import default_render
from fargo.cost.text import markdown_comparison

USAGE = Usage(region="eu-west-1")


@pytest.fixture(scope="module")
def rows():
    return {row.variant.name: row for row in compare(default_render("eu-west-1"), USAGE)}


def test_every_default_variant_gets_a_row_in_order(rows):
    assert list(rows) == [v.name for v in DEFAULT_VARIANTS]


def test_the_profiles_differ_where_their_networks_differ(rows):
    nat, isolated, public = rows["nat (default)"], rows["isolated"], rows["public"]
    assert nat.group("NAT")[0] > 0 and isolated.group("NAT") == (0, 0)
    assert public.group("Endpoints") == (0, 0) and public.group("NAT") == (0, 0)
    assert isolated.group("Endpoints")[0] < nat.group("Endpoints")[0]  # no ssmmessages
    assert public.total[0] < isolated.total[0] < nat.total[0]
    for row in rows.values():  # the load balancer is the same everywhere
        assert row.group("Load balancer") == nat.group("Load balancer")


def test_arm_and_spot_only_change_fargate(rows):
    nat = rows["nat (default)"]
    for name in ("nat, ARM", "nat, Spot", "nat, mixed (1 on-demand, rest Spot)"):
        row = rows[name]
        assert row.group("Fargate")[1] < nat.group("Fargate")[1], name
        assert row.total[0] - row.group("Fargate")[0] == pytest.approx(
            nat.total[0] - nat.group("Fargate")[0]), name
    mixed = rows["nat, mixed (1 on-demand, rest Spot)"]
    assert mixed.group("Fargate")[0] == pytest.approx(nat.group("Fargate")[0])  # the base


def test_the_columns_add_up_to_the_total(rows):
    from fargo.cost.comparison import GROUPS, OTHER

    for row in rows.values():
        assert sum(row.group(c)[0] for c in [*GROUPS, OTHER]) == pytest.approx(row.total[0])


def test_compare_passes_overrides_to_the_render_callable():
    seen = []
    render = default_render("eu-west-1")

    def recording(overrides):
        seen.append(dict(overrides))
        return render(overrides)

    compare(recording, USAGE, [Variant("small", {"cpu": 256, "memory": 512})])
    assert seen == [{"cpu": 256, "memory": 512}]


def test_the_comparison_renders_as_a_markdown_table(rows):
    table = markdown_comparison(list(rows.values()))
    assert table.splitlines()[0].startswith("| variant | total a month | Fargate |")
    assert len(table.splitlines()) == 2 + len(rows)
