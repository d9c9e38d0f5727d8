#!/usr/bin/env bash
# Installs the Debian packages Invigil needs (chromium for end-to-end tests, ffmpeg for recordings)
# when they are missing and we are root; otherwise says exactly what to install.
set -euo pipefail
need=()
command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || need+=(ffmpeg)
if [ "${1:-}" = "--with-browser" ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  # Without a CJK font headless Chromium draws Chinese as empty boxes in screenshots.
  fc-list 2>/dev/null | grep -qiE 'wqy|noto sans cjk|droid sans fallback' || need+=(fonts-wqy-microhei)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "Missing system packages: ${need[*]}" >&2
  echo "Install them with:  sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
