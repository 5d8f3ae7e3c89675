"""Benchmark: the grading parent's peak memory when every submission carries a large file,
this checkout against another revision (by default main), in one run.

    python benchmarks/grading_memory.py [--n 20] [--extra-mib 8] [--jobs 2] [--before main]

Makes N submissions of the assignment (half the instructor notebook, half the released one),
each with an extra file of random bytes beside the notebook (under --max-notebook, so grading
reads it into the job), and grades them with `python -m autograder grade --jobs J`: once with
the code of --before (extracted by `git archive` into a temporary folder, so no checkout is
touched), once with this checkout's. Also once each without the extra files, so that what the
files themselves cost shows apart from the grader's own memory. The figure is the grading
parent's VmHWM (its own peak resident memory, not its workers'). Results also go to
benchmarks/results/.

Measured 2026-12-07 on the shared 2-core machine (load 6-14 from other work; memory, not time,
is the figure), assignment protection, --jobs 2, before = main with every job built first:
  n=20 x 8 MiB: before 321 MiB, after 195 MiB: 1.64x; the files add 176 MiB before, 54 MiB after
  n=40 x 8 MiB: before 486 MiB, after 196 MiB: 2.48x; the files add 336 MiB before, 54 MiB after
  (without the files: 145-150 MiB before, 142 MiB after). After, the files' cost is that of the
  four jobs in flight (twice the workers) and their copies on the way to a worker, whatever N.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.peak import run_with_peak  # noqa: E402


def checkout(rev: str, into: Path) -> Path:
    """The tracked files of `rev`, as they are in git."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev], cwd=REPO, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def make_submissions(code: Path, assignment: str, n: int, extra: int, root: Path) -> Path:
    """N submissions, each with `extra` random bytes in data.bin (none when 0)."""
    script = ("import shutil, sys; from pathlib import Path; from autograder import config, course; "
              "from autograder.paths import assignment_source; a, root = sys.argv[1], Path(sys.argv[2]); "
              "course.release(a, root / 'released', settings=config.settings()); "
              "print(assignment_source(a) / a)")
    source = Path(subprocess.run([sys.executable, "-c", script, assignment, str(root)], cwd=code,
                                 env=_env(code), check=True, capture_output=True, text=True).stdout.strip())
    subs = root / "submitted"
    for i in range(n):
        folder = subs / f"student{i:03d}" / assignment
        shutil.copytree(source if i % 2 == 0 else root / "released" / assignment, folder)
        if extra:
            (folder / "data.bin").write_bytes(os.urandom(extra))
    return subs


def _env(code: Path) -> dict:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONPATH"] = str(code)
    return env


def peak_of_grading(code: Path, assignment: str, subs: Path, out: Path, jobs: int) -> tuple[int, float]:
    """The grading parent's peak resident memory in bytes, and the seconds it took."""
    cmd = [sys.executable, "-m", "autograder", "grade", assignment, "--submissions", str(subs),
           "--out", str(out), "--jobs", str(jobs), "--no-progress"]
    try:
        seconds, peak, _ = run_with_peak(cmd, code, _env(code))
    except subprocess.CalledProcessError as e:
        raise SystemExit(f"grading failed ({code}): {e.stderr.decode(errors='replace')[-2000:]}") from None
    return peak, seconds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20, help="submissions (default: %(default)s)")
    ap.add_argument("--extra-mib", type=int, default=8, help="size of each submission's extra file (default: %(default)s)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--assignment", default="protection")
    ap.add_argument("--before", default="main", help="the revision to compare with (default: %(default)s)")
    args = ap.parse_args()
    rev = subprocess.run(["git", "rev-parse", "--short", args.before], cwd=REPO, check=True,
                         capture_output=True, text=True).stdout.strip()
    mib = 2**20
    report: dict = {"n": args.n, "extra_mib": args.extra_mib, "jobs": args.jobs, "assignment": args.assignment,
                    "before": rev, "load_average_before": os.getloadavg(), "peak_bytes": {}}
    with tempfile.TemporaryDirectory(prefix="bench-grading-memory-") as tmp:
        root = Path(tmp)
        codes = {f"before ({rev})": checkout(args.before, root / "before"), "after (this checkout)": REPO}
        batches = {extra: make_submissions(REPO, args.assignment, args.n, extra * mib, root / f"subs-{extra}")
                   for extra in (0, args.extra_mib)}
        for name, code in codes.items():
            for extra, subs in batches.items():
                peak, secs = peak_of_grading(code, args.assignment, subs, root / f"out-{len(report['peak_bytes'])}",
                                             args.jobs)
                report["peak_bytes"][f"{name}, {extra} MiB each"] = peak
                print(f"{name:24s} {args.n} x {extra:3d} MiB: parent peak {peak / mib:6.0f} MiB  "
                      f"({secs:5.1f} s, load {os.getloadavg()[0]:.1f})", flush=True)
    peaks = list(report["peak_bytes"].values())  # before 0, before extra, after 0, after extra
    report["ratio_before_to_after"] = round(peaks[1] / peaks[3], 2)
    report["files_cost_mib"] = {"before": round((peaks[1] - peaks[0]) / mib), "after": round((peaks[3] - peaks[2]) / mib)}
    print(f"with the files, parent peak before / after: {report['ratio_before_to_after']:.2f}x; "
          f"what the files add to it: before {report['files_cost_mib']['before']} MiB, "
          f"after {report['files_cost_mib']['after']} MiB (the files are {args.n * args.extra_mib} MiB in all)")
    out = REPO / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"grading-memory-n{args.n}-{args.extra_mib}mib.json").write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
