#!/usr/bin/env bash
# Builds the libFuzzer harnesses of nnpipe's readers and runs each for a given time.
#
#   Fuzz/run.sh SECONDS [HARNESS…]
#
# HARNESS is one or more of FuzzModelParser, FuzzCSV, FuzzIDX, FuzzSafetensors (default: all four),
# each run for SECONDS seconds, one after the other, with
#   -max_total_time=SECONDS -timeout=5 -rss_limit_mb=2048
# (an input running longer than 5 s is a hang; using more than 2 GB, or one allocation above 2 GB,
# is a finding). Each harness starts from its committed seed corpus Fuzz/Corpus/<HARNESS>/, copied to
# a temporary folder, so the inputs libFuzzer adds never touch the repository.
#
# Exit status: 0 when no harness found anything; 1 when one crashed, trapped, hung, leaked or
# allocated too much (the crashing input's path is printed, and its folder is kept); 2 for a usage or
# build error.
#
# Environment:
#   FUZZ_SCRATCH  the SwiftPM scratch folder (default: Fuzz/.build)
#   FUZZ_NICE     the niceness of the fuzzing processes (default: 10)
#   FUZZ_WORK     where the temporary folders go (default: $TMPDIR or /tmp)
#   FUZZ_KEEP=1   keep each harness's folder (grown corpus and log) even without a finding
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
all=(FuzzModelParser FuzzCSV FuzzIDX FuzzSafetensors)

usage() {
  echo "usage: Fuzz/run.sh SECONDS [HARNESS…]   (harnesses: ${all[*]})" >&2
  exit 2
}

[[ $# -ge 1 && "$1" =~ ^[0-9]+$ && "$1" -ge 1 ]] || usage
seconds="$1"
shift
harnesses=("$@")
[[ ${#harnesses[@]} -eq 0 ]] && harnesses=("${all[@]}")
for harness in "${harnesses[@]}"; do
  [[ " ${all[*]} " == *" $harness "* ]] || {
    echo "error: unknown harness '$harness'" >&2
    usage
  }
done

scratch="${FUZZ_SCRATCH:-$here/.build}"
niceness="${FUZZ_NICE:-10}"
workroot="${FUZZ_WORK:-${TMPDIR:-/tmp}}"
flags=(-c debug --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address
  -Xswiftc -parse-as-library)

echo "== building ${harnesses[*]} (-sanitize=fuzzer,address)"
for harness in "${harnesses[@]}"; do
  if ! (cd "$here" && nice -n "$niceness" swift build "${flags[@]}" --product "$harness" 2>&1 |
    grep -v "Cannot export local symbol"); then
    echo "error: building $harness failed" >&2
    exit 2
  fi
  [[ -x "$scratch/debug/$harness" ]] || {
    echo "error: building $harness failed" >&2
    exit 2
  }
done

failed=0
for harness in "${harnesses[@]}"; do
  work="$(mktemp -d "$workroot/nnpipe-$harness-XXXXXX")"
  mkdir -p "$work/corpus"
  cp "$here/Corpus/$harness/"* "$work/corpus/"
  log="$work/log.txt"
  echo "== $harness for ${seconds} s (corpus: $(ls "$work/corpus" | wc -l) seeds; log: $log)"
  nice -n "$niceness" "$scratch/debug/$harness" \
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -use_value_profile=1 \
    -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" >"$log" 2>&1
  status=$?
  executions="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  coverage="$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)"
  features="$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)"
  echo "   executions: ${executions:-?}  coverage: ${coverage:-?} edges, ${features:-?} features" \
    " corpus: $(ls "$work/corpus" | wc -l) inputs  exit status: $status"
  artifacts=("$work"/crash-* "$work"/timeout-* "$work"/oom-* "$work"/leak-*)
  found=()
  for artifact in "${artifacts[@]}"; do [[ -e "$artifact" ]] && found+=("$artifact"); done
  if [[ $status -ne 0 || ${#found[@]} -gt 0 ]]; then
    failed=1
    echo "!! $harness found a problem; the log ends:"
    grep -v "^#[0-9]" "$log" | tail -40 | sed 's/^/   /'
    for artifact in "${found[@]}"; do
      echo "!! input: $artifact"
      echo "   replay: $scratch/debug/$harness $artifact"
    done
  elif [[ "${FUZZ_KEEP:-0}" == 1 ]]; then
    echo "   kept $work"
  else
    rm -rf "$work"
  fi
done
exit "$failed"
