#!/usr/bin/env bash
# Renders a cascade demo report to a PNG with headless Chromium, to check that the page draws without a server.
#   samples/CascadeDemo/screenshot.sh <report.html> <out.png> [width] [height]
# Width defaults to 1400 px; the height defaults to 2450 px, enough for the whole report at that width.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 <report.html> <out.png> [width] [height]" >&2
  exit 2
fi

html=$1
png=$2
width=${3:-1400}
height=${4:-2450}

if [[ ! -f "$html" ]]; then
  echo "$0: no such report: $html" >&2
  exit 2
fi

browser=""
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" >/dev/null 2>&1; then
    browser=$candidate
    break
  fi
done
if [[ -z "$browser" ]]; then
  echo "$0: Chromium is not installed; on Debian or Ubuntu: apt-get install chromium" >&2
  exit 127
fi

# Chromium needs absolute paths: the URL for the page, and the output file (it writes relative to its own directory).
abs_html=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
abs_png=$(cd "$(dirname "$png")" && pwd)/$(basename "$png")

# --no-sandbox: containers and root shells have no user namespace for the sandbox; the page is our own local file.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
  --window-size="$width,$height" --screenshot="$abs_png" "file://$abs_html" 2>/dev/null

if [[ ! -s "$abs_png" ]]; then
  echo "$0: Chromium wrote no screenshot to $abs_png" >&2
  exit 1
fi
echo "$abs_png"
