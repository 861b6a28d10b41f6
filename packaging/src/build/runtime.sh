#!/usr/bin/env bash
# Builds the package's Java side under ROOT/usr/lib/kvmtune: a jlink runtime of the build's JDK
# with exactly the modules the launcher's jar uses, and the AOT cache (JEP 514) for that runtime
# and jar, made here by the same training run the launcher script makes on a host without one.
#
#   runtime.sh JDK_HOME JAR ROOT
#
# The module list comes from jdeps over the jar, so a module a new dependency needs (the agent's
# jdk.httpserver) gets in by itself. Modules referenced only by library classes kvmtune never
# loads are left out, each with the classes allowed to reference it; any other class using one
# fails the build, which is then the place to decide.
set -euo pipefail
jdk=$1 jar_in=$2 root=$3

# module -> the only classes that may use it (regular expression over jdeps' class names)
declare -A unused=(
  [java.desktop]='^oshi\.(software\.os\.OSDesktopWindow|util\.driver\.unix\.Xwininfo)$' # X11 window lists, never read
)

lib=$root/usr/lib/kvmtune
rm -rf "$lib/runtime" "$lib/lib"
mkdir -p "$lib/lib"
cp "$jar_in" "$lib/lib/kvmtune.jar"
jar=$lib/lib/kvmtune.jar

feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release")
jdeps=("$jdk/bin/jdeps" --ignore-missing-deps --multi-release "$feature")
modules=()
while read -r m; do
  case "$m" in
    */*|'') continue ;; # "java.base/sun.misc": internal package lines
  esac
  if [ -n "${unused[$m]:-}" ]; then
    users=$("${jdeps[@]}" -verbose:class "$jar" | awk -v m="$m" 'NF == 4 && $2 == "->" && $4 == m {print $1}' | sort -u)
    if unexpected=$(grep -Ev "${unused[$m]}" <<<"$users"); then
      echo "runtime.sh: $m is left out of the runtime, but these classes use it: $unexpected" >&2
      echo "runtime.sh: add $m to the runtime or allow them in packaging/src/build/runtime.sh" >&2
      exit 1
    fi
    continue
  fi
  modules+=("$m")
done < <("${jdeps[@]}" --list-deps "$jar" | sed 's/^ *//')
module_list=$(IFS=,; echo "${modules[*]}")
echo "runtime.sh: modules $module_list"

"$jdk/bin/jlink" --add-modules "$module_list" --strip-debug --no-header-files --no-man-pages \
  --output "$lib/runtime"
# Debian installs programs and shared objects without their symbol tables (as dh_strip does).
find "$lib/runtime" -name '*.so' -exec strip --remove-section=.comment --remove-section=.note --strip-unneeded {} +
strip --remove-section=.comment --remove-section=.note "$lib/runtime/bin/"* "$lib/runtime/lib/jspawnhelper" \
  "$lib/runtime/lib/jexec"


# The flags of the launcher script's training run (launcher/src/dist/bin/kvmtune): a cache works
# only with the same GC, and is trained with the C1 the short commands use.
train=$(mktemp -d)
trap 'rm -rf "$train"' EXIT
if ! "$lib/runtime/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:-UsePerfData \
    -XX:TieredStopAtLevel=1 -XX:AOTCacheOutput="$lib/lib/kvmtune.aot" -cp "$jar" io.kvmtune.cli.AotTraining "$train" \
    </dev/null >"$train/out" 2>&1; then
  cat "$train/out" >&2
  echo "runtime.sh: the AOT training run failed" >&2
  exit 1
fi
# What the training could not reach (no QEMU on the build host) shows in the build log.
grep -i 'no started hook\|error' "$train/out" >&2 || true
# The cache must be usable by exactly this runtime and jar: AOTMode=on fails when it is not.
"$lib/runtime/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:-UsePerfData -XX:AOTMode=on \
  -XX:AOTCache="$lib/lib/kvmtune.aot" -cp "$jar" io.kvmtune.cli.Main --version
