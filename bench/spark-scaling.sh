#!/usr/bin/env bash
# How the Spark cohort job scales from one worker to two, on a real standalone cluster of this
# machine (Master and two Workers sharing the machine's cores, half each, from Spark's own jars; see StandaloneClusterIT):
# COUNT tiled TIFF slides of SIZE x SIZE (mosaics of ../shared/data/gbm-nuclei, made by
# bench/TiledTiffSlide.java), a model trained by `histodraw segment` on the scribbles of gbm-nuclei
# 01-03 with the default settings, run on one Worker and on both, ROUNDS times taking
# turns (the job's closing line says how many cores its executors had). Prints the job's seconds and the whole submission's, with the machine's load.
#
#   bench/spark-scaling.sh [SIZE] [COUNT] [ROUNDS]        (defaults: 4096, 20, 2)
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-4096}"
count="${2:-20}"
rounds="${3:-2}"
data="../shared/data/gbm-nuclei"
[ -d "$data" ] || { echo "spark-scaling: needs $data (the gbm-nuclei images and scribbles)" >&2; exit 1; }
JDK25=/usr/lib/jvm/temurin-25-jdk-amd64
if [ -z "${JAVA_HOME:-}" ] && [ -x "$JDK25/bin/java" ]; then export JAVA_HOME="$JDK25"; fi
export PATH="${JAVA_HOME:+$JAVA_HOME/bin:}$PATH"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== model: histodraw segment on the scribbles of gbm-nuclei 01-03 (defaults)" >&2
./histodraw segment --image "$data/01.png" --image "$data/02.png" --image "$data/03.png" \
  --labels "$data/01_scribbles.png" --labels "$data/02_scribbles.png" --labels "$data/03_scribbles.png" \
  --classes Background,Nucleus --save-model "$work/gbm.hdm" >&2
echo "== $count slides of $size x $size (tiled TIFF, 512-px tiles)" >&2
java bench/TiledTiffSlide.java "$size" "$work/slide-01.tif" "$data"
: >"$work/slides.txt"
for i in $(seq -w 1 "$count"); do
  [ "$i" = 01 ] || cp "$work/slide-01.tif" "$work/slide-$i.tif"
  echo "slide-$i.tif" >>"$work/slides.txt"
done
echo "== $rounds rounds of 1 and 2 workers (load now: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
./mvnw -B -ntp -q -pl spark -am verify -Dtest=NoUnitTests -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ClusterScalingBenchmarkIT -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dhistodraw.bench=true -Dhistodraw.bench.slides="$work/slides.txt" -Dhistodraw.bench.model="$work/gbm.hdm" \
  -Dhistodraw.bench.rounds="$rounds" 2>&1 | grep -E '^(round|== summary)' || true
