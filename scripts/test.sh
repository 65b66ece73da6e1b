#!/usr/bin/env bash
# README command 2: installs what the tests need, builds LinkRay with its tests, runs the short fuzzing pass
# (clang, ASan + UBSan, libFuzzer) and then the whole test suite, whose CTest summary ends the output.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" dev
"$root/scripts/build.sh" fuzz
cd "$root"
echo "test: ctest --preset fuzz (each fuzzer runs for LINKRAY_FUZZ_SECONDS, default 30 s)"
ctest --preset fuzz
echo "test: ctest --preset dev"
ctest --preset dev -j"$(nproc)"
