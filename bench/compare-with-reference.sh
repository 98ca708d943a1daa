#!/usr/bin/env bash
# Times HistoDraw and the original stack (scikit-image + scikit-learn) on the very same test slide
# and labels, on this machine, in this run, and prints the ratios.
#
#   bench/compare-with-reference.sh [SIZE]          (default 4096: a 4096 x 4096 RGB slide)
#
# The slide is a mosaic of ../shared/data/gbm-nuclei (or the demo image) made by `histodraw bench`,
# which also writes it as PNG with its scribbles for the reference. Installs Debian's python3-sklearn
# and python3-skimage if they are missing (needs root, as on the project's machines).
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-4096}"
python=/usr/bin/python3
if ! "$python" -c 'import sklearn, skimage' 2>/dev/null; then
  echo "installing the reference stack (python3-sklearn, python3-skimage) ..." >&2
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-sklearn python3-skimage >/dev/null
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "load before: $(uptime)" >&2

echo "== HistoDraw, default settings" >&2
./histodraw bench --size "$size" --write-inputs "$work" | tee "$work/ours.txt" >&2
echo "== HistoDraw, the reference's settings (60 scikit-image features, 50 trees, depth 10)" >&2
./histodraw bench --size "$size" --trees 50 --depth 10 \
  --features 'kinds=gaussian,gradient,hessian;sigmas=1,2,4,8,16;channels=rgb' | tee "$work/matched.txt" >&2
echo "== HistoDraw, cold: one whole 'histodraw segment' process (JVM start, PNG decoding, polygons written)" >&2
now() { date +%s.%N; }
t0=$(now)
./histodraw segment --image "$work/image.png" --labels "$work/labels.png" --out "$work/segment" >&2
t1=$(now)
echo "== scikit-image + scikit-learn (the original stack), one whole process (Python start to class map written)" >&2
"$python" bench/reference_stack.py "$work/image.png" "$work/labels.png" "$work/reference_classes.png" |
  tee "$work/reference.txt" >&2
t2=$(now)
echo "{\"cold_segment_s\": $(awk "BEGIN { print $t1 - $t0 }"), \"reference_process_s\": $(awk "BEGIN { print $t2 - $t1 }")}" > "$work/cold.txt"
echo "load after: $(uptime)" >&2

"$python" - "$work" <<'PY'
import json, sys
work = sys.argv[1]
def last_json(name):
    lines = [l for l in open(f"{work}/{name}.txt") if l.startswith("{")]
    return json.loads(lines[-1])
ours, matched, ref, cold = last_json("ours"), last_json("matched"), last_json("reference"), last_json("cold")
print(f"test slide: {ref['megapixels']:.1f} Mpx, {ref['labelled_pixels']} labelled pixels")
print(f"{'stage':<14}{'reference s':>12}{'ours s':>10}{'ratio':>8}{'matched s':>11}{'ratio':>8}")
for key, label in [("features_s", "features"), ("training_s", "training"), ("prediction_s", "prediction"),
                   ("end_to_end_s", "end to end")]:
    r, o, m = ref[key], ours[key], matched[key]
    print(f"{label:<14}{r:>12.2f}{o:>10.2f}{r / o:>7.1f}x{m:>11.2f}{r / m:>7.1f}x")
print("(ours: training includes the features of the labelled pixels, prediction the features of every tile;"
      " the reference computes all features once, so compare end to end)")
print(f"peak memory: reference {ref['peak_rss_mb']:.0f} MB resident; ours {ours['peak_heap_mb']} MB heap "
      f"(matched {matched['peak_heap_mb']} MB)")
if "end_to_end_cpu_s" in ours and "end_to_end_cpu_s" in ref:
    print(f"CPU time end to end (all threads; what a loaded machine does not stretch): reference "
          f"{ref['end_to_end_cpu_s']:.2f} s, ours {ours['end_to_end_cpu_s']:.2f} s "
          f"({ref['end_to_end_cpu_s'] / ours['end_to_end_cpu_s']:.1f}x), matched {matched['end_to_end_cpu_s']:.2f} s "
          f"({ref['end_to_end_cpu_s'] / matched['end_to_end_cpu_s']:.1f}x)")
print(f"cold, whole process: histodraw segment {cold['cold_segment_s']:.2f} s, the original stack "
      f"{cold['reference_process_s']:.2f} s ({cold['reference_process_s'] / cold['cold_segment_s']:.1f}x)")
print(f"SUMMARY end-to-end speed-up: {ref['end_to_end_s'] / ours['end_to_end_s']:.1f}x with defaults, "
      f"{ref['end_to_end_s'] / matched['end_to_end_s']:.1f}x with the reference's settings")
PY
