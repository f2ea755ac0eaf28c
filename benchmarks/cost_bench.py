"""Time the cost estimate: in-process, and as a process against synth alone.

Issue 13 asks that `fargo cost` be as fast as `fargo synth` plus little per compared
variant, with no network. Until the command is wired in, this times what it will run:

- in-process (warm): `estimate` of the default template, `delta` of two templates, and
  `compare` over the default variants (each variant renders its template: the render
  dominates, so the per-variant cost is a synth's render plus the estimate);
- as processes (cold, like a command): a child that validates the default settings and
  renders the template (what synth does), against one that then also estimates it and prints
  the lines. The difference is what `fargo cost` adds to synth.

Medians over N runs (min and max beside them).

    .venv/bin/python benchmarks/cost_bench.py             # 15 process runs, 200 in-process
    .venv/bin/python benchmarks/cost_bench.py --runs 31
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

REGION = "eu-west-1"
CERTIFICATE = ("arn:aws:acm:eu-west-1:123456789012:certificate/"
               "11111111-2222-3333-4444-555555555555")

SYNTH = f"""
import json
from fargo.config import validate
from fargo.template import render
text = render(validate({{"region": "{REGION}", "certificate_arn": "{CERTIFICATE}"}}))
"""
COST = SYNTH + f"""
from fargo.cost import Usage, estimate
from fargo.cost.text import lines
print("\\n".join(lines(estimate(json.loads(text), Usage(region="{REGION}")))))
"""


def median_row(label: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (f"{label:<46} median {statistics.median(ms):8.2f} ms   "
            f"(min {min(ms):.2f}, max {max(ms):.2f}, n={len(ms)})")


def timed(function, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        out.append(time.perf_counter() - started)
    return out


def in_process(runs: int) -> list[str]:
    import json

    from fargo.cost import DEFAULT_VARIANTS, Usage, compare, delta, estimate
    from fargo.cost.readme import default_render

    render = default_render(REGION)
    template, other = render({}), render({"nat_per_az": True})
    usage = Usage(region=REGION)
    estimate(template, usage)  # warm the price table's cache
    size = len(json.dumps(template))
    return [
        f"in-process, warm (template of {size:,} bytes):",
        median_row("  estimate (one template)", timed(lambda: estimate(template, usage), runs)),
        median_row("  delta (two templates)", timed(lambda: delta(template, other, usage),
                                                     runs)),
        median_row("  render one variant (synth's own work)", timed(lambda: render({}),
                                                                     max(5, runs // 10))),
        median_row(f"  compare ({len(DEFAULT_VARIANTS)} variants, each rendered)",
                   timed(lambda: compare(render, usage), max(5, runs // 20))),
    ]


def processes(runs: int) -> list[str]:
    """Synth and synth + estimate, alternated so the shared machine's load hits both alike;
    what the estimate adds is the median of the paired differences."""
    env = dict(os.environ)
    synth, cost = [], []
    with tempfile.TemporaryDirectory() as cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = cache  # like an installed fargo: bytecode cached
        commands = [[sys.executable, "-c", SYNTH], [sys.executable, "-c", COST]]
        for command in commands:  # warm-up: fills the bytecode cache
            subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        for _ in range(runs):
            for command, into in zip(commands, (synth, cost), strict=True):
                into.extend(timed(lambda command=command: subprocess.run(
                    command, env=env, check=True, stdout=subprocess.DEVNULL), 1))
    extra = statistics.median(c - s for s, c in zip(synth, cost, strict=True))
    return ["as processes, cold start (bytecode cached), alternated:",
            median_row("  synth (validate + render)", synth),
            median_row("  synth + estimate + print", cost),
            f"  what the estimate adds to synth: median {extra * 1000:+.1f} ms of the paired "
            f"differences ({(statistics.median(synth) + extra) / statistics.median(synth):.2f}x "
            "synth)"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="process runs (default 15)")
    parser.add_argument("--in-process-runs", type=int, default=200)
    args = parser.parse_args()
    for line in in_process(args.in_process_runs) + processes(args.runs):
        print(line)


if __name__ == "__main__":
    main()
