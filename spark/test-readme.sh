#!/usr/bin/env bash
# Runs the commands of spark/README.md as a new user would, so the instructions cannot rot. Each
# fenced block that follows a line `<!-- checked: NAME -->` in the README is run as it is written,
# with only its placeholders (the cluster's master, the shared folder, the inputs) pointed at this
# machine:
#   cohort          `./histodraw cohort ...` in this checkout (built by `./mvnw verify` in CI)
#   build           the cluster jar built in a fresh clone of this checkout's HEAD, in a temporary
#                   folder, with a local Maven repository that holds none of the project's own
#                   artifacts (a view of ~/.m2 without org/histodraw): proof that no `install` is needed
#   spark-submit    the stand-in for a Spark installation's spark-submit, defined in the clone
#   submit          the spark-submit command, on local[2] instead of spark://head:7077
# and checks that both runs wrote the same files. Called by .ci/run after the tests.
#
#   spark/test-readme.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
readme="$root/spark/README.md"
JDK25=/usr/lib/jvm/temurin-25-jdk-amd64
if [ -z "${JAVA_HOME:-}" ] && [ -x "$JDK25/bin/java" ]; then export JAVA_HOME="$JDK25"; fi
export PATH="${JAVA_HOME:+$JAVA_HOME/bin:}$PATH"

work="$(mktemp -d)"
build=""
# On a failure before the background build ends: stop its shell (the build then fails on its removed folder).
trap '[ -z "$build" ] || kill "$build" 2>/dev/null; rm -rf "$work"' EXIT

# The fenced block after `<!-- checked: NAME -->`.
block() {
  awk -v name="$1" '
    $0 == "<!-- checked: " name " -->" { found = 1; next }
    found && /^```/ { if (inside) exit; inside = 1; next }
    inside { print }
  ' "$readme"
}

# Runs blocks in one shell in a folder (a function one block defines serves the next), after
# replacing the README's placeholders.
run_blocks() {
  local dir="$1" text="" name
  shift
  for name in "$@"; do
    [ -n "$(block "$name")" ] || { echo "test-readme: no block '$name' in $readme" >&2; exit 1; }
    text+="$(block "$name")"$'\n'
  done
  local master="'local[2]'"
  text="${text//spark:\/\/head:7077/$master}"
  text="${text//\/shared/$work/shared}"
  text="${text// nuclei.hdm/ $work/shared/models/nuclei.hdm}"
  text="${text// cohort.txt/ $work/shared/cohort/slides.txt}"
  text="${text// results\/cohort/ $work/results}"
  echo "== spark/README.md, blocks $* (in $dir)" >&2
  (cd "$dir" && eval "$text")
}

# From a fresh clone, with no project artifact in the local repository: the build, in the background
# while this checkout makes the inputs and runs `histodraw cohort` (mostly JVM starts, so the two
# share the cores well); its output is shown when it fails.
git clone -q "$root" "$work/clone"
mkdir -p "$work/m2/org"
repository="${HOME}/.m2/repository"
if [ -d "$repository" ]; then
  for d in "$repository"/*; do [ "$(basename "$d")" = org ] || ln -s "$d" "$work/m2/"; done
  for d in "$repository"/org/*; do [ "$(basename "$d")" = histodraw ] || ln -s "$d" "$work/m2/org/"; done
fi
(export MAVEN_ARGS="-Dmaven.repo.local=$work/m2"; run_blocks "$work/clone" build) >"$work/build.log" 2>&1 &
build=$!

# Inputs: the demo's model and image (shipped with the app), as a small cohort of three slides.
mkdir -p "$work/shared/models" "$work/shared/cohort"
"$root/histodraw" demo --batch --out "$work/demo" >/dev/null
cp "$work/demo/demo-model.hdm" "$work/shared/models/nuclei.hdm"
for name in a b c; do cp "$work/demo/inputs/ihc.png" "$work/shared/cohort/section-$name.png"; done
printf '# three sections\nsection-a.png\nsection-b.png\nsection-c.png\n' >"$work/shared/cohort/slides.txt"

# The two-command world: histodraw cohort in this checkout.
run_blocks "$root" cohort

wait "$build" || { build=""; cat "$work/build.log" >&2; echo "test-readme: the build in a fresh clone failed" >&2; exit 1; }
build=""
[ ! -e "$work/m2/org/histodraw" ] || { echo "test-readme: the build installed into the local repository" >&2; exit 1; }
export SPARK_LOCAL_IP=127.0.0.1 # the README's master became local[2]: everything stays on loopback
run_blocks "$work/clone" spark-submit submit

# Both doors wrote the same files.
for name in section-a section-b section-c; do
  for file in "${name}_classes.png" "$name.geojson"; do
    cmp "$work/results/$file" "$work/shared/cohort/results/$file"
  done
done
rows() { tail -n +2 "$1" | cut -d, -f1-6; }
diff <(rows "$work/results/summary.csv") <(rows "$work/shared/cohort/results/summary.csv")
echo "spark/README.md's commands ran: histodraw cohort, the build from a fresh clone without install, spark-submit; same files"
echo "test-readme: 4 passed, 0 failed"
