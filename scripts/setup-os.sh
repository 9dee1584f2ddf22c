#!/usr/bin/env bash
# Installs the Debian packages dl4j-debug needs for its tests and samples, when they are missing:
#   dataset-fashion-mnist  real data for tests and the bug gallery (/usr/share/datasets/fashion-mnist)
#   chromium, chromium-driver  the browser tests of the Debug page (Selenium)
# Arguments name a subset to install instead (the ./dl4j-debug launcher asks only for the data).
# Runs apt-get as root, or through sudo when available; otherwise prints the command to run and exits 1.
set -euo pipefail
if [ $# -gt 0 ]; then
  packages=("$@")
else
  packages=(dataset-fashion-mnist chromium chromium-driver)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "dl4j-debug needs these Debian packages: ${missing[*]}" >&2
  echo "Run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
