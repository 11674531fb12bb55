#!/usr/bin/env bash
# Where the CPU time of one whole `./neuromfa analyze` run goes, measured by sampling the real
# launcher's JVM with async-profiler (its Maven artifact, fetched once into ~/.m2): the figures of
# docs/BENCHMARKS.md, "Where the time goes". Prints CPU milliseconds (1 ms samples) per thread kind
# and per stage of the pipeline, for RUNS runs (the median of each line).
# Usage: neuromfa-bench/scripts/where-time-goes.sh CHECKPOINT [RUNS=5] [extra analyze options...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
checkpoint="$1"
runs="${2:-5}"
shift $(( $# < 2 ? $# : 2 ))
version=4.2
jar="$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version-linux-x64.jar"
[ -f "$jar" ] || mvn -B -q -ntp dependency:get -Dartifact="tools.profiler:async-profiler:$version:jar:linux-x64" -Dtransitive=false
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && unzip -q "$jar")
agent="$work/linux-x64/libasyncProfiler.so"
"$root/neuromfa" analyze "$checkpoint" "$@" >/dev/null   # builds if needed, writes the AppCDS archive
for i in $(seq "$runs"); do
  NEUROMFA_JAVA_OPTS="-agentpath:$agent=start,event=cpu,interval=1ms,threads,collapsed,file=$work/run$i.txt" \
    "$root/neuromfa" analyze "$checkpoint" "$@" >/dev/null
done
python3 - "$work" "$runs" <<'PY'
import collections, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
# First matching frame decides; thread names decide for JVM-internal threads.
stages = [
    ("open checkpoint: config.json + safetensors header", ("ModelLocation.open", "Checkpoint.open")),
    ("sample: plan (numpy sampler)", ("samplePlan",)),
    ("sample: read rows (pread, decode, check, fingerprint)", ("readSubmatrix", "readRows")),
    ("sample: network (edges, CSR)", ("network",)),
    ("sample: distances", ("distances", "Neighbourhood")),
    ("sample: spectrum (Z_q(r), tau, f(alpha))", ("SampleAnalysis.analyse",)),
    ("write JSON / CSV / table", ("ResultJson", "ResultCsv", "Outputs", "printTable", "Table")),
    ("command line (picocli)", ("picocli",)),
]
per_run = []
for i in range(1, runs + 1):
    c = collections.Counter()
    for line in open(f"{work}/run{i}.txt"):
        stack, n = line.rsplit(" ", 1)
        frames = stack.split(";")
        thread = frames[0]
        if "Compiler" in thread:
            key = "JIT compiler threads"
        elif "GC" in thread or "VM Thread" in thread:
            key = "GC and VM threads"
        elif "neuromfa-json-init" in thread:
            key = "Jackson initialisation (background thread)"
        else:
            key = "other (JVM start, class loading, exit)"
            for name, marks in stages:
                if any(m in f for f in frames for m in marks):
                    key = name
                    break
        c[key] += int(n)
    per_run.append(c)
keys = sorted({k for c in per_run for k in c}, key=lambda k: -statistics.median(c[k] for c in per_run))
total = statistics.median(sum(c.values()) for c in per_run)
print(f"{'CPU ms (median of %d runs)' % runs:>28}  stage")
for k in keys:
    print(f"{statistics.median(c[k] for c in per_run):>28.0f}  {k}")
print(f"{total:>28.0f}  total sampled")
PY
