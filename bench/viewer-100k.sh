#!/usr/bin/env bash
# Issue 7, in the browser: a slide (8192 x 8192) with 100,000 generated polygons of 30 vertices and
# 300 human regions, opened in headless chromium with the 60 Hz frame cap off (so a frame's time is
# what drawing it costs). Prints the time to the first complete view, the frame times of a scripted
# pan/zoom at three zooms, a human edit's save time beside the big layer, and the API's viewport
# query times. Needs chromium and chromedriver (apt-get install chromium chromium-driver).
#
#   bench/viewer-100k.sh [REGIONS]        (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
regions="${1:-100000}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get install -y -qq chromium chromium-driver
fi
offline=""
if [ -d "$HOME/.m2/repository/io/javalin" ]; then offline="-o"; fi
./mvnw -B -ntp -q $offline -pl web -am install -DskipTests >/dev/null
# The server and the viewer from this checkout (in one reactor), not whatever another build installed since.
./mvnw -B -ntp -q $offline -pl server,web test -Dtest=ViewerFrameBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dhistodraw.bench=true -Dhistodraw.bench.regions="$regions" -DargLine=-Xmx4g 2>&1 \
  | grep -v -e '^WARNING' -e ' INFO ' -e '^\[INFO\]' -e '^SLF4J' -e 'CdpVersionFinder' -e '^WARNING: Unable to find' || true
