#!/usr/bin/env bash
# One instance against two, behind nginx, on one PostgreSQL database and one data folder: region
# writes per second and tiles per second, measured in the same run, with the ratios.
#
#   bench/multi-instance.sh [SECONDS] [CONNECTIONS]     (defaults: 10, 32)
#
# 1. starts a throwaway PostgreSQL cluster (Debian's binaries, default durability: fsync and
#    synchronous commits on) and two `histodraw serve` instances on it, sharing a data folder,
# 2. starts two nginx front ends with the README's configuration (docs/nginx/histodraw.conf): one
#    whose upstream is instance 1 alone, one with both instances,
# 3. uploads four slides (a 2048 x 2048 test slide) and makes a write token,
# 4. warms up, then runs wrk against each front end $ROUNDS times (2), alternating: region writes
#    (bench/regions.lua, small polygons on the four slides at random) and tiles (bench/tiles.lua,
#    random tiles of the four slides), and prints the best of each and the ratio two/one.
# Prints `uptime` before and after: on a machine with few cores the two instances, PostgreSQL,
# nginx and wrk share them, which is what the ratio then says (see docs/multi-instance.md).
# Installs Debian's wrk, nginx-light and postgresql when missing (needs root, as on the project's machines).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
connections="${2:-32}"
threads=2
rounds="${ROUNDS:-2}"

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
command -v jq >/dev/null || need+=(jq)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} ..." >&2
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # The packages start a system nginx and PostgreSQL; this benchmark runs its own.
  $sudo systemctl disable --now nginx postgresql >/dev/null 2>&1 || true
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

JDK25=/usr/lib/jvm/temurin-25-jdk-amd64
if [ -z "${JAVA_HOME:-}" ] && [ -x "$JDK25/bin/java" ]; then export JAVA_HOME="$JDK25"; fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

work="$(mktemp -d)"
pids=()
as_pg=()
if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); chown postgres "$work"; chmod 755 "$work"; fi
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -d "$work/pg" ] && "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$work/pg" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { # URL [LOG]: up to 3 minutes (two JVMs starting on a loaded machine)
  for _ in $(seq 1 900); do curl -fs -o /dev/null "$1" && return 0; sleep 0.2; done
  echo "multi-instance: $1 did not answer" >&2; [ -n "${2:-}" ] && tail -20 "$2" >&2; return 1
}

./histodraw --version >/dev/null # builds the app when needed
echo "== PostgreSQL" >&2
pgport="$(free_port)"
"${as_pg[@]}" "$PGBIN/initdb" -D "$work/pg" -U histodraw --auth=trust -E UTF8 --no-locale >/dev/null
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
  -o "-p $pgport -k $work -c listen_addresses=127.0.0.1 -c max_connections=100" start >/dev/null
"${as_pg[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$pgport" -U histodraw histodraw
url="jdbc:postgresql://127.0.0.1:$pgport/histodraw"

echo "== two instances on one database and one data folder" >&2
password="bench-$(date +%s%N)"
ports=()
for i in 1 2; do
  port="$(free_port)"
  HISTODRAW_DB_USER=histodraw HISTODRAW_DB_PASSWORD= HISTODRAW_ADMIN_PASSWORD="$password" \
    ./histodraw serve --admin bench --data "$work/data" --port "$port" --database "$url" >"$work/server$i.log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$port/api/openapi.json" "$work/server$i.log" # one after the other: the first creates the schema and the admin
  ports+=("$port")
done

echo "== nginx: one front end per setup" >&2
user_line=""
if [ "$(id -u)" = 0 ]; then user_line="user root;"; fi
front() { # NAME PORT UPSTREAM-PORTS...
  local name="$1" port="$2"; shift 2
  local dir="$work/nginx-$name" servers=""
  mkdir -p "$dir/tmp"
  for p in "$@"; do servers+="    server 127.0.0.1:$p max_fails=1 fail_timeout=10s;\n"; done
  {
    echo "$user_line"
    echo "worker_processes 1; pid $dir/nginx.pid; error_log $dir/error.log warn;"
    echo "events { worker_connections 4096; }"
    echo "http { access_log off; client_body_temp_path $dir/tmp/body; proxy_temp_path $dir/tmp/proxy;"
    echo "fastcgi_temp_path $dir/tmp/fastcgi; uwsgi_temp_path $dir/tmp/uwsgi; scgi_temp_path $dir/tmp/scgi;"
    sed -e '/^ *server 127\.0\.0\.1:808[0-9]/d' -e "s|keepalive 64;|$servers    keepalive 64;|" \
      -e "s|listen 80;|listen 127.0.0.1:$port;|" docs/nginx/histodraw.conf
    echo "}"
  } >"$dir/nginx.conf"
  "$NGINX" -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' &
  pids+=($!)
}
one_port="$(free_port)"; two_port="$(free_port)"
front one "$one_port" "${ports[0]}"
front two "$two_port" "${ports[0]}" "${ports[1]}"
one="http://127.0.0.1:$one_port"
two="http://127.0.0.1:$two_port"
wait_for "$one/api/openapi.json"
wait_for "$two/api/openapi.json"

