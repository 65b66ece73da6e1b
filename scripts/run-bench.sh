#!/usr/bin/env bash
# README command 1: installs, builds, then runs LinkRay on its embedded bench defaults with simulated charge points
# from linkray-sim, all on 127.0.0.1. Ctrl-C stops both. Options: LINKRAY_SIM_COUNT (default 4),
# LINKRAY_SIM_TIME_SCALE (default 60: one simulated minute per second), LINKRAY_BENCH_DATA (data directory).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" release

bin="$root/build/release/src"
data=${LINKRAY_BENCH_DATA:-$root/build/bench-data}
mkdir -p "$data"

"$bin/app/linkray" --data-dir "$data" &
linkray_pid=$!
trap 'kill $linkray_pid ${sim_pid:-} 2>/dev/null; wait 2>/dev/null' EXIT INT TERM

# The bench defaults listen on 127.0.0.1:8180; wait until the port answers before starting the chargers.
for _ in $(seq 1 100); do
  (exec 3<>/dev/tcp/127.0.0.1/8180) 2>/dev/null && break
  kill -0 $linkray_pid 2>/dev/null || { echo "run-bench: linkray exited early" >&2; exit 1; }
  sleep 0.1
done

"$bin/sim/linkray-sim" --url ws://127.0.0.1:8180/ocpp --count "${LINKRAY_SIM_COUNT:-4}" \
  --time-scale "${LINKRAY_SIM_TIME_SCALE:-60}" &
sim_pid=$!

cat <<MSG

LinkRay bench site is running.
  OCPP endpoint for charge points: ws://127.0.0.1:8180/ocpp/<chargePointId>
  Data directory (SQLite database): $data/linkray.db
  Web app: arrives with the web issue; until then inspect the database, e.g.
    sqlite3 $data/linkray.db 'select * from transactions order by id desc limit 5'
Press Ctrl-C to stop.
MSG
wait $linkray_pid
