#!/usr/bin/env bash
# Make sure a Chromium for the browser tests is on this machine (Debian's package;
# Playwright never downloads a browser here). Honours $MALI_MAP_CHROMIUM.
set -euo pipefail
browser="${MALI_MAP_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$browser" ]; then
  exit 0
fi
echo "ensure_chromium: $browser not found; installing Debian's chromium" >&2
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "ensure_chromium: not root and no sudo: install the 'chromium' package yourself" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
[ -x "$browser" ] || { echo "ensure_chromium: still no $browser after install" >&2; exit 1; }
