#!/usr/bin/env bash
# Installs everything LinkRay needs to build, run and test on Debian 12: Qt 6.4 and tools from apt,
# chromium for the browser tests, the npm packages for the OCPP schemas, the web app's build and the test peers.
# Idempotent: skips what is already present.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

apt_packages=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-base-private-dev qt6-base-dev-tools qt6-websockets-dev qt6-httpserver-dev qt6-serialbus-dev qt6-serialport-dev
  qt6-charts-dev libqt6sql6-sqlite qt6-declarative-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtcharts qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtqml-workerscript qml6-module-qtquick-templates
  libssl-dev libgl-dev libsqlite3-dev sqlite3 nodejs npm python3 python3-pymodbus python3-serial python3-serial-asyncio socat
  clang-14 libclang-rt-14-dev openssl
  chromium
)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# nodejs/npm may come from outside apt (a preinstalled toolchain): accept those when they work.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]}"
if ((${#missing[@]})); then
  echo "install-deps: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install-deps: apt packages present"
fi

if [ -f "$root/package-lock.json" ] && [ -d "$root/node_modules" ] && [ "$root/node_modules/.package-lock.json" -nt "$root/package-lock.json" ]; then
  echo "install-deps: npm packages present"
else
  echo "install-deps: npm ci (OCPP 1.6 schemas and test peers, the web app's build tools, playwright-core)"
  (cd "$root" && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi)
fi
