#!/usr/bin/env bash
# Configures and builds LinkRay with a CMake preset (default: dev = Debug with tests; release for the bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
preset=${1:-dev}
cd "$root"
echo "build: cmake --preset $preset"
cmake --preset "$preset" >/dev/null
echo "build: cmake --build --preset $preset -j$(nproc)"
cmake --build --preset "$preset" -j"$(nproc)"
