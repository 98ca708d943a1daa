#!/usr/bin/env bash
# Tile serving under load: HistoDraw against nginx serving the very same tile files, in one run, on
# this machine, with wrk asking for tiles picked at random among all tiles of a real pyramid.
#
#   bench/tiles-vs-nginx.sh [SIZE] [SECONDS] [CONNECTIONS]     (defaults: 8192, 10, 32)
#
# 1. makes a SIZE x SIZE test slide (a mosaic of ../shared/data/gbm-nuclei, else a synthetic texture),
# 2. starts `histodraw serve` on 127.0.0.1 with a fresh data folder, uploads the slide into a private
#    project through the API (the real ingest: Deep Zoom pyramid of JPEG tiles) and makes a read token,
# 3. starts nginx as the current user (temp prefix and config, 127.0.0.1 only) with the pyramid
#    folder aliased at the same URL path, and checks both answer the same bytes for a tile,
# 4. warms both up, then runs wrk against each twice, alternating, and prints the best tiles/s of
#    each and the ratio. HistoDraw checks the token and the project role on every request; nginx
#    checks nothing, which is the upper bound a file server gives.
# Installs Debian's wrk and nginx when missing (needs root, as on the project's machines).
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-8192}"
seconds="${2:-10}"
connections="${3:-32}"
threads=2

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} ..." >&2
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # The package starts a system nginx on port 80; this benchmark runs its own.
  $sudo systemctl disable --now nginx >/dev/null 2>&1 || true
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

JDK25=/usr/lib/jvm/temurin-25-jdk-amd64
if [ -z "${JAVA_HOME:-}" ] && [ -x "$JDK25/bin/java" ]; then export JAVA_HOME="$JDK25"; fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { # URL
  for _ in $(seq 1 300); do curl -fs -o /dev/null "$1" && return 0; sleep 0.2; done
  echo "tiles-vs-nginx: $1 did not answer" >&2; return 1
}

./histodraw --version >/dev/null # builds the app when needed
echo "== test slide ${size} x ${size}" >&2
"$JAVA" bench/TestSlide.java "$size" "$work/slide.png"

hport="$(free_port)"
password="bench-$(date +%s%N)"
HISTODRAW_ADMIN_PASSWORD="$password" ./histodraw serve --admin bench --data "$work/data" --port "$hport" \
  >"$work/server.log" 2>&1 &
pids+=($!)
base="http://127.0.0.1:$hport"
wait_for "$base/api/openapi.json"

api() { # METHOD PATH [JSON]
  curl -fsS -b "$work/cookies" -c "$work/cookies" -H "X-CSRF-Token: ${csrf:-}" -H 'Content-Type: application/json' \
    -X "$1" "$base$2" ${3:+-d "$3"}
}
csrf="$(api POST /api/v1/auth/login "{\"username\":\"bench\",\"password\":\"$password\"}" | jq -r .csrfToken)"
project="$(api POST /api/v1/projects '{"name":"Bench"}' | jq -r .id)"
series="$(api POST "/api/v1/projects/$project/series" '{"name":"Load"}' | jq -r .id)"
echo "== ingest (upload, pyramid of JPEG tiles)" >&2
t0=$(date +%s.%N)
job="$(curl -fsS -b "$work/cookies" -H "X-CSRF-Token: $csrf" -F "file=@$work/slide.png" \
  "$base/api/v1/series/$series/slices" | jq -r .jobId)"
while :; do
  state="$(api GET "/api/v1/jobs/$job")"
  case "$(jq -r .state <<<"$state")" in
    done) break ;;
    failed) echo "tiles-vs-nginx: ingest failed: $state" >&2; exit 1 ;;
  esac
  sleep 0.5
done
t1=$(date +%s.%N)
slice="$(jq -r .sliceId <<<"$state")"
token="$(api POST "/api/v1/projects/$project/tokens" '{"name":"wrk","scopes":["read"]}' | jq -r .token)"

