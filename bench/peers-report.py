"""Turns bench/peers' timings (rows, run, tool, seconds, peak RSS MiB; tab-separated) into its section of
docs/benchmarks.md: medians per size, rows/s, and each time divided by the fastest peer's."""

import argparse
import datetime
import statistics
from collections import defaultdict

PG_TOOLS = ["api_pg", "binary_pipe", "text_pipe", "pg_dump", "pgcopydb", "dlt_pg"]
MY_TOOLS = ["api_my", "pgloader", "dlt_my"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--command", required=True)
    parser.add_argument("--machine", required=True)
    parser.add_argument("--versions", required=True)
    parser.add_argument("--jvm", required=True)
    parser.add_argument("--sling", default="")
    parser.add_argument("--labels", required=True)
    args = parser.parse_args()

    labels = dict(line.rstrip("\n").split("\t", 1) for line in open(args.labels) if line.strip())
    times = defaultdict(list)
    peaks = defaultdict(list)
    waits = defaultdict(list)
    runs = defaultdict(set)
    for line in open(args.results):
        rows, run, tool, seconds, peak, *started = line.rstrip("\n").split("\t")
        times[(int(rows), tool)].append(float(seconds))
        peaks[(int(rows), tool)].append(int(peak))
        if started and started[0]:
            waits[(int(rows), tool)].append(float(started[0]))
        runs[int(rows)].add(int(run))

    out = [
        f"## Tributary against its peers, side by side in one run ({datetime.date.today()})",
        "",
        f"`flock /tmp/tributary-mvn.lock {args.command}` — one sitting on one machine ({args.machine}). For each",
        "size and run the tools take turns, so the machine's noise falls on all of them alike. Every tool copies the",
        "same table — 10 columns: bigint primary key, int, numeric(12,2), double, boolean, text, varchar(120), date,",
        "timestamptz, nullable text — into a database created empty before its run (not timed) on the same",
        "PostgreSQL server that holds the source; MariaDB holds the same rows (decimal, double, boolean, text,",
        "varchar, date, timestamp(6)). Each time is the command's wall clock; each copy's row count is checked after",
        "it. **Tributary, sync through the API** is what a user gets: the built server jar started as `./tributary`",
        f"starts it (`{args.jvm.strip()}`, embedded PostgreSQL for its own state), an end user's source created",
        "through the API from a source template, a connection from a connection template (full refresh, overwrite),",
        "timed from `POST /api/v1/connections/{id}/sync` to the job's `succeeded` (polled every 50 ms), server",
        "startup excluded (one server serves the whole sitting, so its first sync also pays for the JIT's warm-up);",
        "its peak RSS is the server JVM's `VmHWM`, reset before each run (`/proc/<pid>/clear_refs`).",
        "The pipes copy into a table created before the clock starts, without a primary key; `pg_dump`, pgcopydb and",
        "pgloader create the table and build its primary key inside their time; dlt creates its table (no key) and its",
        "own bookkeeping tables; Tributary creates its table through a staging table and an atomic swap.",
        "",
        f"Versions: {' '.join(args.versions.split())}.",
        "",
    ]
    verdicts = []
    for rows in sorted(runs):
        n = len(runs[rows])
        for title, tools, ours in (
            ("PostgreSQL → PostgreSQL", PG_TOOLS, "api_pg"),
            ("MariaDB → PostgreSQL", MY_TOOLS, "api_my"),
        ):
            present = [t for t in tools if (rows, t) in times]
            if not present:
                continue
            median = {t: statistics.median(times[(rows, t)]) for t in present}
            peers = [t for t in present if t != ours]
            fastest = min(peers, key=median.get) if peers else None
            out += [
                f"### {title}, {rows:,} rows (median of {n} run{'s' if n > 1 else ''})",
                "",
                "| | median | rows/s | ÷ fastest peer | all runs (s) |",
                "|---|---|---|---|---|",
            ]
            for t in sorted(present, key=median.get):
                # a pipe inside a table cell would end the cell
                name = labels.get(t, t).replace("|", "\\|")
                if t == ours:
                    name = f"**{name}** (server peak RSS {max(peaks[(rows, t)]):,} MiB"
                    if waits[(rows, t)]:
                        name += (
                            f"; API call to `running`: median"
                            f" {statistics.median(waits[(rows, t)]):.2f} s"
                        )
                    name += ")"
                ratio = f"{median[t] / median[fastest]:.2f}×" if fastest else "–"
                all_runs = ", ".join(f"{s:.2f}" for s in times[(rows, t)])
                out.append(
                    f"| {name} | {median[t]:.2f} s | {rows / median[t]:,.0f} | {ratio} | {all_runs} |"
                )
            out.append("")
            if ours in median and fastest:
                line = (
                    f"Tributary ÷ the fastest peer ({labels.get(fastest, fastest)}): "
                    f"**{median[ours] / median[fastest]:.2f}×**"
                )
                if ours == "api_my" and "pgloader" in median:
                    line += f"; ÷ pgloader: **{median[ours] / median['pgloader']:.2f}×**"
                out += [line + ".", ""]
                verdicts.append((rows, ours, median, fastest))
    goals = []
    for rows, ours, median, fastest in verdicts:
        if ours == "api_pg" and rows == max(runs):
            ratio = median[ours] / median[fastest]
            goals.append(
                f"PostgreSQL → PostgreSQL through the API at {rows:,} rows ≤ 0.8× the fastest peer: "
                f"{ratio:.2f}×, {'met' if ratio <= 0.8 else 'not met'}"
            )
        if ours == "api_my" and rows == max(runs) and "pgloader" in median:
            ratio = median[ours] / median["pgloader"]
            goals.append(
                f"MariaDB → PostgreSQL ≤ 0.3× pgloader at {rows:,} rows: {ratio:.2f}×, "
                f"{'met' if ratio <= 0.3 else 'not met'}"
            )
    if goals:
        out += ["Issue 17's goals, as measured here: " + "; ".join(goals) + ".", ""]
    if args.sling:
        out += [f"Not timed: {args.sling}", ""]
    print("\n".join(out).rstrip())


if __name__ == "__main__":
    main()
