#!/usr/bin/env bash
# Runs every command of two builds of the command line on the golden fixtures and compares what
# they write, byte for byte: the check that a refactoring changes no output.
#
#   neuromfa-bench/scripts/compare-outputs.sh BASE NEW
#
# BASE and NEW are each a command-line jar (neuromfa-cli/target/neuromfa.jar, or a copy of main's)
# or a directory of outputs recorded earlier by this script (`compare-outputs.sh record JAR DIR`).
# Exit code 0 when every file is identical; otherwise the differing and missing files are listed
# and the exit code is 1.
#
# What is recorded, each from a fixed working directory so that paths inside the outputs agree:
# every command's --help, analyze (JSON, CSV, NFD, stdout; the reference options and the multi-hop, Legendre, filter, QKV
# and normalisation variants; a bad input's message and exit code), inspect, trajectory (JSON, CSV,
# plots as SVG and PNG, stdout, stderr (without progress lines), the result store's files, and a resumed run), correlate
# (JSON, plots, stdout), scaling (JSON, plot, stdout), report (HTML), and demo (every file).
# A resumed trajectory must equal the fresh one within a run as well. A report's "made at" time is not
# compared (it is the time of the run).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
golden="$(cd "$root/../shared/golden" && pwd)"
evals="$(cd "$root/../shared/data/pythia-evals" && pwd)"
java="${JAVA:-java}"