pyramid="$(find "$work/data/slides" -mindepth 1 -maxdepth 1 -type d ! -name '.*')"
(cd "$pyramid" && find slide_files -name '*.jpg' | sed "s|^|/slides/$slice/|") >"$work/tiles.txt"
tile_count="$(wc -l <"$work/tiles.txt")"
tile_bytes="$(du -sb "$pyramid/slide_files" | cut -f1)"
printf 'pyramid: %d tiles, %.1f MB, mean %.1f kB, built in %.1f s\n' "$tile_count" "$(bc -l <<<"$tile_bytes/1000000")" \
  "$(bc -l <<<"$tile_bytes/$tile_count/1000")" "$(bc -l <<<"$t1-$t0")"

nport="$(free_port)"
mkdir -p "$work/nginx/tmp"
user_line=""
if [ "$(id -u)" = 0 ]; then user_line="user root;"; fi # else workers would drop to nobody and not see $work
cat >"$work/nginx/nginx.conf" <<EOF
$user_line
worker_processes $threads;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  types { image/jpeg jpg; application/xml dzi; }
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$nport;
    location /slides/$slice/ {
      alias $pyramid/;
      add_header Cache-Control "private, max-age=31536000, immutable";
    }
  }
}
EOF
"$NGINX" -e "$work/nginx/error.log" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
nbase="http://127.0.0.1:$nport"
sample="$(sed -n "$(( (tile_count + 1) / 2 ))p" "$work/tiles.txt")"
wait_for "$nbase$sample"

# The same bytes from both, and HistoDraw's caching answers.
curl -fsS -H "Authorization: Bearer $token" -o "$work/h.jpg" "$base$sample"
curl -fsS -o "$work/n.jpg" "$nbase$sample"
cmp -s "$work/h.jpg" "$work/n.jpg" || { echo "tiles-vs-nginx: the servers answer different bytes for $sample" >&2; exit 1; }
etag="$(curl -fsS -D - -o /dev/null -H "Authorization: Bearer $token" "$base$sample" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')"
not_modified="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H "If-None-Match: $etag" "$base$sample")"
anonymous="$(curl -s -o /dev/null -w '%{http_code}' "$base$sample")"
echo "checks: same bytes from both servers; If-None-Match -> $not_modified; no token -> $anonymous"

run_wrk() { # BASE TOKEN DURATION -> tiles/s line
  TILES="$work/tiles.txt" TOKEN="$2" wrk -t"$threads" -c"$connections" -d"$3s" -s bench/tiles.lua "$1" | grep '^RESULT'
}
value() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

echo "== warm-up (JIT, page cache)" >&2
run_wrk "$nbase" "" 3 >/dev/null
run_wrk "$base" "$token" 5 >/dev/null
best_n=0
best_h=0
for round in 1 2; do
  n="$(run_wrk "$nbase" "" "$seconds")"
  h="$(run_wrk "$base" "$token" "$seconds")"
  echo "round $round: nginx     ${n#RESULT }"
  echo "round $round: HistoDraw ${h#RESULT }"
  for r in "$n" "$h"; do
    if [ "$(value failed <<<"$r")" != 0 ]; then echo "tiles-vs-nginx: failed requests: $r" >&2; exit 1; fi
  done
  best_n="$(python3 -c "print(max($best_n, $(value tiles_per_s <<<"$n")))")"
  best_h="$(python3 -c "print(max($best_h, $(value tiles_per_s <<<"$h")))")"
done

echo
echo "wrk -t$threads -c$connections -d${seconds}s, random tiles among $tile_count, 127.0.0.1, $(nproc) cores, JDK $("$JAVA" -version 2>&1 | head -1 | sed 's/.*"\(.*\)".*/\1/'), nginx $("$NGINX" -v 2>&1 | sed 's|.*/||')"
printf '%-12s %10s\n' server tiles/s
printf '%-12s %10.0f\n' nginx "$best_n"
printf '%-12s %10.0f\n' HistoDraw "$best_h"
python3 - "$best_n" "$best_h" <<'PY'
import sys
n, h = float(sys.argv[1]), float(sys.argv[2])
ratio = n / h
print(f"ratio nginx/HistoDraw: {ratio:.2f}x ({'within' if ratio <= 2 else 'NOT within'} the 2x target)")
PY
