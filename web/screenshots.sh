#!/usr/bin/env bash
# Regenerates the screenshots of docs/viewer.md: runs the demo walk-through in headless chromium
# and saves what it shows into docs/images/ (small PNGs, committed with the docs).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$ROOT"
./mvnw -B -q -ntp -pl web -am verify -Dtest=DemoWalkThroughInTheBrowserTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dhistodraw.docs.screenshots="$ROOT/docs/images"
# Chromium's screenshots are full 24-bit PNGs; vips (libvips-tools) repacks them smaller when present.
if command -v vips >/dev/null; then
  for f in "$ROOT"/docs/images/*.png; do
    vips pngsave "$f" "$f.tmp.png" --compression 9 --palette --Q 90 && mv "$f.tmp.png" "$f"
  done
fi
ls -l "$ROOT/docs/images"
