#!/usr/bin/env bash
# A tissue map of a whole slide from the viewer's segmentation service, as a user waits for it: a
# 30k x 30k JPEG-tiled pyramid of the GBM images registered with `histodraw serve`, a
# nuclei model with an overview at 1/8 trained by `histodraw segment` and imported into
# `histodraw service`, then a job at resolution 8 (what the panel's "a tissue map at 1/8" starts):
# the slice's level read from the server as IIIF regions, predicted, traced, staged and published.
# Prints the job's seconds (from the request to "done"), its stages, the polygons published, and a
# cold `histodraw segment --resolution 8` of the same file for comparison (whole process).
#
# The only whole slide of the shared data is nuclei everywhere: a nuclei model's map at 1/8 traces
# 298,100 nuclei and a background with a hole for each, past the 200,000 vertices the server takes in
# one region (docs/security.md). So the job publishes the nuclei's class only ("omit": ["Background"],
# the panel's "Regions of" boxes), of MIN_AREA px² or more (default 2000: clusters, not lone nuclei;
# 0 keeps every nucleus, about 100 MB sent in parts); the area table still measures every class.
# RESOLUTION=1 predicts every pixel instead (the whole slide of nuclei: minutes).
#
#   bench/service-tissue-map.sh [SIZE]     (default 30000; the slide is $BENCH_DIR/gbm-SIZE.tif, made
#                                          with vips when missing, as bench/wsi-tiles.sh makes it)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
size="${1:-30000}"
bench_dir="${BENCH_DIR:-/tmp/histodraw-bench}"
data="${HISTODRAW_DATA:-../shared/data}/gbm-nuclei"
slide="$bench_dir/gbm-$size.tif"
for tool in curl jq python3; do
  command -v "$tool" >/dev/null || { echo "service-tissue-map: $tool is missing (apt-get install curl jq python3)" >&2; exit 1; }
done
[ -f "$data/01.png" ] || { echo "service-tissue-map: GBM nuclei not found at $data" >&2; exit 1; }
if [ ! -s "$slide" ]; then
  # as bench/wsi-tiles.sh makes it (and keeps it for the other benches)
  command -v vips >/dev/null || { echo "service-tissue-map: needs vips to make $slide (apt-get install libvips-tools)" >&2; exit 1; }
  echo "== making a $size x $size JPEG-tiled pyramid from $data with vips" >&2
  mkdir -p "$bench_dir"
  make_gbm_slide "$size" "$data" "$slide"
fi
start_bench

echo "== the model: nuclei of three GBM images, with an overview at 1/8" >&2
./histodraw segment --image "$data/01.png" --image "$data/02.png" --image "$data/03.png" \
  --labels "$data/01_scribbles.png" --labels "$data/02_scribbles.png" --labels "$data/03_scribbles.png" \
  --classes Background,Nucleus --overview 8 --save-model "$work/model.hdm" >&2

echo "== the server, the slide registered where it lies (ingest --link)" >&2
password="bench-$(date +%s%N)"
serve() {
  HISTODRAW_ADMIN_PASSWORD="$password" ./histodraw serve --admin bench --data "$work/data" --port "$1" >>"$work/server.log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$1/api/openapi.json"
}
port="$(free_port)"
serve "$port" # once, to create the administrator; ingest wants the server stopped
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
./histodraw ingest --data "$work/data" --project Bench --series WSI --link "$slide" >"$work/ingest.log" 2>&1 \
  || { cat "$work/ingest.log" >&2; exit 1; }
serve "$port"
base="http://127.0.0.1:$port"
api() { curl -fsS -b "$work/cookies" -c "$work/cookies" -H "X-CSRF-Token: ${csrf:-}" -H 'Content-Type: application/json' -X "$1" "$base$2" ${3:+-d "$3"}; }
csrf="$(api POST /api/v1/auth/login "{\"username\":\"bench\",\"password\":\"$password\"}" | jq -r .csrfToken)"
project="$(api GET /api/v1/projects | jq -r '.[0].id')"
series="$(api GET "/api/v1/projects/$project/series" | jq -r '.[0].id')"
token="$(api POST "/api/v1/projects/$project/tokens" '{"name":"service","scopes":["read","write"]}' | jq -r .token)"

echo "== the service" >&2
sport="$(free_port)"
./histodraw service --server "$base" --port "$sport" --data "$work/service" >"$work/service.log" 2>&1 &
pids+=($!)
svc="http://127.0.0.1:$sport"
wait_for "$svc/api/info"
call() { curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -X "$1" "$svc$2" ${3:+-d @-}; }
python3 -c "import base64, json, sys; print(json.dumps({'name': 'nuclei', 'file': base64.b64encode(open(sys.argv[1], 'rb').read()).decode()}))" \
  "$work/model.hdm" | call POST /api/models/import x >/dev/null

echo "load before: $(uptime)" >&2
t=$(now)
min_area="${MIN_AREA:-2000}"
resolution="${RESOLUTION:-8}" # 1: every pixel, the whole slide of nuclei
job="$(echo "{\"series\": $series, \"model\": {\"name\": \"nuclei\", \"version\": 0}, \"resolution\": $resolution, \"minArea\": $min_area, \"omit\": [\"Background\"]}" \
  | call POST /api/jobs x | jq -r .id)"
while :; do
  view="$(call GET "/api/jobs/$job")"
  state="$(jq -r .state <<<"$view")"
  case "$state" in queued | running | publishing) sleep 0.2 ;; *) break ;; esac
done
job_s=$(since "$t")
[ "$state" = done ] || { echo "service-tissue-map: the job ended $state: $(jq -r .message <<<"$view")" >&2; exit 1; }
polygons="$(jq '.slices[0].polygons' <<<"$view")"
t=$(now)
./histodraw segment --model "$work/model.hdm" --image "$slide" --resolution "$resolution" --min-area "$min_area" --out "$work/map" >&2
cli_s=$(since "$t")
echo "load after: $(uptime)" >&2

echo "slide ${size} x ${size} ($(python3 -c "print(f'{$(stat -c %s "$slide")/1e9:.2f}')") GB JPEG pyramid), predicted at 1/${resolution}:"
echo "  from the service (job request to published, warm server and service): ${job_s} s, ${polygons} Nucleus regions of ${min_area} px² or more"
jq -r '.slices[0] | "    predicting and tracing \(.seconds - .uploadSeconds | . * 100 | round / 100) s, staging on the server \(.uploadSeconds | . * 100 | round / 100) s"' <<<"$view"
echo "  histodraw segment --resolution ${resolution} --min-area ${min_area} (cold whole process, all classes written): ${cli_s} s"
