#!/usr/bin/env bash
# Streamed ingest of a very large slide in a bounded heap: makes a SIZE x SIZE tiled TIFF (a mosaic
# of ../shared/data/gbm-nuclei, else a synthetic texture), then times `histodraw ingest` on it with
# -Xmx HEAP and prints the wall time, the speed and the peak resident memory of the JVM.
#
#   bench/ingest-20k.sh [SIZE] [HEAP]          (defaults: 20000, 512m)
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-20000}"
heap="${2:-512m}"

JDK25=/usr/lib/jvm/temurin-25-jdk-amd64
if [ -z "${JAVA_HOME:-}" ] && [ -x "$JDK25/bin/java" ]; then export JAVA_HOME="$JDK25"; fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[ -x /usr/bin/time ] || { echo "ingest-20k: needs /usr/bin/time (Debian package time)" >&2; exit 1; }

work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

./histodraw --version >/dev/null # builds the app when needed
echo "== writing a ${size} x ${size} tiled TIFF" >&2
"$JAVA" bench/TiledTiffSlide.java "$size" "$work/slide.tif"
ls -l "$work/slide.tif" >&2

# A data folder with an administrator to own the project: start a server on it once.
HISTODRAW_ADMIN_PASSWORD="bench-$(date +%s%N)" ./histodraw serve --admin bench --data "$work/data" --port 0 \
  >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do grep -q "HistoDraw server on" "$work/serve.log" && break; sleep 0.2; done
kill "$server"; wait "$server" 2>/dev/null || true; server=""

echo "== histodraw ingest with -Xmx$heap" >&2
HISTODRAW_JAVA_OPTS="-Xmx$heap" /usr/bin/time -v -o "$work/time.txt" \
  ./histodraw ingest --data "$work/data" --project Bench --series Big "$work/slide.tif" | tee "$work/ingest.txt" >&2

seconds="$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time.txt")"
rss_kb="$(awk -F': ' '/Maximum resident set size/{print $2}' "$work/time.txt")"
tiles="$(find "$work/data/slides" -name '*.jpg' | wc -l)"
bytes="$(du -sb "$work/data/slides" | cut -f1)"
python3 - "$size" "$heap" "$seconds" "$rss_kb" "$tiles" "$bytes" <<'PY'
import sys
size, heap, seconds, rss_kb, tiles, size_bytes = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
mpx = size * size / 1e6
print(f"ingest of a {size} x {size} tiled TIFF ({mpx:.0f} Mpx) with -Xmx{heap}: {seconds:.1f} s "
      f"({mpx / seconds:.1f} Mpx/s, JVM start included), peak RSS {rss_kb / 1024:.0f} MiB, "
      f"{tiles} JPEG tiles, {size_bytes / 1e6:.0f} MB")
PY
