#!/usr/bin/env bash
# Whole-slide files served in place (issue 14): a JPEG-tiled pyramidal TIFF made by vips from the real
# H&E images of ../shared/data/gbm-nuclei, uploaded to `histodraw serve`, against nginx serving the
# same tiles as static files, in one run, on this machine. By default nginx serves the very bytes
# HistoDraw answers (every tile fetched from it once, after its cold pass): the slide's own JPEG tiles
# are passed through, and vips writes them in RGB at Q 90 (about 45 kB), while `vips dzsave` re-encodes
# in YCbCr (about 28 kB), so a pre-cut pyramid would have nginx move 40% fewer bytes for the same
# tiles. SAME_BYTES=0 serves the `vips dzsave` pyramid instead.
#
#   bench/wsi-tiles.sh [SIZE] [SECONDS] [CONNECTIONS]     (defaults: 30000, 10, 32)
#
# Prints: the time from the last byte of the upload sent to the first tile answered (cold: the server has never
# seen the slide); tiles/s of HistoDraw and nginx with wrk (-t2, random tiles among every tile of the
# pyramid, bench/tiles.lua), best of $ROUNDS rounds after a warm-up, and the ratio; server CPU time per
# tile; the server's peak resident memory (VmHWM); and the cold `histodraw ingest` of the same file
# (whole process, /usr/bin/time). Slides are made once in $BENCH_DIR (default /tmp/histodraw-bench,
# never in the repository): SIZE 30000 is 0.9 Gpx (about 0.5 GB), SIZE 90000 8.1 Gpx (about 4 GB;
# making it and its nginx pyramid takes a while and about 10 GB of disk).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
size="${1:-30000}"
seconds="${2:-10}"
connections="${3:-32}"
threads=2
rounds="${ROUNDS:-3}"
bench_dir="${BENCH_DIR:-/tmp/histodraw-bench}"
data_dir="${HISTODRAW_DATA:-../shared/data}/gbm-nuclei"

for tool in vips wrk curl jq python3; do
  command -v "$tool" >/dev/null || { echo "wsi-tiles: $tool is missing (apt-get install libvips-tools wrk curl jq python3)" >&2; exit 1; }
done
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[ -x "$NGINX" ] || { echo "wsi-tiles: nginx is missing (apt-get install nginx-light)" >&2; exit 1; }
[ -d "$data_dir" ] || { echo "wsi-tiles: $data_dir is missing (the gbm-nuclei H&E images)" >&2; exit 1; }

JDK25=/usr/lib/jvm/temurin-25-jdk-amd64
if [ -z "${JAVA_HOME:-}" ] && [ -x "$JDK25/bin/java" ]; then export JAVA_HOME="$JDK25"; fi

mkdir -p "$bench_dir"
slide="$bench_dir/gbm-$size.tif"
pyramid="$bench_dir/gbm-$size-dz"
if [ ! -s "$slide" ]; then
  echo "== making a $size x $size JPEG-tiled pyramid from $data_dir with vips" >&2
  if [ "$size" = 90000 ]; then
    # 8.1 Gpx from nine copies of the 30k slide, written straight to the pyramid (vips streams: no
    # intermediate image in memory or on disk).
    [ -s "$bench_dir/gbm-30000.tif" ] || { echo "wsi-tiles: run bench/wsi-tiles.sh 30000 first" >&2; exit 1; }
    src="$bench_dir/gbm-30000.tif"
    vips arrayjoin "$src $src $src $src $src $src $src $src $src" \
      "$slide[tile,pyramid,compression=jpeg,Q=90,tile-width=256,tile-height=256,bigtiff]" --across 3
  else
    make_gbm_slide "$size" "$data_dir" "$slide"
  fi
fi
compare="${COMPARE:-1}" # COMPARE=0: no nginx pyramid, no throughput comparison (time to first tile, memory, ingest only)
if [ "$compare" = 1 ] && [ ! -s "$pyramid/slide.dzi" ]; then
  echo "== pre-cutting the nginx pyramid with vips dzsave (256 px, no overlap, JPEG Q 90)" >&2
  rm -rf "$pyramid" && mkdir -p "$pyramid"
  vips dzsave "$slide" "$pyramid/slide" --tile-size 256 --overlap 0 --suffix .jpg[Q=90] --depth onepixel
fi
slide_bytes=$(stat -c %s "$slide")

start_bench

echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== slide: $size x $size, $(python3 -c "print(f'{$slide_bytes/1e9:.2f}')") GB, $(vipsheader -f n-pages "$slide" 2>/dev/null || echo '?') levels"

hport="$(free_port)"
password="bench-$(date +%s%N)"
HISTODRAW_ADMIN_PASSWORD="$password" ./histodraw serve --admin bench --data "$work/data" --port "$hport" >"$work/server.log" 2>&1 &
pids+=($!)
hpid=$!
base="http://127.0.0.1:$hport"
wait_for "$base/api/openapi.json"
api() { curl -fsS -b "$work/cookies" -c "$work/cookies" -H "X-CSRF-Token: ${csrf:-}" -H 'Content-Type: application/json' -X "$1" "$base$2" ${3:+-d "$3"}; }
csrf="$(api POST /api/v1/auth/login "{\"username\":\"bench\",\"password\":\"$password\"}" | jq -r .csrfToken)"
project="$(api POST /api/v1/projects '{"name":"Bench"}' | jq -r .id)"
series="$(api POST "/api/v1/projects/$project/series" '{"name":"WSI"}' | jq -r .id)"
token="$(api POST "/api/v1/projects/$project/tokens" '{"name":"wrk","scopes":["read"]}' | jq -r .token)"

echo "== upload" >&2
max_level="$(python3 -c "import math; print(math.ceil(math.log2($size)))")"
uploader="$(api POST "/api/v1/projects/$project/tokens" '{"name":"upload","scopes":["read","write"]}' | jq -r .token)"
# One process streams the upload (as curl -F would) and then asks for the Deep Zoom descriptor and the
# first tiles on new connections, as a browser opening the slide does, timing each step from the moment
# the last byte of the upload was sent: no tool start-up inside the measured times.
python3 - "$hport" "$series" "$slide" "$uploader" "$token" "$max_level" >"$work/upload.out" <<'PY'
import http.client, json, os, sys, time, uuid
port, series, path, uploader, token, top = sys.argv[1:]
top = int(top)
boundary = "----wsi-tiles" + uuid.uuid4().hex
head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slide.tif\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\n").encode()
tail = f"\r\n--{boundary}--\r\n".encode()
size = os.path.getsize(path)
sent = []
def body():
    yield head
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            yield chunk
    yield tail
    sent.append(time.monotonic())
def get(url):
    c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=600)
    c.request("GET", url, headers={"Authorization": "Bearer " + token})
    r = c.getresponse()
    r.read()
    c.close()
    if r.status != 200:
        sys.exit(f"wsi-tiles: GET {url} answered {r.status}")
    return time.monotonic()
c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=3600)
t0 = time.monotonic()
c.request("POST", f"/api/v1/series/{series}/slices", body=body(), headers={
    "Authorization": "Bearer " + uploader, "Content-Type": "multipart/form-data; boundary=" + boundary,
    "Content-Length": str(len(head) + size + len(tail))})
r = c.getresponse()
answer = json.loads(r.read())
t_answer = time.monotonic()
c.close()
if r.status != 202 or answer.get("state") != "done":
    sys.exit(f"wsi-tiles: upload answered {r.status} {answer}")
slice_id = answer["sliceId"]
get(f"/slides/{slice_id}/slide.dzi")
t_tile = get(f"/slides/{slice_id}/slide_files/{top - 6}/0_0.jpg")
t_full = get(f"/slides/{slice_id}/slide_files/{top}/10_10.jpg")
t_sent = sent[0]
print(f"SLICE {slice_id}")
print(f"upload request (send {size/1e9:.2f} GB over loopback, save, check, record): {t_answer - t0:.2f} s")
print(f"  of which after its last byte was sent (moved into place, on disk, checked, recorded): {t_answer - t_sent:.3f} s")
print(f"end of the upload (last byte sent) -> first tile answered (an overview tile, cold): {t_tile - t_sent:.3f} s")
print(f"  of which after the upload's answer (descriptor, then the tile): {t_tile - t_answer:.3f} s")
print(f"then a full-resolution tile (cold): {t_full - t_tile:.3f} s")
PY
slice="$(sed -n 's/^SLICE //p' "$work/upload.out")"
grep -v '^SLICE ' "$work/upload.out"
echo "  (load $(cut -d' ' -f1-3 /proc/loadavg))"
grep -o 'upload [0-9a-f-]* ([0-9]* bytes): .*' "$work/server.log" | sed 's/^/  server: /' || true

