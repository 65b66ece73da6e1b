#!/usr/bin/env bash
# The benchmark command (README "Benchmarks"; on demand, never part of the test command): builds the release preset,
# runs every benchmark of bench/ on 127.0.0.1, and ends with one table: figure | measured | target | baseline
# measured in the same run | met? | load average when the figure was taken. Each benchmark prints its own report
# (kept in the run's log directory) and RESULT lines (bench/benchresult.h), which this script gathers.
#   --quick            about 10 minutes: 1-minute soak, backlog of 20,000, 256 MB database (the full run: ~20 min once built)
#   --build-dir DIR    build and run there instead of build/release (configured with the release preset)
#   --no-build         run what DIR already holds
#   --data-parent DIR  where linkray's data directories go (default: the system temp directory; its disk sets the
#                      enqueue rate; /dev/shm takes the disk out)
#   --only LIST        comma-separated runs of: allocation, control, messagelog, proxy-1, proxy-100, proxy-1000, backlog, scale,
#                      soak, startup
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$root/build/release
quick=0
build=1
data_parent=${TMPDIR:-/tmp}
only=
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --build-dir) build_dir=$(realpath -m "$2"); shift ;;
    --no-build) build=0 ;;
    --data-parent) data_parent=$2; shift ;;
    --only) only=$2; shift ;;
    *) sed -n '2,12p' "$0" >&2; exit 2 ;;
  esac
  shift
done

if [ "$build" = 1 ]; then
  cd "$root"
  if [ "$build_dir" = "$root/build/release" ]; then
    cmake --preset release >/dev/null
    cmake --build --preset release -j"$(nproc)"
  else
    cmake --preset release -B "$build_dir" >/dev/null
    cmake --build "$build_dir" -j"$(nproc)" --target linkray bench_allocation bench_control bench_messagelog bench_proxy
  fi
fi

# 1,000 chargers through linkray are 2,000 sockets in linkray and as many in bench_proxy.
[ "$(ulimit -n)" -ge 8192 ] || ulimit -n "$(ulimit -Hn)"

if [ "$quick" = 1 ]; then
  seconds=5 backlog=20000 scale_seconds=30 soak_seconds=60 database_mb=256
else
  seconds=10 backlog=100000 scale_seconds=60 soak_seconds=600 database_mb=1024
fi
logs=$(mktemp -d "${TMPDIR:-/tmp}/linkray-bench-XXXXXX")
results=$logs/results.md
bench=$build_dir/bench
failed=0

# Runs one benchmark; its RESULT lines get the load average at their end appended.
run() {
  local name=$1
  shift
  [ -z "$only" ] || [[ ",$only," == *",$name,"* ]] || return 0
  echo
  echo "=== $name: ${*#"$build_dir/"}   (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  if ! "$@" 2>&1 | tee "$logs/$name.log"; then
    failed=1
    echo "| $name | **failed**: see $logs/$name.log | | | **NO** | $(cut -d' ' -f1 /proc/loadavg) |" >>"$results"
  fi
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  grep '^RESULT |' "$logs/$name.log" | sed -e 's/^RESULT //' -e "s/\$/ $load |/" >>"$results" || true
}

proxy=("$bench/bench_proxy" --data-parent "$data_parent")
run allocation "$bench/bench_allocation"
run control "$bench/bench_control"
run messagelog env TMPDIR="$data_parent" "$bench/bench_messagelog"
for chargers in 1 100 1000; do
  run "proxy-$chargers" "${proxy[@]}" --scenarios latency,throughput --chargers "$chargers" --seconds "$seconds"
done
run backlog "${proxy[@]}" --scenarios backlog --chargers 100 --backlog "$backlog"
run scale "${proxy[@]}" --scenarios scale --scale-chargers 1000 --scale-seconds "$scale_seconds"
run soak "${proxy[@]}" --scenarios soak --soak-chargers 500 --soak-seconds "$soak_seconds"
run startup "${proxy[@]}" --scenarios startup --database-mb "$database_mb"

echo
echo "LinkRay benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(git -C "$root" describe --always --dirty 2>/dev/null)," \
  "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $([ "$quick" = 1 ] && echo quick || echo full) run," \
  "data in $data_parent; reports in $logs"
echo
echo "| figure | measured | target | baseline (same run) | met? | load avg |"
echo "|---|---|---|---|---|---|"
cat "$results"
exit "$failed"
