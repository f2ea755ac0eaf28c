"""Time `fargo synth` for the default configuration as a whole process, and its peak memory.

Runs the installed `fargo` entry point of the virtual environment this script runs in
(region and certificate as flags, no fargo.toml, no FARGO_* variables) N times, and prints
median, min and max wall time and the peak resident memory of the child, next to the
issue's target (0.2 s, 100 MB) and AWS CDK's figures for the same system (~4 s, ~530 MB).

    /work/venv/bin/python benchmarks/synth_bench.py            # 15 runs
    /work/venv/bin/python benchmarks/synth_bench.py --runs 30 --check

Bytecode: a pip-installed fargo has compiled .pyc files, but an editable install under
PYTHONDONTWRITEBYTECODE=1 recompiles fargo's own modules on every start. By default the
child caches bytecode in a temporary directory (PYTHONPYCACHEPREFIX; the untimed warm-up run
fills it), so the figures are those of an installed fargo; --no-bytecode-cache measures the
environment exactly as it is.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REGION = "eu-west-1"
CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
TARGET_SECONDS, TARGET_MB = 0.2, 100.0
CDK_SECONDS, CDK_MB = 4.0, 530.0


@dataclass(frozen=True)
class Run:
    seconds: float
    max_rss_mb: float


def fargo_executable() -> Path:
    """The `fargo` console script installed beside the running interpreter."""
    bindir = Path(sys.executable).parent
    for name in ("fargo", "fargo.exe"):
        if (bindir / name).exists():
            return bindir / name
    sys.exit(f"error: no fargo entry point beside {sys.executable}: pip install -e . first")


def child_environment(bytecode_cache: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FARGO_")}
    if bytecode_cache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(bytecode_cache)
    return env


def run_once(command: list[str], env: dict[str, str], cwd: Path, capture: bool = False):
    """One synth process: wall time and the child's own peak RSS (os.wait4's rusage)."""
    stdout = subprocess.PIPE if capture else subprocess.DEVNULL
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=stdout, stderr=errors)
        output = process.stdout.read() if capture else b""
        _, status, usage = os.wait4(process.pid, 0)  # reaps the child: Popen must not wait
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            sys.exit(f"error: fargo synth exited {process.returncode}:\n{errors.read().decode()}")
    # ru_maxrss is KiB on Linux, bytes on macOS.
    rss_mb = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Run(seconds, rss_mb), output


def ratio_row(label: str, value: float, unit: str, target: float, cdk: float) -> str:
    return (
        f"{label:<13} {value:>9.3f} {unit:<2}  {value / target:>8.2f}x   "
        f"{value / cdk:>8.3f}x ({cdk / value:>5.1f} times less)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", "-n", type=int, default=15, help="timed runs (default 15)")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="run with the environment's bytecode settings as they are")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when the median time or the peak memory misses the target")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    command = [str(fargo_executable()), "synth", "--region", REGION, "--certificate-arn",
               CERTIFICATE]
    with tempfile.TemporaryDirectory(prefix="fargo-bench-") as scratch:
        workdir = Path(scratch)  # empty: no fargo.toml is picked up
        cache = None if args.no_bytecode_cache else workdir / "pycache"
        env = child_environment(cache)
        _, output = run_once(command, env, workdir, capture=True)  # warm-up, untimed
        resources = json.loads(output).get("Resources", {})
        if not resources:
            sys.exit("error: fargo synth printed a template without resources")
        runs = [run_once(command, env, workdir)[0] for _ in range(args.runs)]

    times = [r.seconds for r in runs]
    peak_mb = max(r.max_rss_mb for r in runs)
    median = statistics.median(times)
    print(f"fargo synth, default config ({len(resources)} resources), {args.runs} runs, "
          f"{'bytecode cached' if cache else 'bytecode as the environment sets it'}")
    print(f"  {' '.join(command[:2])} --region {REGION} --certificate-arn ...")
    print()
    print(f"{'':<13} {'fargo':>12}  {'/target':>9}   {'/AWS CDK':>9}")
    print(ratio_row("median time", median, "s", TARGET_SECONDS, CDK_SECONDS))
    print(f"{'min time':<13} {min(times):>9.3f} s")
    print(f"{'max time':<13} {max(times):>9.3f} s")
    print(ratio_row("peak memory", peak_mb, "MB", TARGET_MB, CDK_MB))
    print()
    print(f"target: <= {TARGET_SECONDS} s and <= {TARGET_MB:.0f} MB; "
          f"AWS CDK: ~{CDK_SECONDS:.0f} s and ~{CDK_MB:.0f} MB")
    missed = median > TARGET_SECONDS or peak_mb > TARGET_MB
    print("result: " + ("target missed" if missed else "within target"))
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
