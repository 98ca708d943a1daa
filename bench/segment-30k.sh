#!/usr/bin/env bash
# Streamed vectorising on a slide that yields very many polygons, in a bounded heap: makes a
# SIZE x SIZE tiled pyramidal TIFF of nuclei (dark discs of radius 7 px every 36 px on pink tissue:
# (SIZE/36)^2 nuclei, 694,000 at 30,000, and one tissue region with as many holes), trains a model
# on a 720 x 720 crop of it with its label image, then times `histodraw segment` with -Xmx HEAP and
# prints the wall time (JVM start included: cold), the peak resident memory and the polygons written.
#
#   bench/segment-30k.sh [SIZE] [HEAP]          (defaults: 30000, 512m)
#
# Needs vips (libvips-tools) and /usr/bin/time; the slide is about 0.2 GB, in a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-30000}"
heap="${2:-512m}"
command -v vips >/dev/null || { echo "segment-30k: needs vips (Debian package libvips-tools)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "segment-30k: needs /usr/bin/time (Debian package time)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

./histodraw --version >/dev/null # builds the app when needed
echo "== writing a ${size} x ${size} slide of nuclei" >&2
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
side, r, c = 36, 7, 17.5
nucleus, tissue = (80, 40, 120), (230, 180, 200)
rgb, labels = bytearray(), bytearray()
for y in range(side):
    for x in range(side):
        inside = (x - c) ** 2 + (y - c) ** 2 <= r * r
        rgb += bytes(nucleus if inside else tissue)
        labels.append(1 if inside else 2)
with open(f"{work}/cell.ppm", "wb") as f:
    f.write(b"P6 %d %d 255\n" % (side, side) + bytes(rgb))
with open(f"{work}/cell-labels.pgm", "wb") as f:
    f.write(b"P5 %d %d 255\n" % (side, side) + bytes(labels))
PY
n=$(( (size + 35) / 36 ))
vips replicate "$work/cell.ppm" "$work/big.v" "$n" "$n"
vips crop "$work/big.v" "$work/slide.tif[tile,pyramid,compression=jpeg,Q=90,bigtiff]" 0 0 "$size" "$size"
rm "$work/big.v"
vips replicate "$work/cell.ppm" "$work/train.png" 20 20
vips replicate "$work/cell-labels.pgm" "$work/train_labels.png" 20 20
ls -l "$work/slide.tif" >&2

./histodraw segment --image "$work/train.png" --labels "$work/train_labels.png" --classes Nucleus,Tissue \
  --trees 4 --depth 8 --save-model "$work/nuclei.hdm" >&2

echo "== histodraw segment with -Xmx$heap" >&2
uptime >&2
HISTODRAW_JAVA_OPTS="-Xmx$heap" /usr/bin/time -v -o "$work/time.txt" \
  ./histodraw segment --model "$work/nuclei.hdm" --image "$work/slide.tif" --out "$work/out" | tee "$work/segment.txt" >&2
uptime >&2

seconds="$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time.txt")"
rss_kb="$(awk -F': ' '/Maximum resident set size/{print $2}' "$work/time.txt")"
features="$(grep -o '"type":"Feature"' "$work/out/slide.geojson" | wc -l)"
bytes="$(stat -c %s "$work/out/slide.geojson")"
python3 - "$size" "$heap" "$seconds" "$rss_kb" "$features" "$bytes" <<'PY'
import sys
size, heap, seconds, rss_kb, features, size_bytes = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
mpx = size * size / 1e6
print(f"segment of a {size} x {size} slide ({mpx:.0f} Mpx) with -Xmx{heap}: {seconds:.1f} s cold "
      f"({mpx / seconds:.1f} Mpx/s, JVM start included), peak RSS {rss_kb / 1024:.0f} MiB, "
      f"{features:,} polygons in a {size_bytes / 1e6:.0f} MB GeoJSON")
PY
