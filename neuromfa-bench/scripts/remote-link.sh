#!/usr/bin/env bash
# Hub checkpoints over a simulated network link: the figures of docs/BENCHMARKS.md, section
# "Remote checkpoints at link speed". Measures, on the project's local Hub server
# (neuromfa-testhub) with latency and bandwidth injected (default: 30 ms before every answer,
# 50 MB/s per connection, 125 MB/s for the whole link), against the yardstick of the same run:
# a whole-file download of the same file on the same link by one `curl`.
#
#   1. a Pythia-160M-layout step checkpoint (pytorch_model.bin only, 375 MB; PythiaBinCheckpoint):
#      `analyze --samples 1` and `--samples 10`, each from an empty cache, against one download;
#   2. a trajectory of 3 such revisions x 10 seeds from an empty cache, against three downloads;
#   3. that the numbers equal a local analysis of the same file, the requests and bytes each job
#      made, and the files one 10-seed checkpoint leaves in the cache;
#   4. peak RSS of a 10-seed remote analysis of a 12B-shaped checkpoint in 3 sparse .bin shards
#      (only with FULL=1: writing the shards' CRCs reads 24 GB).
# Usage: neuromfa-bench/scripts/remote-link.sh [DIR=/tmp/neuromfa-remote] [ROUNDS=3]
# Environment: LATENCY_MS (30), CONNECTION_MBPS (50), LINK_MBPS (125), FULL (0).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="${1:-/tmp/neuromfa-remote}"
rounds="${2:-3}"
latency="${LATENCY_MS:-30}"
connection="${CONNECTION_MBPS:-50}"
link="${LINK_MBPS:-125}"
bench="$root/neuromfa-bench/target/benchmarks.jar"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
mkdir -p "$dir"

(cd "$root" && mvn -B -q -ntp ${MVN_OFFLINE:+-o} -DskipTests package -pl neuromfa-cli,neuromfa-bench -am)
gen() { [ -f "$dir/$1/config.json" ] || "$java" -cp "$bench" org.neuromfa.bench.PythiaBinCheckpoint "$dir/$1" "${@:2}"; }
gen step1000 --seed 1000
gen step2000 --seed 2000
gen step3000 --seed 3000

rm -f "$dir/endpoint"
"$java" -cp "$bench" org.neuromfa.testhub.HubServer \
  --serve org/pythia-160m@step1000="$dir/step1000" --serve org/pythia-160m@step2000="$dir/step2000" \
  --serve org/pythia-160m@step3000="$dir/step3000" \
  --latency-ms "$latency" --connection-mbps "$connection" --link-mbps "$link" \
  --endpoint-file "$dir/endpoint" >"$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$dir/endpoint" ] && break; sleep 0.2; done
endpoint="$(cat "$dir/endpoint")"
commit() { grep "@$1 -> " "$dir/server.log" | sed 's/.* -> //'; }
url() { echo "$endpoint/org/pythia-160m/resolve/$(commit "$1")/pytorch_model.bin"; }
stats() { curl -s "$endpoint/_stats"; }

echo "== machine and link"
nproc; grep -m1 'model name' /proc/cpuinfo; "$java" -version 2>&1 | head -1; uptime
echo "link: ${latency} ms before every answer, ${connection} MB/s per connection, ${link} MB/s in all"
ls -l "$dir"/step1000/

cache="$dir/cache"
nm() { HF_ENDPOINT="$endpoint" HF_HUB_CACHE="$cache" "$root/neuromfa" "$@"; }
# The launcher keeps the classes of its first run in an AppCDS archive: make that run a Hub run, as
# it is for a researcher who works on the Hub (the archive then holds the Hub client's classes).
rm -f "$root"/neuromfa-cli/target/neuromfa-*.jsa
rm -rf "$cache"; nm analyze org/pythia-160m@step1000 --samples 1 >/dev/null

