#!/usr/bin/env bash
# Installs the system packages featlearn uses on Debian/Ubuntu: OpenBLAS + LAPACKE (the native backend),
# pkg-config, a C++ toolchain for node-gyp, python3 (node-gyp; numpy only for the benchmarks), and
# chromium (the browser explorer's end-to-end test drives /usr/bin/chromium with playwright-core).
# Installs only what is missing; uses sudo when not root. Node.js >= 20 must already be installed.
set -euo pipefail
packages=(libopenblas-dev liblapacke-dev pkg-config g++ make python3 chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-debian: system packages present (${packages[*]})"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup-debian: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
