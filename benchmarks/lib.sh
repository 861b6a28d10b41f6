# Shared by the scripts in benchmarks/ (sourced, not run): finds the JDK, builds the benchmarks
# jar when it is missing or older than a source it bundles, and names the results directory.
# Sets: here (benchmarks/), root (the checkout), jar, JAVA_HOME, java.

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(dirname "$here")
jar="$here/target/benchmarks.jar"
JAVA_HOME=$("$root/scripts/find-jdk")
export JAVA_HOME
java="$JAVA_HOME/bin/java"

ensure_jar() {
  if [ ! -f "$jar" ] || [ -n "$(find "$root"/{native-bindings,tuning-core,hostprep,launcher,benchmarks}/src/main \
      "$root/pom.xml" "$here/pom.xml" -newer "$jar" -type f -print -quit 2>/dev/null)" ]; then
    echo "${0##*/}: building the benchmarks jar ..." >&2
    "$root/mvnw" -q -B -f "$root/pom.xml" -DskipTests -pl benchmarks -am package >&2
  fi
}

# results_dir [DIR]: prints DIR (created) or a new benchmarks/results/<UTC timestamp>, absolute.
results_dir() {
  local dir=${1:-"$here/results/$(date -u +%Y%m%dT%H%M%SZ)"}
  mkdir -p "$dir" && (cd "$dir" && pwd)
}

# bench_main CLASS ARGS...: runs one of the helper mains in the benchmarks jar.
bench_main() {
  "$java" --enable-native-access=ALL-UNNAMED -cp "$jar" "$@"
}

# show_help: prints the calling script's leading comment block, its documentation.
show_help() {
  sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"
}

# require_root WHY: exits 4 unless running as root.
require_root() {
  [ "$(id -u)" = 0 ] || { echo "${0##*/}: needs root ($1)" >&2; exit 4; }
}