api() { # METHOD PATH [JSON]
  curl -fsS -b "$work/cookies" -c "$work/cookies" -H "X-CSRF-Token: ${csrf:-}" -H 'Content-Type: application/json' \
    -X "$1" "$two$2" ${3:+-d "$3"}
}
csrf="$(api POST /api/v1/auth/login "{\"username\":\"bench\",\"password\":\"$password\"}" | jq -r .csrfToken)"
project="$(api POST /api/v1/projects '{"name":"Bench"}' | jq -r .id)"
series="$(api POST "/api/v1/projects/$project/series" '{"name":"Load"}' | jq -r .id)"
echo "== four slides" >&2
"$JAVA" bench/TestSlide.java 2048 "$work/slide.png"
slices=()
for i in 1 2 3 4; do
  job="$(curl -fsS -b "$work/cookies" -H "X-CSRF-Token: $csrf" -F "file=@$work/slide.png" \
    "$two/api/v1/series/$series/slices" | jq -r .jobId)"
  while :; do
    state="$(api GET "/api/v1/jobs/$job")"
    case "$(jq -r .state <<<"$state")" in
      done) break ;;
      failed) echo "multi-instance: ingest failed: $state" >&2; exit 1 ;;
    esac
    sleep 0.3
  done
  slices+=("$(jq -r .sliceId <<<"$state")")
done
token="$(api POST "/api/v1/projects/$project/tokens" '{"name":"wrk","scopes":["write"]}' | jq -r .token)"
# Every tile of every level of the four slides, from each slide's Deep Zoom descriptor.
for s in "${slices[@]}"; do
  curl -fsS -H "Authorization: Bearer $token" "$two/slides/$s/slide.dzi" | python3 -c '
import math, re, sys
s, dzi = sys.argv[1], sys.stdin.read()
fmt = re.search(r"Format=\"(\w+)\"", dzi).group(1)
ts = int(re.search(r"TileSize=\"(\d+)\"", dzi).group(1))
w = int(re.search(r"Width=\"(\d+)\"", dzi).group(1)); h = int(re.search(r"Height=\"(\d+)\"", dzi).group(1))
top = math.ceil(math.log2(max(w, h)))
for level in range(top + 1):
    d = 2 ** (top - level)
    lw, lh = math.ceil(w / d), math.ceil(h / d)
    for c in range(math.ceil(lw / ts)):
        for r in range(math.ceil(lh / ts)):
            print(f"/slides/{s}/slide_files/{level}/{c}_{r}.{fmt}")
' "$s"
done >"$work/tiles.txt"
echo "slices ${slices[*]}: $(wc -l <"$work/tiles.txt") tiles" >&2

value() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p"; } # KEY: the number after " KEY="
run() { # KIND BASE DURATION -> RESULT line
  if [ "$1" = writes ]; then
    SLICES="$(IFS=,; echo "${slices[*]}")" TOKEN="$token" wrk -t"$threads" -c"$connections" -d"$3s" -s bench/regions.lua "$2" | grep '^RESULT'
  else
    TILES="$work/tiles.txt" TOKEN="$token" wrk -t"$threads" -c"$connections" -d"$3s" -s bench/tiles.lua "$2" | grep '^RESULT'
  fi
}

echo "load before: $(uptime)"
echo "== warm-up (JIT of both instances)" >&2
for kind in writes tiles; do run "$kind" "$two" 10 >/dev/null; done
declare -A best=([writes-one]=0 [writes-two]=0 [tiles-one]=0 [tiles-two]=0)
for round in $(seq 1 "$rounds"); do
  for kind in writes tiles; do
    for setup in one two; do
      base="$one"; [ "$setup" = two ] && base="$two"
      r="$(run "$kind" "$base" "$seconds")"
      echo "round $round: $kind, $setup instance(s): ${r#RESULT }"
      if [ "$(value failed <<<"$r")" != 0 ]; then echo "multi-instance: failed requests: $r" >&2; exit 1; fi
      rate="$(value "$([ "$kind" = tiles ] && echo tiles_per_s || echo per_s)" <<<"$r")"
      key="$kind-$setup"
      best[$key]="$(python3 -c "print(max(${best[$key]}, $rate))")"
    done
  done
done
echo "load after: $(uptime)"
regions="$(api GET "/api/v1/slices/${slices[0]}/regions" | jq '.features | length' || echo "?")"
echo
echo "wrk -t$threads -c$connections -d${seconds}s through nginx, 127.0.0.1, $(nproc) cores, PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), best of $rounds rounds"
printf '%-22s %12s %12s %8s\n' "" "1 instance" "2 instances" ratio
for kind in writes tiles; do
  label="region writes/s"; [ "$kind" = tiles ] && label="tiles/s"
  python3 -c "print('%-22s %12.0f %12.0f %7.2fx' % ('$label', ${best[$kind-one]}, ${best[$kind-two]}, ${best[$kind-two]} / ${best[$kind-one]}))"
done
echo "(slice ${slices[0]} now holds $regions regions)"
