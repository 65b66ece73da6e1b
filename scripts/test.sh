#!/usr/bin/env bash
# README command 2: installs what the tests need, builds LinkRay with its tests and runs the whole suite.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" dev
cd "$root"
echo "test: ctest --preset dev"
ctest --preset dev -j"$(nproc)"