echo "== 3. correctness, requests, bytes and cache files (each job from an empty cache)"
"$java" -jar "$root/neuromfa-cli/target/neuromfa.jar" analyze "$dir/step1000" --samples 10 --json "$dir/local.json" >/dev/null
job() {
  local label="$1"; shift
  rm -rf "$cache"
  local before after
  before="$(stats)"
  local start end
  start=$(date +%s.%N)
  nm "$@" >"$dir/$label.out" 2>"$dir/$label.err"
  end=$(date +%s.%N)
  after="$(stats)"
  python3 - "$label" "$before" "$after" "$start" "$end" "$cache" <<'EOF'
import json, sys, os
label, b, a, start, end, cache = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
files = sum(len(f) for _, _, f in os.walk(cache))
print("%-22s %6.2f s  %5d requests (%d ranges, %d API)  %7.1f MB sent  %4d files in the cache" % (label, end - start,
      a["requests"] - b["requests"], a["range_requests"] - b["range_requests"], a["api_requests"] - b["api_requests"],
      (a["content_bytes_sent"] - b["content_bytes_sent"]) / 1e6, files))
EOF
}
job "1 seed" analyze org/pythia-160m@step1000 --samples 1
job "10 seeds" analyze org/pythia-160m@step1000 --samples 10 --json "$dir/remote.json"
job "trajectory 3x10" trajectory org/pythia-160m --revisions step1000,step2000,step3000 --samples 10 --no-store
python3 - "$dir/local.json" "$dir/remote.json" <<'EOF'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for o in (a, b):
    for k in ("model", "commit", "bytes_read", "bytes_total", "files"):
        o.pop(k, None)
print("10 seeds remote == local (every per-sample value):", a == b)
if a != b:
    sys.exit(1)
EOF

echo "== 1, 2. wall time, round-robin with the yardstick (empty cache every run)"
c="$cache"
"$(dirname "${BASH_SOURCE[0]}")/round-robin.py" "$rounds" \
  "curl whole file=curl -s -o /dev/null $(url step1000) -L" \
  "analyze 1 seed=env HF_ENDPOINT=$endpoint HF_HUB_CACHE=$c sh -c 'rm -rf $c; exec $root/neuromfa analyze org/pythia-160m@step1000 --samples 1'" \
  "analyze 10 seeds=env HF_ENDPOINT=$endpoint HF_HUB_CACHE=$c sh -c 'rm -rf $c; exec $root/neuromfa analyze org/pythia-160m@step1000 --samples 10'" \
  "curl 3 whole files=sh -c 'curl -s -o /dev/null -L $(url step1000) && curl -s -o /dev/null -L $(url step2000) && curl -s -o /dev/null -L $(url step3000)'" \
  "trajectory 3x10=env HF_ENDPOINT=$endpoint HF_HUB_CACHE=$c sh -c 'rm -rf $c; exec $root/neuromfa trajectory org/pythia-160m --revisions step1000,step2000,step3000 --samples 10 --no-store'"

if [ "${FULL:-0}" = "1" ]; then
  echo "== 4. peak RSS, 12B-shaped checkpoint in 3 sparse .bin shards, 10 seeds over the link"
  gen p12b --pythia-12b --shards 3 --sparse-seeds 10
  kill $server; wait $server 2>/dev/null || true
  rm -f "$dir/endpoint"
  "$java" -cp "$bench" org.neuromfa.testhub.HubServer --serve org/pythia-12b@step1000="$dir/p12b" \
    --latency-ms "$latency" --connection-mbps "$connection" --link-mbps "$link" \
    --endpoint-file "$dir/endpoint" >"$dir/server.log" 2>&1 &
  server=$!
  for _ in $(seq 300); do [ -s "$dir/endpoint" ] && break; sleep 0.2; done
  endpoint="$(cat "$dir/endpoint")"
  rm -rf "$cache"
  HF_ENDPOINT="$endpoint" HF_HUB_CACHE="$cache" /usr/bin/time -f "12B remote, 10 seeds: %e s wall, %M KB max RSS" \
    "$root/neuromfa" analyze org/pythia-12b@step1000 --samples 10 | tail -2
fi