record() {
  local jar out work
  jar="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
  out="$2"
  # A fixed place, so that the paths written into results are the same for both builds.
  work="${TMPDIR:-/tmp}/neuromfa-compare-work"
  rm -rf "$work" "$out"
  mkdir -p "$work" "$out"
  (
    cd "$work"
    run() { # run NAME ARGS...: stdout, stderr and the exit code of one command
      local name="$1"
      shift
      set +e
      NEUROMFA_NO_PROGRESS=1 "$java" -Dneuromfa.models="$root/neuromfa-cli/target/models" -jar "$jar" "$@" \
          >"out/$name.stdout" 2>"out/$name.stderr"
      echo "$?" >"out/$name.exit"
      set -e
      # Progress lines of runs on several threads come in any order: only the others are compared.
      grep -Ev '^\[[0-9]+/[0-9]+\] ' "out/$name.stderr" >"out/$name.stderr.kept" || true
      mv "out/$name.stderr.kept" "out/$name.stderr"
    }
    mkdir out
    for f in neox-d128-l4-normal-f32 neox-d128-l4-student-f16 neox-d96-l3-rowscaled-bf16 \
        neox-d128-l4-normal-f32-torch/single neox-d128-l4-normal-f32-torch/sharded; do
      n="${f//\//-}"
      run "analyze-$n" analyze "$golden/$f" --samples 3 --nodes-per-layer 16 --threads 1 \
          --json "out/analyze-$n.json" --csv "out/analyze-$n.csv" --nfd "out/analyze-$n-nfd.csv"
    done
    g="$golden/neox-d128-l4-normal-f32"
    run analyze-bounded analyze "$g" --samples 2 --nodes-per-layer 8 --hops 2 --shortest-paths bounded --threads 1 \
        --json out/analyze-bounded.json --nfd out/analyze-bounded-nfd.csv
    run analyze-exact analyze "$g" --samples 2 --nodes-per-layer 8 --hops 2 --path-distance linear --threads 1 \
        --json out/analyze-exact.json
    run analyze-estimated analyze "$g" --samples 2 --nodes-per-layer 8 --hops 3 --shortest-paths estimated \
        --estimate-edges 4 --path-distance power --lambda 1.5 --gamma 2 --threads 1 --json out/analyze-estimated.json
    run analyze-legendre analyze "$g" --samples 2 --nodes-per-layer 16 --spectrum legendre --radius-range 2:120 \
        --filter-mode 3 --min-r-squared 0.999 --threads 1 --json out/analyze-legendre.json --csv out/analyze-legendre.csv
    run analyze-heads analyze "$g" --samples 2 --nodes-per-layer 16 --qkv-layout heads --normalize-weights \
        --q-min -2 --q-max 2 --q-step 0.25 --first-seed 5 --threads 2 --json - --csv out/analyze-heads.csv
    run analyze-missing analyze "$golden/no-such-checkpoint" --json out/never.json
    run analyze-badk analyze "$g" --nodes-per-layer 100000
    run analyze-badoption analyze "$g" --threshold 0.5
    # Every message that names an option (the library names its settings, the command line its flags).
    bad=("--samples 0" "--first-seed -1" "--nodes-per-layer 0" "--hops 0" "--lambda -1" "--gamma -1"
      "--estimate-edges 0" "--min-r-squared 2" "--radius-range 5" "--radius-range 9:3" "--qkv-layout rows"
      "--spectrum other" "--shortest-paths fast" "--path-distance cube" "--filter-mode 7" "--q-step 0"
      "--revision main" "--threads 0" "--samples 1 --radius-range 5:7 --nodes-per-layer 4"
      "--samples 1 --threshold 1.01 --nodes-per-layer 4" "--samples 1 --spectrum legendre --q-min 0 --q-max 0.1 --q-step 0.1")
    for i in "${!bad[@]}"; do
      # shellcheck disable=SC2086
      run "analyze-bad-$i" analyze "$g" ${bad[$i]}
    done
    run analyze-bad-heads analyze "$root/neuromfa-cli/target/models/all-minilm-l6-v2.onnx" --qkv-layout heads
    run analyze-bad-hub analyze no-such-org/no-such-model@main --revision other
    run inspect-bad inspect "$g" --qkv-layout rows
    run demo-bad demo --init-std 0
    for c in demo analyze inspect trajectory correlate scaling report; do
      run "help-$c" "$c" --help
    done
    run help help
    run inspect inspect "$g"
    run inspect-onnx inspect "$root/neuromfa-cli/target/models/all-minilm-l6-v2.onnx"

    # Checkpoints named by training step (symbolic links to the fixtures; torch/single has the same
    # weights as the first, so the trajectory reports identical weights).
    mkdir -p ck ck2 ck3
    ln -s "$golden/neox-d128-l4-normal-f32" ck/step0
    ln -s "$golden/neox-d128-l4-student-f16" ck/step1000
    ln -s "$golden/neox-d96-l3-rowscaled-bf16" ck/step13000
    ln -s "$golden/neox-d128-l4-normal-f32-torch/single" ck/step33000
    ln -s "$golden/neox-d128-l4-normal-f32-torch/sharded" ck/step143000
    ln -s "$golden/neox-d96-l3-rowscaled-bf16" ck2/step0
    ln -s "$golden/neox-d128-l4-normal-f32" ck2/step1000
    ln -s "$golden/neox-d128-l4-student-f16" ck3/step0
    ln -s "$golden/neox-d96-l3-rowscaled-bf16" ck3/step1000
    traj=(ck/step0 ck/step1000 ck/step13000 ck/step33000 ck/step143000 --samples 3 --nodes-per-layer 12 --nfd)
    run trajectory trajectory "${traj[@]}" --threads 1 --store store --json out/trajectory.json \
        --csv out/trajectory.csv --plots out/trajectory-plots
    run trajectory-resumed trajectory "${traj[@]}" --threads 2 --store store --json out/trajectory-resumed.json
    cmp out/trajectory.json out/trajectory-resumed.json
    run trajectory-nostore trajectory "${traj[@]}" --threads 2 --no-store --json out/trajectory-nostore.json
    cmp out/trajectory.json out/trajectory-nostore.json
    (cd store && find . -type f | sort | while read -r f; do
      mkdir -p "../out/store/$(dirname "$f")"
      cp "$f" "../out/store/$f"
    done)
    run trajectory2 trajectory ck2/step0 ck2/step1000 --samples 2 --nodes-per-layer 12 --threads 1 --no-store \
        --json out/trajectory2.json
    run trajectory3 trajectory ck3/step0 ck3/step1000 --samples 2 --nodes-per-layer 12 --threads 1 --no-store \
        --json out/trajectory3.json --csv - --plots out/trajectory3-plots

    run correlate correlate out/trajectory.json --benchmarks "$evals/pythia-160m-deduped" --json out/correlate.json \
        --plots out/correlate-plots
    run correlate-stdout correlate out/trajectory.json --benchmarks "$evals/pythia-410m-deduped/zero-shot" \
        --metric acc_norm --json -
    run scaling scaling out/trajectory.json out/trajectory2.json out/trajectory3.json --step 1000 \
        --json out/scaling.json --plots out/scaling-plots
    run scaling-default scaling out/trajectory2.json out/trajectory3.json --json -
    run report report out/trajectory.json out/correlate.json out/scaling.json \
        out/analyze-neox-d128-l4-normal-f32.json --out out/report.html
    run report-bad report out/analyze-neox-d128-l4-normal-f32.csv --out out/never.html
    run demo demo --samples 2 --nodes-per-layer 8 --threads 1 --out out/demo
    run demo-int8 demo --int8 --samples 1 --nodes-per-layer 8 --threads 1 --init-std 0.05 --init-seed 3 --no-files
  )
  mv "$work/out"/* "$out"/
  rm -rf "$work"
}

# A recorded directory, or a fresh recording of a jar.
outputs() {
  if [ -d "$1" ]; then
    echo "$1"
  else
    local dir
    dir="$(mktemp -d)"
    record "$1" "$dir"
    echo "$dir"
  fi
}

if [ "${1:-}" = record ]; then
  record "$2" "$3"
  exit 0
fi
if [ $# -ne 2 ]; then
  echo "usage: $0 BASE NEW   (each a neuromfa.jar or a directory recorded by '$0 record JAR DIR')" >&2
  exit 2
fi
# Byte for byte, except the time a report says it was made (a fresh run's is always new).
same() {
  case "$1" in
    *.html) cmp -s <(grep -v '^<tr><th>made at (UTC)</th>' "$1") <(grep -v '^<tr><th>made at (UTC)</th>' "$2") ;;
    *) cmp -s "$1" "$2" ;;
  esac
}
base="$(outputs "$1")"
new="$(outputs "$2")"
status=0
files=0
while read -r f; do
  files=$((files + 1))
  if [ ! -f "$base/$f" ]; then
    echo "only in NEW: $f"
    status=1
  elif [ ! -f "$new/$f" ]; then
    echo "only in BASE: $f"
    status=1
  elif ! same "$base/$f" "$new/$f"; then
    echo "differs: $f"
    status=1
  fi
done < <( (cd "$base" && find . -type f; cd "$new" && find . -type f) | sort -u)
if [ "$status" = 0 ]; then
  echo "identical: $files files ($base and $new)"
fi
exit "$status"
