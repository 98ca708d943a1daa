#!/usr/bin/env bash
# Coarse-to-fine on a whole slide: a JPEG-tiled pyramid made with vips from the gbm-nuclei images,
# a model trained on three of them with an overview at 1/8, then on the slide
#   1. a tissue map at 1/8 (--resolution 8),
#   2. full-resolution classes, coarse-to-fine (--refine),
#   3. full-resolution classes, exact (every pixel),
# each one whole `histodraw segment` process, with the ratios and the pixels where 2 differs from 3.
#
#   bench/tissue-map.sh [SIDE]     (default 30000: a 30k x 30k slide, 0.9 Gpx; needs vips)
#   EXACT=0 bench/tissue-map.sh    skips step 3 (the longest) and the comparison
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
side="${1:-30000}"
data="${HISTODRAW_DATA:-../shared/data}/gbm-nuclei"
[ -f "$data/20.png" ] || { echo "bench/tissue-map.sh: error: GBM nuclei not found at $data" >&2; exit 1; }
command -v vips >/dev/null || { echo "bench/tissue-map.sh: error: needs vips (apt-get install libvips-tools)" >&2; exit 1; }
./histodraw --version >/dev/null # builds the app when needed
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

across=$(( (side + 511) / 512 ))
echo "making a ${side} x ${side} slide ($across x $across gbm-nuclei images) with vips ..." >&2
files=()
for ((i = 0; i < across * across; i++)); do files+=("$data/$(printf %02d $((i % 20 + 1))).png"); done
vips arrayjoin "${files[*]}" "$work/mosaic.v" --across "$across"
vips crop "$work/mosaic.v" "$work/crop.v" 0 0 "$side" "$side"
vips tiffsave "$work/crop.v" "$work/slide.tif" --tile --pyramid --compression jpeg --Q 90 \
  --tile-width 256 --tile-height 256 --bigtiff
rm -f "$work/mosaic.v" "$work/crop.v"
ls -l "$work/slide.tif" >&2

./histodraw segment --image "$data/01.png" --image "$data/02.png" --image "$data/03.png" \
  --labels "$data/01_scribbles.png" --labels "$data/02_scribbles.png" --labels "$data/03_scribbles.png" \
  --classes Background,Nucleus --overview 8 --save-model "$work/model.hdm" >&2

echo "load before: $(uptime)" >&2
t=$(now)
./histodraw segment --model "$work/model.hdm" --image "$work/slide.tif" --resolution 8 --out "$work/map" >&2
map_s=$(since "$t")
t=$(now)
./histodraw segment --model "$work/model.hdm" --image "$work/slide.tif" --refine --out "$work/refined" \
  | tee "$work/refined.txt" >&2
refined_s=$(since "$t")
exact_s=""
if [ "${EXACT:-1}" = 1 ]; then
  t=$(now)
  ./histodraw segment --model "$work/model.hdm" --image "$work/slide.tif" --out "$work/exact" >&2
  exact_s=$(since "$t")
fi
echo "load after: $(uptime)" >&2

echo "slide ${side} x ${side}, cold whole processes (JVM start included):"
echo "  tissue map at 1/8:            ${map_s} s (goal: under 10 s)"
echo "  full resolution, refined:     ${refined_s} s"
grep "coarse-to-fine" "$work/refined.txt" || true
if [ -n "$exact_s" ]; then
  echo "  full resolution, exact:       ${exact_s} s"
  awk "BEGIN { printf \"  refined / exact:              %.2f (goal: under 0.5)\n\", $refined_s / $exact_s }"
  vips relational "$work/refined/slide_classes.png" "$work/exact/slide_classes.png" "$work/diff.v" noteq
  echo "  pixels differing from exact:  $(vips avg "$work/diff.v" | awk -v n="$side" '{ printf "%.0f (%.3f%%)", $1 / 255 * n * n, $1 / 255 * 100 }')" \
    "(only in blocks the overview settled; see the README)"
fi
