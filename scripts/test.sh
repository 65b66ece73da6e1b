#!/usr/bin/env bash
# README command 2: installs what the tests need, builds LinkRay with its tests three ways, and runs: the short
# fuzzing pass (clang, ASan + UBSan, libFuzzer), the whole suite under ASan + UBSan + LeakSanitizer, and last the
# whole suite in the plain debug build, whose CTest summary ends the output.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" dev
"$root/scripts/build.sh" fuzz
"$root/scripts/build.sh" asan
cd "$root"
echo "test: ctest --preset fuzz (each fuzzer runs for LINKRAY_FUZZ_SECONDS, default 30 s; the smaller ones for LINKRAY_FUZZ_SHORT_SECONDS, default 20 s)"
ctest --preset fuzz
echo "test: ctest --preset asan (the whole suite with AddressSanitizer, UndefinedBehaviorSanitizer, LeakSanitizer)"
ctest --preset asan -j"$(nproc)"
echo "test: ctest --preset dev"
ctest --preset dev -j"$(nproc)"
