# Sourced by the benches (from the checkout's root): what several of them need.

# A free TCP port of the loopback.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# Waits up to 5 minutes for URL to answer 2xx; fails naming it.
wait_for() { for _ in $(seq 1 600); do curl -fs -o /dev/null "$1" && return 0; sleep 0.5; done; echo "$(basename "$0"): $1 did not answer" >&2; return 1; }
now() { date +%s.%N; }

# Uses JDK 25 when JAVA_HOME is not set, builds the app when needed, and makes $work (a temporary
# folder) and $pids (processes the bench starts): both are cleaned up when the bench exits.
start_bench() {
  local jdk=/usr/lib/jvm/temurin-25-jdk-amd64
  if [ -z "${JAVA_HOME:-}" ] && [ -x "$jdk/bin/java" ]; then export JAVA_HOME="$jdk"; fi
  ./histodraw --version >/dev/null # builds the app when needed
  work="$(mktemp -d)"
  pids=()
  trap stop_bench EXIT
}
stop_bench() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
# Seconds since a `now`, with two decimals.
since() { awk "BEGIN { printf \"%.2f\", $(now) - $1 }"; }

# make_gbm_slide SIZE DATA_DIR FILE makes FILE, a
# SIZE x SIZE JPEG-tiled pyramidal BigTIFF (256 px tiles, Q 90) with vips, from the gbm-nuclei images
# of DATA_DIR laid side by side (a varied order, so no two neighbours repeat), through temporary
# files beside FILE. Needs vips (apt-get install libvips-tools).
make_gbm_slide() {
  local size="$1" data="$2" slide="$3"
  local dir across i
  dir="$(dirname "$slide")"
  across=$(( (size + 511) / 512 ))
  mapfile -t images < <(ls "$data" | grep -E '^[0-9]+\.png$' | sort)
  local list=()
  for i in $(seq 0 $(( across * across - 1 ))); do list+=("$data/${images[$(( (i * 7 + i / across) % ${#images[@]} ))]}"); done
  vips arrayjoin "${list[*]}" "$dir/tmp.v" --across "$across"
  vips crop "$dir/tmp.v" "$dir/tmp2.v" 0 0 "$size" "$size"
  rm -f "$dir/tmp.v"
  vips tiffsave "$dir/tmp2.v" "$slide" --tile --pyramid --compression jpeg --Q 90 --tile-width 256 --tile-height 256 --bigtiff
  rm -f "$dir/tmp2.v"
}
