#!/usr/bin/env bash
# CI: runs every libFuzzer harness of nnpipe's readers briefly (Fuzz/run.sh, 30 s each by default;
# FUZZ_SECONDS overrides). Exits 0 with a message when the Swift toolchain has no libFuzzer runtime
# (e.g. Xcode's toolchain on macOS): fuzzing needs a swift.org toolchain.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-30}"

probe="$(mktemp -d)"
trap 'rm -rf "$probe"' EXIT
cat >"$probe/probe.swift" <<'SWIFT'
@_cdecl("LLVMFuzzerTestOneInput")
public func probe(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { 0 }
SWIFT
if ! command -v swiftc >/dev/null 2>&1 ||
  ! swiftc -sanitize=fuzzer,address -parse-as-library "$probe/probe.swift" -o "$probe/probe" \
    >"$probe/log" 2>&1; then
  echo "== fuzz: skipped: this Swift toolchain cannot build libFuzzer harnesses"
  [[ -s "$probe/log" ]] && tail -3 "$probe/log" | sed 's/^/   /'
  exit 0
fi

echo "== fuzz: every harness for $seconds s"
exec Fuzz/run.sh "$seconds"
