#!/usr/bin/env bash
# CI for Examples/CustomActivation, the package that extends nnpipe with its own activations
# (see Documentation/ExtendingActivations.md): lint, build, test, run its model, and check with the
# real binaries that a checkpoint written by my-nnpipe is refused by the plain nnpipe.
#
# The plain nnpipe is built in the example's own build folder from the same checkout (only its
# main.swift is new there); set NNPIPE=/path/to/nnpipe to check against another binary.
set -euo pipefail
cd "$(dirname "$0")/../Examples/CustomActivation"
start=$SECONDS
step() { echo "-- $* ($((SECONDS - start)) s)"; }

step "swift format lint"
swift format lint --strict --recursive Package.swift Sources Tests

step "swift build"
swift build
swift build --product nnpipe
bin=$(swift build --show-bin-path)
nnpipe=${NNPIPE:-$bin/nnpipe}

step "swift test"
swift test

step "my-nnpipe run model.txt"
swift run my-nnpipe run model.txt --no-save --quiet

step "my-nnpipe list activation shows scaled_tanh and gaussian"
listing=$(swift run my-nnpipe list activation)
grep -q '^  scaled_tanh — ' <<<"$listing"
grep -q '^  gaussian — ' <<<"$listing"

step "a checkpoint from my-nnpipe: loads there, refused by the plain nnpipe ($nnpipe)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# snippet: ci-checkpoint
"$bin/my-nnpipe" run model.txt --quiet --epochs 20 --output "$work/model.safetensors"
"$bin/my-nnpipe" predict "$work/model.safetensors" inputs.csv >"$work/predictions.csv"
status=0
"$nnpipe" predict "$work/model.safetensors" inputs.csv 2>"$work/refused.txt" || status=$?
# end-snippet
cat "$work/refused.txt"
if [ "$status" -ne 64 ]; then
  echo "expected the plain nnpipe to exit with status 64, got $status" >&2
  exit 1
fi
expected="the checkpoint needs components this program does not have: activation:scaled_tanh, activation:gaussian"
if ! grep -qF "$expected" "$work/refused.txt"; then
  echo "expected the plain nnpipe to say: $expected" >&2
  exit 1
fi
if [ "$(wc -l <"$work/predictions.csv")" -ne 6 ]; then
  echo "expected a header and 5 predictions from my-nnpipe, got:" >&2
  cat "$work/predictions.csv" >&2
  exit 1
fi

step "done"
