#!/usr/bin/env bash
# Throughput of `spark trajectory` on a Spark standalone cluster of one-core workers on 127.0.0.1,
# set up by the README's recipe (a distribution assembled from target/spark-classpath.txt, daemons
# started with java), against the command line's `trajectory` on the same machine and checkpoints.
#
#   neuromfa-spark/scripts/cluster-throughput.sh CHECKPOINT... [-- more trajectory options]
#
# Environment: RUNS (3) runs of each, WORKERS (2) one-core workers (and --threads for the command
# line), SAMPLES (10) seeds per checkpoint, EXECUTOR_MEMORY (1g), SPARK_CONF ("": more --conf K=V, space
# separated). Needs `mvn -B -ntp package -pl neuromfa-spark -am -DskipTests` (and the command line
# built, which ./neuromfa does). Prints, per run, the command line's whole-run time, its job-phase
# estimate (the run minus a --samples 1 run), and Spark's `spark:` line and whole-run time; checks that
# every Spark run's JSON is the command line's, byte for byte. Stops everything it started on exit.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
target="$root/neuromfa-spark/target"
runs="${RUNS:-3}"
workers="${WORKERS:-2}"
samples="${SAMPLES:-10}"
memory="${EXECUTOR_MEMORY:-1g}"
checkpoints=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do checkpoints+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
extra=("$@")
[ ${#checkpoints[@]} -gt 0 ] || { echo "usage: $0 CHECKPOINT... [-- trajectory options]" >&2; exit 2; }
for f in neuromfa-spark-cluster.jar spark-classpath.txt jvm-options.txt; do
  [ -f "$target/$f" ] || { echo "$0: $target/$f missing: mvn -B -ntp package -pl neuromfa-spark -am -DskipTests" >&2; exit 2; }
done

work="$(mktemp -d)"
pids=()
cleanup() {
  # The executors are the workers' children: they go first, then the daemons, which get 10 s to stop.
  for pid in "${pids[@]}"; do
    for child in $(pgrep -P "$pid" 2>/dev/null || true); do kill -9 "$child" 2>/dev/null || true; done
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

export SPARK_HOME="$work/spark" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
mkdir -p "$SPARK_HOME/jars"
tr ':' '\n' < "$target/spark-classpath.txt" | xargs ln -s -t "$SPARK_HOME/jars"
opts="$(cat "$target/jvm-options.txt")"
port=$((20000 + RANDOM % 20000))
await() { # FILE TEXT
  for _ in $(seq 1200); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "$0: no '$2' in $1" >&2; cat "$1" >&2; exit 1
}
# shellcheck disable=SC2086
java $opts -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" \
  --webui-port $((port + 1)) > "$work/master.log" 2>&1 &
pids+=($!)
await "$work/master.log" "elected leader"
for i in $(seq "$workers"); do
  mkdir -p "$work/worker-$i"
  # shellcheck disable=SC2086
  java $opts -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 \
    --memory "$memory" --work-dir "$work/worker-$i" --webui-port $((port + 1 + i)) "spark://127.0.0.1:$port" \
    > "$work/worker-$i.log" 2>&1 &
  pids+=($!)
done
for i in $(seq "$workers"); do await "$work/worker-$i.log" "Successfully registered with master"; done

conf=(--conf spark.ui.enabled=false --conf "spark.executor.memory=$memory")
for c in ${SPARK_CONF:-}; do conf+=(--conf "$c"); done
elapsed() { # LOG: the wall seconds /usr/bin/time wrote last
  tail -n 1 "$1" | sed 's/^wall //'
}
echo "cluster: $workers one-core workers at spark://127.0.0.1:$port; $(java -version 2>&1 | head -n 1); $(nproc) cores"
for run in $(seq "$runs"); do
  /usr/bin/time -f 'wall %e' -o "$work/cli.time" "$root/neuromfa" trajectory "${checkpoints[@]}" --samples "$samples" \
    --threads "$workers" --no-store --json "$work/cli.json" "${extra[@]}" > /dev/null 2>&1
  /usr/bin/time -f 'wall %e' -o "$work/cli1.time" "$root/neuromfa" trajectory "${checkpoints[@]}" --samples 1 \
    --threads "$workers" --no-store "${extra[@]}" > /dev/null 2>&1
  # shellcheck disable=SC2086
  /usr/bin/time -f 'wall %e' -o "$work/spark.time" java $opts -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit \
    --master "spark://127.0.0.1:$port" --deploy-mode client --class org.neuromfa.spark.SparkMain "${conf[@]}" \
    "$target/neuromfa-spark-cluster.jar" trajectory "${checkpoints[@]}" --samples "$samples" --no-store \
    --json "$work/spark.json" "${extra[@]}" > /dev/null 2> "$work/spark.err"
  cmp -s "$work/cli.json" "$work/spark.json" || { echo "$0: run $run: Spark's JSON differs from the command line's" >&2; exit 1; }
  cli="$(elapsed "$work/cli.time")"
  cli1="$(elapsed "$work/cli1.time")"
  n=$(( ${#checkpoints[@]} * samples ))
  n1=${#checkpoints[@]}
  echo "run $run: cli $cli s whole, job phase ~$(echo "$cli - $cli1" | bc) s for $((n - n1)) samples" \
    "($(echo "scale=2; ($n - $n1) / ($cli - $cli1)" | bc) samples/s); spark $(elapsed "$work/spark.time") s whole," \
    "$(grep '^spark: ' "$work/spark.err" | sed 's/ on spark:.*//'); JSON identical; load $(cut -d' ' -f1-3 /proc/loadavg)"
done
