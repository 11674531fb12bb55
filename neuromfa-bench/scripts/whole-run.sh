#!/usr/bin/env bash
# Whole `neuromfa analyze` runs, JVM start included: the figures of docs/BENCHMARKS.md, section
# "Whole analyze run". Writes synthetic checkpoints (once) under $DIR, then measures
#   1. wall time with hyperfine: the launcher (AppCDS archive in place, serial GC) against a plain
#      `java -jar` (JVM defaults), both on the Pythia-160M-shaped fp16 checkpoint, 10 seeds, and the
#      same round-robin (round-robin.py), which is fairer on a machine whose load changes;
#   2. CPU time and peak RSS with /usr/bin/time, for that checkpoint and for a 12B-shaped sparse one;
#   3. where the time goes in one process (RunProfile), with and without the options of the launcher.
# Usage: neuromfa-bench/scripts/whole-run.sh [DIR=/tmp/neuromfa-bench] [RUNS=10]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="${1:-/tmp/neuromfa-bench}"
runs="${2:-10}"
bench="$root/neuromfa-bench/target/benchmarks.jar"
jar="$root/neuromfa-cli/target/neuromfa.jar"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

(cd "$root" && mvn -B -q -ntp -DskipTests package -pl neuromfa-cli,neuromfa-bench -am)
gen() { [ -f "$dir/$1/model.safetensors" ] || "$java" -cp "$bench" org.neuromfa.bench.SyntheticCheckpoint "$dir/$1" "${@:2}"; }
gen p160-f16 --dtype F16
gen p12b-f16-sparse --pythia-12b --dtype F16 --sparse-seeds 10

echo "== machine"
nproc; grep -m1 'model name' /proc/cpuinfo; "$java" -version 2>&1 | head -2; uptime

echo "== 1. wall time, 10 seeds (hyperfine)"
"$root/neuromfa" analyze "$dir/p160-f16" >/dev/null   # builds the jar if needed and writes the AppCDS archive
hyperfine -N -w 2 -r "$runs" \
  "$root/neuromfa analyze $dir/p160-f16" \
  "$java -jar $jar analyze $dir/p160-f16"

"$(dirname "${BASH_SOURCE[0]}")/round-robin.py" 5 \
  "launcher=$root/neuromfa analyze $dir/p160-f16" \
  "java-jar=$java -jar $jar analyze $dir/p160-f16" \
  "launcher-t1=$root/neuromfa analyze $dir/p160-f16 --threads 1"

echo "== 2. CPU time (user+sys) and peak RSS"
for model in p160-f16 p12b-f16-sparse; do
  for how in launcher java-jar; do
    if [ "$how" = launcher ]; then cmd=("$root/neuromfa"); else cmd=("$java" -jar "$jar"); fi
    for i in 1 2 3; do
      /usr/bin/time -f "$model $how: %e s wall, %U s user, %S s sys, %M KB max RSS" "${cmd[@]}" analyze "$dir/$model" >/dev/null
    done
  done
done

echo "== 3. where the time goes (one process, one thread for the seeds)"
echo "-- launcher options: serial GC, small young generation"
"$java" -XX:+UseSerialGC -Xms64m -Xmn32m -cp "$bench" org.neuromfa.bench.RunProfile "$dir/p160-f16" 10
echo "-- C1 only"
"$java" -XX:+UseSerialGC -Xms64m -Xmn32m -XX:TieredStopAtLevel=1 -cp "$bench" org.neuromfa.bench.RunProfile "$dir/p160-f16" 10
echo "-- JVM defaults"
"$java" -cp "$bench" org.neuromfa.bench.RunProfile "$dir/p160-f16" 10
uptime
