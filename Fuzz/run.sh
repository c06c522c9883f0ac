#!/usr/bin/env bash
# Builds the libFuzzer harnesses of nnpipe's readers and runs each for a given time.
#
#   Fuzz/run.sh SECONDS [HARNESS…]
#
# HARNESS is one or more of FuzzModelParser, FuzzCSV, FuzzIDX, FuzzSafetensors, FuzzOutputGuard,
# FuzzResume (default: all six),
# each run for SECONDS seconds, one after the other, with
#   -max_total_time=SECONDS -timeout=5 -rss_limit_mb=2048
# (an input running longer than 5 s is a hang; using more than 2 GB, or one allocation above 2 GB,
# is a finding). Each harness starts from its committed seed corpus Fuzz/Corpus/<HARNESS>/, copied to
# a temporary folder, so the inputs libFuzzer adds never touch the repository.
#
# libFuzzer measures the timeout in wall-clock time, so on a busy machine a harness may be stopped by
# an input that is not slow at all: such an input is replayed (three times, not niced), and if it
# finishes within the timeout it is discarded and fuzzing goes on from the grown corpus.
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
#   FUZZ_CORPUS   a folder keeping each harness's grown corpus between runs, in FUZZ_CORPUS/<HARNESS>
#                 (seeded from Fuzz/Corpus the first time), for longer campaigns in several sittings
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
all=(FuzzModelParser FuzzCSV FuzzIDX FuzzSafetensors FuzzOutputGuard FuzzResume)

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

# Replays `input` with `binary` (not niced) and says whether it still runs over the timeout: a
# timeout seen while the machine is busy (libFuzzer's timeout is wall-clock time) only counts when
# it reproduces.
reproduces_timeout() {
  local binary="$1" input="$2"
  for _ in 1 2 3; do
    "$binary" -timeout=5 -rss_limit_mb=2048 "$input" >/dev/null 2>&1 || return 0
  done
  return 1
}

failed=0
for harness in "${harnesses[@]}"; do
  binary="$scratch/debug/$harness"
  work="$(mktemp -d "$workroot/nnpipe-$harness-XXXXXX")"
  if [[ -n "${FUZZ_CORPUS:-}" ]]; then
    mkdir -p "$FUZZ_CORPUS/$harness"
    cp -n "$here/Corpus/$harness/"* "$FUZZ_CORPUS/$harness/"
    ln -s "$(cd "$FUZZ_CORPUS/$harness" && pwd)" "$work/corpus"
  else
    mkdir -p "$work/corpus"
    cp "$here/Corpus/$harness/"* "$work/corpus/"
  fi
  log="$work/log.txt"
  : >"$log"
  echo "== $harness for ${seconds} s (corpus: $(ls "$work/corpus/" | wc -l) inputs; log: $log)"
  deadline=$((SECONDS + seconds))
  executions=0
  status=0
  discarded=0
  while ((SECONDS < deadline)); do
    segment="$work/segment.txt"
    nice -n "$niceness" "$binary" \
      -max_total_time="$((deadline - SECONDS))" -timeout=5 -rss_limit_mb=2048 \
      -use_value_profile=1 -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" \
      >"$segment" 2>&1
    status=$?
    cat "$segment" >>"$log"
    count="$(sed -n 's/^stat::number_of_executed_units: *//p' "$segment" | tail -1)"
    executions=$((executions + ${count:-0}))
    timeouts=("$work"/timeout-*)
    # Go on after a timeout that does not reproduce; stop at anything else.
    if [[ $status -ne 0 && -e "${timeouts[0]}" && ${#timeouts[@]} -eq 1 ]] &&
      ! ls "$work"/crash-* "$work"/oom-* "$work"/leak-* >/dev/null 2>&1 &&
      ! reproduces_timeout "$binary" "${timeouts[0]}"; then
      echo "   (a timeout under load did not reproduce on replay; going on)" | tee -a "$log"
      rm -f "${timeouts[0]}"
      discarded=$((discarded + 1))
      status=0
      continue
    fi
    break
  done
  coverage="$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)"
  features="$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)"
  echo "   executions: $executions  coverage: ${coverage:-?} edges, ${features:-?} features" \
    " corpus: $(ls "$work/corpus/" | wc -l) inputs  exit status: $status" \
    " timeouts discarded: $discarded"
  found=()
  for artifact in "$work"/crash-* "$work"/timeout-* "$work"/oom-* "$work"/leak-*; do
    [[ -e "$artifact" ]] && found+=("$artifact")
  done
  if [[ $status -ne 0 || ${#found[@]} -gt 0 ]]; then
    failed=1
    echo "!! $harness found a problem; the log ends:"
    grep -v "^#[0-9]" "$segment" | tail -40 | sed 's/^/   /'
    for artifact in "${found[@]}"; do
      echo "!! input: $artifact"
      echo "   replay: $binary $artifact"
    done
  elif [[ "${FUZZ_KEEP:-0}" == 1 ]]; then
    echo "   kept $work"
  else
    rm -rf "$work"
  fi
done
exit "$failed"
