#!/usr/bin/env bash
# README command 2: installs what the tests need, builds LinkRay twice (clang with libFuzzer for the fuzzers; GCC with
# AddressSanitizer + UndefinedBehaviorSanitizer for the tests), and runs the short fuzzing pass, then the whole suite
# under the sanitizers with LeakSanitizer on, whose CTest summary ends the output. The plain debug build (preset dev)
# runs the same suite for day-to-day work (docs/development.md); a second run of it here would test nothing more.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" fuzz
"$root/scripts/build.sh" asan
cd "$root"
echo "test: ctest --preset fuzz (each fuzzer runs for LINKRAY_FUZZ_SECONDS, default 30 s; the smaller ones for LINKRAY_FUZZ_SHORT_SECONDS, default 20 s)"
ctest --preset fuzz
echo "test: ctest --preset asan (the whole suite with AddressSanitizer, UndefinedBehaviorSanitizer, LeakSanitizer)"
ctest --preset asan -j"$(nproc)"
