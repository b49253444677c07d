#!/usr/bin/env python3
"""Where a pipeline run's seconds go, Spark job by Spark job.

    spark_job_breakdown.py EVENT_LOG RUN_SUMMARIES [TOP]

EVENT_LOG is the Spark event log of one `pipeline` run (spark.eventLog.enabled=true);
RUN_SUMMARIES is what that run printed (one JSON summary per job). Each Spark job is charged to
the pipeline job whose run id is its job group, and to a cause: Delta's own work (state
reconstruction of a new table version, file listing for a scan, MERGE/UPDATE phases) by its
description, anything else by the first frame of the suite's code that submitted it. Run the
pipeline with pipeline.max-parallel-jobs=1 so that the jobs' times do not overlap.
"""
import collections
import json
import re
import sys


def summaries(path):
    runs = {}
    with open(path) as f:
        for line in f:
            if line.startswith("{"):
                try:
                    run = json.loads(line)
                except ValueError:
                    continue
                if "run_id" in run:
                    runs[run["run_id"]] = run
    return runs


def cause(description, details):
    if "Compute snapshot" in description:
        return "delta: state of a new table version"
    if "Filtering files" in description:
        return "delta: files of a scan"
    for op in ("MERGE", "UPDATE", "DELETE"):
        if op in description:
            return "delta: " + op
    frames = [line.strip() for line in details.split("\n") if "com.acme." in line]
    if frames:
        return "code: " + re.sub(r"\(.*", "", frames[0]).replace("com.acme.warehouse.", "")
    if "withThreadLocalCaptured" in details:
        return "spark: broadcast or subquery (another thread)"
    return "other"


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    runs = summaries(sys.argv[2])
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 6
    started = {}
    by_cause = collections.defaultdict(lambda: [0, 0.0])
    by_job = collections.defaultdict(lambda: collections.defaultdict(lambda: [0, 0.0]))
    with open(sys.argv[1]) as f:
        for line in f:
            if '"Event":"SparkListenerJob' not in line[:60]:
                continue
            event = json.loads(line)
            if event["Event"] == "SparkListenerJobStart":
                props = event.get("Properties", {})
                stages = event.get("Stage Infos") or [{}]
                run = runs.get(props.get("spark.jobGroup.id"), {})
                started[event["Job ID"]] = (
                    run.get("job", "(outside any job)"),
                    cause(props.get("spark.job.description") or "", stages[0].get("Details", "")),
                    event["Submission Time"],
                )
            elif event["Job ID"] in started:
                job, why, start = started.pop(event["Job ID"])
                seconds = (event["Completion Time"] - start) / 1000
                for counter in (by_cause[why], by_job[job][why]):
                    counter[0] += 1
                    counter[1] += seconds

    ran = [r for r in runs.values() if r.get("status") != "skipped"]
    wall = sum(r.get("duration_ms", 0) for r in ran) / 1000
    jobs = sum(n for n, _ in by_cause.values())
    spark_seconds = sum(s for _, s in by_cause.values())
    print(f"{len(ran)} jobs ran ({len(runs) - len(ran)} skipped): {wall:.1f} s in all")
    print(f"  {jobs} Spark jobs, {spark_seconds:.1f} s; the other {wall - spark_seconds:.1f} s is the"
          " driver between them (planning, Delta log, commits)")
    print("\nSpark jobs by cause (count, seconds)")
    for why, (n, s) in sorted(by_cause.items(), key=lambda kv: -kv[1][1]):
        print(f"  {n:6d} {s:8.1f}  {why}")
    print(f"\nper job: seconds, Spark jobs, and its top {top} causes")
    for run in sorted(ran, key=lambda r: -r.get("duration_ms", 0)):
        causes = by_job[run["job"]]
        print(f"  {run['job']:40s} {run.get('duration_ms', 0) / 1000:7.1f} s "
              f"{sum(n for n, _ in causes.values()):5d} Spark jobs  rows written {run.get('rows_written')}")
        for why, (n, s) in sorted(causes.items(), key=lambda kv: -kv[1][1])[:top]:
            print(f"      {n:5d} {s:7.1f}  {why}")


if __name__ == "__main__":
    main()