if [ "$compare" = 1 ]; then
# Every tile of the pyramid (the same list for both servers).
(cd "$pyramid" && find slide_files -name '*.jpg' | sed "s|^|/slides/$slice/|") >"$work/tiles.txt"
tile_count="$(wc -l <"$work/tiles.txt")"
echo "tiles in the pyramid: $tile_count"

run_wrk() { TILES="$work/tiles.txt" TOKEN="$2" wrk -t"$threads" -c"$connections" -d"$3s" -s bench/tiles.lua "$1" | grep '^RESULT'; }
value() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
cpu_ticks() { local total=0 p; for p in "$1" $(pgrep -P "$1" || true); do [ -r "/proc/$p/stat" ] || continue;
  total=$(( total + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{print $12 + $13}') )); done; echo "$total"; }
hz="$(getconf CLK_TCK)"

echo "== cold pass: HistoDraw cuts tiles it has never cut ($seconds s)" >&2
c0="$(cpu_ticks "$hpid")"
cold="$(run_wrk "http://127.0.0.1:$hport" "$token" "$seconds")"
c1="$(cpu_ticks "$hpid")"
echo "cold pass HistoDraw: ${cold#RESULT }, CPU per tile $(python3 -c "print(f'{($c1-$c0)/$hz/max(1,$(value requests <<<"$cold"))*1e6:.0f}')") us"
# What nginx serves, at the same URL paths: by default the very bytes HistoDraw answers, each tile
# fetched from it once (after its cold pass, so that pass stays cold); SAME_BYTES=0: the pre-cut pyramid.
served="$pyramid"
if [ "${SAME_BYTES:-1}" = 1 ]; then
  served="$work/same-bytes"
  echo "== nginx's copy: every tile as HistoDraw answers it" >&2
  python3 - "$hport" "$token" "$work/tiles.txt" "$served" "/slides/$slice/" <<'PY'
import http.client, os, sys
port, token, listing, root, prefix = sys.argv[1:]
c = http.client.HTTPConnection("127.0.0.1", int(port))
paths = [line.strip() for line in open(listing) if line.strip()] + [prefix + "slide.dzi"]
total = 0
for path in paths:
    c.request("GET", path, headers={"Authorization": "Bearer " + token})
    r = c.getresponse()
    body = r.read()
    if r.status != 200:
        sys.exit(f"wsi-tiles: GET {path} answered {r.status}")
    target = os.path.join(root, path[len(prefix):])
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as f:
        f.write(body)
    total += len(body)
print(f"nginx serves HistoDraw's own bytes: {len(paths) - 1} tiles, {total / 1e6:.0f} MB")
PY
fi
nport="$(free_port)"
mkdir -p "$work/nginx/tmp"
user_line=""; if [ "$(id -u)" = 0 ]; then user_line="user root;"; fi
cat >"$work/nginx/nginx.conf" <<CONF
$user_line
worker_processes $threads;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  types { image/jpeg jpg; application/xml dzi; }
  access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000;
  client_body_temp_path $work/nginx/tmp/body; proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi; uwsgi_temp_path $work/nginx/tmp/uwsgi; scgi_temp_path $work/nginx/tmp/scgi;
  server { listen 127.0.0.1:$nport; location /slides/$slice/ { alias $served/; } }
}
CONF
"$NGINX" -e "$work/nginx/error.log" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
npid=$!
wait_for "http://127.0.0.1:$nport/slides/$slice/slide.dzi"

echo "== warm-up" >&2
run_wrk "http://127.0.0.1:$nport" "" 3 >/dev/null
run_wrk "http://127.0.0.1:$hport" "$token" 10 >/dev/null
best_n=0; best_h=0; cpu_n=0; cpu_h=0; tiles_n=0; tiles_h=0
for round in $(seq 1 "$rounds"); do
  c0="$(cpu_ticks "$npid")"; n="$(run_wrk "http://127.0.0.1:$nport" "" "$seconds")"; c1="$(cpu_ticks "$npid")"; cpu_n=$(( cpu_n + c1 - c0 ))
  c0="$(cpu_ticks "$hpid")"; h="$(run_wrk "http://127.0.0.1:$hport" "$token" "$seconds")"; c1="$(cpu_ticks "$hpid")"; cpu_h=$(( cpu_h + c1 - c0 ))
  tiles_n=$(( tiles_n + $(value requests <<<"$n") )); tiles_h=$(( tiles_h + $(value requests <<<"$h") ))
  echo "round $round: nginx     ${n#RESULT }"
  echo "round $round: HistoDraw ${h#RESULT }"
  echo "round $round: ratio nginx/HistoDraw $(python3 -c "print(f'{$(value tiles_per_s <<<"$n")/max(1,$(value tiles_per_s <<<"$h")):.2f}')")x, uptime:$(uptime | sed 's/.*load/ load/')"
  for r in "$n" "$h"; do [ "$(value failed <<<"$r")" = 0 ] || { echo "wsi-tiles: failed requests: $r" >&2; exit 1; }; done
  best_n="$(python3 -c "print(max($best_n, $(value tiles_per_s <<<"$n")))")"
  best_h="$(python3 -c "print(max($best_h, $(value tiles_per_s <<<"$h")))")"
done
rss_kb="$(awk '/VmHWM/ {print $2}' "/proc/$hpid/status")"
echo
echo "wrk -t$threads -c$connections -d${seconds}s, random tiles among $tile_count, uptime:$(uptime | sed 's/.*load/ load/')"
python3 - "$best_n" "$best_h" "$cpu_n" "$cpu_h" "$tiles_n" "$tiles_h" "$hz" "$rss_kb" <<'PY'
import sys
n, h, cpu_n, cpu_h, tn, th, hz, rss = (float(a) for a in sys.argv[1:])
print(f"nginx (static files)      {n:8.0f} tiles/s, CPU per tile {cpu_n/hz/tn*1e6:.0f} us")
print(f"HistoDraw (from the file) {h:8.0f} tiles/s, CPU per tile {cpu_h/hz/th*1e6:.0f} us")
print(f"ratio nginx/HistoDraw (best against best): {n/h:.2f}x ({'within' if n/h <= 1.2 else 'NOT within'} the 1.2x target); "
      f"over all rounds {tn/th:.2f}x")
print(f"HistoDraw peak RSS: {rss/1024:.0f} MiB")
PY
else
  # Without nginx: a wrk run over the tiles of the levels HistoDraw serves, then the peak memory.
  python3 - "$size" "$slice" >"$work/tiles.txt" <<'PY'
import math, sys
size, slice_id = int(sys.argv[1]), sys.argv[2]
top = math.ceil(math.log2(size))
for level in range(top - 7, top + 1):
    n = math.ceil(size / 2 ** (top - level) / 256)
    step = max(1, n // 60)
    for c in range(0, n, step):
        for r in range(0, n, step):
            print(f"/slides/{slice_id}/slide_files/{level}/{c}_{r}.jpg")
PY
  run_wrk() { TILES="$work/tiles.txt" TOKEN="$2" wrk -t"$threads" -c"$connections" -d"$3s" -s bench/tiles.lua "$1" | grep '^RESULT'; }
  cold="$(run_wrk "http://127.0.0.1:$hport" "$token" "$seconds")"
  echo "HistoDraw, cold, tiles of the 8 finest levels: ${cold#RESULT }"
  warm="$(run_wrk "http://127.0.0.1:$hport" "$token" "$seconds")"
  echo "HistoDraw, again:                             ${warm#RESULT }"
  echo "HistoDraw peak RSS: $(( $(awk '/VmHWM/ {print $2}' "/proc/$hpid/status") / 1024 )) MiB"
fi

# Cold ingest, whole process (JVM start, checks, copy into the data folder or link, record), with the
# server stopped as `histodraw ingest` wants it.
kill "$hpid"; wait "$hpid" 2>/dev/null || true
# (A failed ingest prints its output and ends the script with an error, rather than ending it silently.)
/usr/bin/time -f "%e s wall, %M KiB peak RSS" -o "$work/ingest.time" \
  ./histodraw ingest --data "$work/data" --project Bench --series Ingest "$slide" >"$work/ingest.out" 2>&1 \
  || { echo "wsi-tiles: histodraw ingest failed:" >&2; cat "$work/ingest.out" >&2; exit 1; }
/usr/bin/time -f "%e s wall, %M KiB peak RSS" -o "$work/link.time" \
  ./histodraw ingest --data "$work/data" --project Bench --series Ingest --link "$slide" >>"$work/ingest.out" 2>&1 \
  || { echo "wsi-tiles: histodraw ingest --link failed:" >&2; cat "$work/ingest.out" >&2; exit 1; }
echo "cold histodraw ingest (copied into the data folder): $(cat "$work/ingest.time")"
echo "cold histodraw ingest --link (read in place):         $(cat "$work/link.time")"
grep -v ' INFO ' "$work/ingest.out" | sed 's/^/  /'
