#!/usr/bin/env bash
# Issue 7, server side: how the API and the overlay tiles hold a slide with 100,000 generated
# polygons (30 vertices each) plus 300 human regions. Prints the bulk layer replace time, viewport
# query times at four zooms of a 1600 x 1000 screen (p50 / p95, with and without level of detail,
# with the index rows each query reads), overlay tile render times per pyramid level, and the time
# of a human edit beside the big layer; on H2, then on PostgreSQL when Debian's server binaries are
# installed (a throwaway cluster, as the PostgreSQL tests use).
#
#   bench/viewport-query.sh [REGIONS]        (default 100000)
#
# Timings depend on the machine and its load: compare the lines of one run with each other.
set -euo pipefail
cd "$(dirname "$0")/.."
regions="${1:-100000}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
offline=""
if [ -d "$HOME/.m2/repository/io/javalin" ]; then offline="-o"; fi

run() {
  ./mvnw -B -ntp -q $offline -pl server test -Dtest=ViewportQueryBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -Dhistodraw.bench=true -Dhistodraw.bench.regions="$regions" "$@" 2>&1 \
    | grep -v -e '^WARNING' -e ' INFO ' -e '^\[INFO\]' || true
}

echo "== H2 (embedded file database, the default)"
run
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "== PostgreSQL (throwaway local cluster)"
  run -Dhistodraw.bench.pg=true
else
  echo "== PostgreSQL skipped: no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql)"
fi
