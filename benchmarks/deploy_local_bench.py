"""Wall time of `fargo deploy --local --yes` (deploy and teardown on the embedded emulator).

Run by hand: `python benchmarks/deploy_local_bench.py [--runs N]`. Each run is a fresh process,
so emulator start-up and imports are included, as a user would experience them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def one_run(workdir: str) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "FARGO_"))}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "fargo", "deploy", "--local", "--yes"],
                          cwd=workdir, env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"run failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        times = [one_run(workdir) for _ in range(args.runs)]
    print(f"fargo deploy --local --yes, {args.runs} runs")
    print(f"  median {statistics.median(times):.2f} s   min {min(times):.2f} s   "
          f"max {max(times):.2f} s")


if __name__ == "__main__":
    main()
