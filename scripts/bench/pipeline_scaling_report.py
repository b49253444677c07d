"""Prints the tables of scripts/bench/pipeline-scaling.sh from what it recorded in its work folder:
wall seconds and peak memory per run, per-job seconds (from each run's one-line JSON summaries),
and the ratios the targets are about."""
import json
import sys
from pathlib import Path

work = Path(sys.argv[1])
scales = sys.argv[2:]
timings = {}
for line in (work / "timings").read_text().split("\n"):
    if line.strip():
        name, seconds, kib = line.split()
        timings[name] = (float(seconds), int(kib))


def jobs(run):
    """job -> (seconds, status) from a run's printed summaries."""
    found = {}
    for line in (work / f"{run}.out").read_text().split("\n"):
        if line.startswith("{") and '"job"' in line:
            record = json.loads(line)
            found[record["job"]] = (record["duration_ms"] / 1000.0, record["status"])
    return found


print((work / "sizes").read_text().strip())
for scale in scales:
    full, rerun, delivery = (jobs(f"{scale}-{p}") for p in ("full", "rerun", "delivery"))
    print(f"\nscale {scale}: seconds per job (status when not succeeded)")
    print(f"  {'job':44} {'full':>8} {'rerun':>14} {'+1 delivery':>14}")

    def cell(runs, job):
        if job not in runs:
            return "-"
        seconds, status = runs[job]
        return f"{seconds:.1f}" + ("" if status == "succeeded" else f" {status}")

    for job in sorted(full, key=lambda j: -full[j][0]):
        print(f"  {job:44} {cell(full, job):>8} {cell(rerun, job):>14} {cell(delivery, job):>14}")

def phases(run):
    """phase -> seconds summed over the jobs that ran, from each summary's details.phase_seconds;
    "other" is the rest of each job's wall time (reading the run log, writing its record)."""
    total = {}
    for line in (work / f"{run}.out").read_text().split("\n"):
        if line.startswith("{") and '"job"' in line:
            record = json.loads(line)
            spent = record.get("details", {}).get("phase_seconds", {})
            for name, seconds in spent.items():
                total[name] = total.get(name, 0.0) + seconds
            total["other"] = total.get("other", 0.0) + record["duration_ms"] / 1000.0 - sum(
                spent.values()
            )
    return total


for scale in scales:
    runs = {p: phases(f"{scale}-{p}") for p in ("full", "delivery")}
    names = sorted({n for r in runs.values() for n in r}, key=lambda n: -runs["full"].get(n, 0))
    print(f"\nscale {scale}: where job seconds go (summed over jobs; they overlap in time)")
    print(f"  {'phase':20} {'full':>9} {'+1 delivery':>12}")
    for name in names:
        print(f"  {name:20} {runs['full'].get(name, 0):9.1f} {runs['delivery'].get(name, 0):12.1f}")

print("\nruns (wall seconds, spark-submit to exit; peak resident memory of the driver JVM)")
print(f"  {'scale':>5} {'full':>8} {'rerun':>8} {'+1 deliv':>8} {'floor':>8} {'peak MiB':>9}")
for scale in scales:
    t = {p: timings[f"{scale}-{p}"] for p in ("full", "rerun", "delivery", "floor")}
    peak = max(kib for _, kib in t.values()) / 1024
    print(
        f"  {scale:>5} {t['full'][0]:8.1f} {t['rerun'][0]:8.1f} {t['delivery'][0]:8.1f}"
        f" {t['floor'][0]:8.1f} {peak:9.0f}"
    )

print("\nratios (target on 2 cores)")
for scale in scales:
    full = timings[f"{scale}-full"][0]
    rows = [
        ("rerun with nothing new / full build", timings[f"{scale}-rerun"][0] / full, "<= 0.05"),
        (
            "one more delivery / full build",
            timings[f"{scale}-delivery"][0] / full,
            "<= 0.15 at 10, <= 0.05 at 100",
        ),
        ("full build / floor", full / timings[f"{scale}-floor"][0], "<= 4 at 100"),
    ]
    if f"{scale}-exports-all" in timings:
        # The job alone on all exports and alone on the first: the same conditions for both
        # (inside the full build it shares the cores with three other jobs). Measured at the
        # largest scale only.
        users_all = jobs(f"{scale}-exports-all")["mentoring-silver-users"][0]
        users_one = jobs(f"{scale}-exports-1")["mentoring-silver-users"][0]
        rows.append(("users: all exports / first export", users_all / users_one, "<= 1.5"))
    for name, value, target in rows:
        print(f"  scale {scale:>5}: {name:38} {value:6.2f}   target {target}")
