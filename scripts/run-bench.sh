#!/usr/bin/env bash
# README command 1: installs, builds, then runs LinkRay on its embedded bench defaults with simulated charge points
# and a simulated site meter from linkray-sim, all on 127.0.0.1: offline mode with load balancing. Ctrl-C stops
# both. Options: LINKRAY_SIM_COUNT (default 4),
# LINKRAY_SIM_TIME_SCALE (default 60: one simulated minute per second), LINKRAY_BENCH_DATA (data directory),
# LINKRAY_BENCH_BASE_LOAD_A (house load at start, default 10 A per phase).
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

# The simulated chargers also serve the site meter LinkRay balances from (Modbus TCP, SDM630 map, port 5020):
# its reading is the base load in base-load.txt plus what the chargers draw.
echo "${LINKRAY_BENCH_BASE_LOAD_A:-10}" > "$data/base-load.txt"
"$bin/sim/linkray-sim" --url ws://127.0.0.1:8180/ocpp --count "${LINKRAY_SIM_COUNT:-4}" \
  --time-scale "${LINKRAY_SIM_TIME_SCALE:-60}" --meter-port 5020 --base-load-file "$data/base-load.txt" &
sim_pid=$!

cat <<MSG

LinkRay bench site is running.
  OCPP endpoint for charge points: ws://127.0.0.1:8180/ocpp/<chargePointId>
  Data directory (SQLite database): $data/linkray.db
  Site meter (simulated, Modbus TCP): 127.0.0.1:5020; grid 63 A per phase, 4 balanced chargers.
  Change the house load (A per phase, e.g. 40 or 40,20,10) and watch the chargers' limits follow:
    echo 40 > $data/base-load.txt
  Web app: open http://127.0.0.1:8080/ in a browser (docs/web-ui.md; the HTTP API is under /api/v1, docs/api.md)
    No default password: the first visit asks you to create the admin account, then you are logged in.
    Or from the shell: $bin/app/linkray --data-dir $data --create-admin admin   (password on standard input)
  The database can also be read directly, e.g.
    sqlite3 $data/linkray.db 'select id, applied_limit, applied_number_phases from charge_points'
Press Ctrl-C to stop.
MSG
wait $linkray_pid
