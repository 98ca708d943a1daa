#!/usr/bin/env bash
# Issue 6: the engine in the browser. The same "segment here" work (features, forest training,
# prediction with uncertainty) of an N x N image with scribbles of two classes, on the JVM and in
# headless chromium's web worker (the engine compiled by TeaVM to WebAssembly GC, which the viewer
# uses, and to JavaScript, its fallback); prints the seconds of each (best of four rounds taking
# turns, after a warm-up round) and the ratios (target: the browser within 2x of the JVM).
# Needs chromium and chromedriver (apt-get install chromium chromium-driver).
#
#   bench/browser-vs-jvm.sh [N]        (default 1024)
set -euo pipefail
cd "$(dirname "$0")/.."
side="${1:-1024}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get install -y -qq chromium chromium-driver
fi
offline=""
if [ -d "$HOME/.m2/repository/org/teavm" ]; then offline="-o"; fi
# Built from this tree in one reactor (nothing installed into ~/.m2, which other trees may share).
./mvnw -B -ntp -q $offline -pl web -am test -Dtest=BrowserEngineBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dhistodraw.bench=true -Dhistodraw.bench.side="$side" -DargLine=-Xmx4g 2>&1 \
  | grep -v -e '^WARNING' -e ' INFO ' -e '^\[INFO\]' -e '^SLF4J' -e 'CdpVersionFinder' -e '^WARNING: Unable to find' || true
