#!/usr/bin/env bash
# Start-up of the kvmtune command, from exec to exit, median of N cold runs (a new JVM each run),
# with and without the JDK AOT cache (JEP 514) that ./kvmtune keeps next to the jar:
#   1. ./kvmtune --version                                   goal <= 80 ms
#   2. ./kvmtune hook NAME started begin - < domain XML      goal <= 150 ms
#      for a 2-vCPU guest: a real paused qemu-system-x86_64 started here, with a libvirt status
#      file and a domain XML pointing at it in a private directory (libvirt itself is not
#      involved, so the numbers are kvmtune's own). Before each timed started run an untimed
#      prepare run claims the pCPUs and keeps the plan, as libvirt's order has it; the started run
#      applies it (vCPU 1 SCHED_FIFO on the last CPU, the rest on the first), and an untimed
#      stopped run puts everything back before the next round. The hook's state directory is
#      /run/kvmtune on a host (tmpfs); it is measured on tmpfs and on the file system of /tmp.
# With the Debian package installed (or --package DEB, installed here and purged at the end), the
# same two calls of /usr/bin/kvmtune are timed beside the checkout's: its own jlink runtime and
# the AOT cache made when the package was built (goal: --version <= 50 ms), and beside them the bare
# start of that runtime's JVM (java -version), the floor. --package also times
# the very first call after the install, against which the later ones compare: nothing is
# trained or written on the host, so it should be no slower.
# --against OLD_DEB times another build of the package beside it in the same run (unpacked into a
# temporary directory, not installed: its launcher finds its runtime and cache next to itself), so
# that the ratio between two builds holds on a busy machine.
# Variants run round-robin so that drift on a busy machine spreads over all of them.
#
# With STARTUP_CPU_MODEL=NAME the host configuration also sets cpu_mode=custom, cpu_models=NAME, so
# the prepare hook runs Nova's CPU-model rules (libvirt's cpu_map and /proc/cpuinfo read once); the
# prepare runs are then timed as well.
#
# Usage: [STARTUP_CPU_MODEL=qemu64] benchmarks/startup.sh [--package DEB] [--against OLD_DEB] [RUNS]
#   (default 10 runs; run as root; builds nothing but ./kvmtune does on first use)
set -euo pipefail

deb=
if [ "${1:-}" = --package ]; then deb=$(readlink -f "$2"); shift 2; fi
against_deb=
if [ "${1:-}" = --against ]; then against_deb=$(readlink -f "$2"); shift 2; fi
runs=${1:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
kvmtune="$root/kvmtune"
[ "$(id -u)" = 0 ] || { echo "startup.sh: run as root (the started hook sets SCHED_FIFO)" >&2; exit 4; }
command -v qemu-system-x86_64 >/dev/null || { echo "startup.sh: install qemu-system-x86" >&2; exit 4; }

"$kvmtune" --version >/dev/null # builds the jar and the AOT cache when missing or stale

now_us() { local t; t=$(date +%s%N); echo $((t / 1000)); }
package_installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' kvmtune 2>/dev/null)" = installed ]; }
packaged=
first_after_install=
installed_here=false
if [ -n "$deb" ]; then
  package_installed && { echo "startup.sh: kvmtune is installed already; remove it or drop --package" >&2; exit 4; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >/dev/null </dev/null
  installed_here=true
  start=$(now_us)
  /usr/bin/kvmtune --version >/dev/null
  first_after_install=$(( $(now_us) - start ))
fi
if package_installed; then packaged=/usr/bin/kvmtune; fi

work=$(mktemp -d /tmp/kvmtune-startup.XXXXXX)
shm=$(mktemp -d /dev/shm/kvmtune-startup.XXXXXX)
qemu_pid=
cleanup() {
  [ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null && wait "$qemu_pid" 2>/dev/null || true
  rm -rf "$work" "$shm"
  if $installed_here; then dpkg --purge kvmtune >/dev/null; fi
}
trap cleanup EXIT
against=
if [ -n "$against_deb" ]; then
  dpkg-deb -x "$against_deb" "$work/against"
  against=$work/against/usr/lib/kvmtune/bin/kvmtune
fi

name=kvmtune-startup
uuid=5f0c3b9e-2d4a-4c1e-9b7a-0e6d2f8a4c11
online=$(cat /sys/devices/system/cpu/online)
first=${online%%[-,]*}
last=${online##*[-,]}
[ "$first" != "$last" ] || { echo "startup.sh: needs at least 2 online CPUs" >&2; exit 4; }

accel=kvm
[ -w /dev/kvm ] || accel=tcg,thread=multi
qemu-system-x86_64 -S -nodefaults -no-user-config -display none -m 64 -smp 2 -accel "$accel" \
  -name "guest=$name,debug-threads=on" -uuid "$uuid" </dev/null >"$work/qemu.log" 2>&1 &
qemu_pid=$!
for _ in $(seq 100); do
  [ "$(grep -l '^CPU 1/' /proc/$qemu_pid/task/*/comm 2>/dev/null | wc -l)" = 1 ] && break
  sleep 0.05
done
vcpu_tid() { grep -l "^CPU $1/" /proc/$qemu_pid/task/*/comm | cut -d/ -f5; }

mkdir -p "$work/libvirt"
cat >"$work/libvirt/$name.xml" <<EOF
<domstatus state='paused' pid='$qemu_pid'>
  <vcpus><vcpu id='0' pid='$(vcpu_tid 0)'/><vcpu id='1' pid='$(vcpu_tid 1)'/></vcpus>
  <domain type='kvm'><name>$name</name><uuid>$uuid</uuid></domain>
</domstatus>
EOF
cpu_model=${STARTUP_CPU_MODEL:-}
# What the plan decides at start is in the domain XML, as prepare requires (the QEMU above is the
# script's own: this XML is only what libvirt would hand the hook).
if [ -n "$cpu_model" ]; then cpu="<cpu mode='custom' match='exact'><model>$cpu_model</model></cpu>"; else cpu="<cpu mode='host-model'/>"; fi
cat >"$work/domain.xml" <<EOF
<domain type='kvm'><name>$name</name><uuid>$uuid</uuid><vcpu>2</vcpu>
  <memoryBacking><locked/></memoryBacking>$cpu<clock offset='utc'><timer name='hpet' present='no'/></clock><metadata>
  <kvmtune:tuning xmlns:kvmtune='https://kvmtune.io/xmlns/tuning/1.0'>
    <kvmtune:flavor-spec key='hw:cpu_policy'>mixed</kvmtune:flavor-spec>
    <kvmtune:flavor-spec key='hw:cpu_realtime'>yes</kvmtune:flavor-spec>
    <kvmtune:flavor-spec key='hw:cpu_realtime_mask'>^0</kvmtune:flavor-spec>
  </kvmtune:tuning></metadata></domain>
EOF
printf '[compute]\ncpu_shared_set = %s\ncpu_dedicated_set = %s\n' "$first" "$last" >"$work/kvmtune.conf"
[ -z "$cpu_model" ] || printf '[libvirt]\ncpu_mode = custom\ncpu_models = %s\n' "$cpu_model" >>"$work/kvmtune.conf"

# The hook's paths, redirected into $work (the java launcher reads JDK_JAVA_OPTIONS; its NOTE goes to
# stderr). Its state (claims ledger, kept plans, apply records) is /run/kvmtune on a host, tmpfs
# there, so the started hook is measured with the state on tmpfs (/dev/shm) and in $work (the
# file system of /tmp, where each fsync costs what it costs there).
hook_opts() { # $1 = state directory
  echo "-Dkvmtune.libvirt.run=$work/libvirt -Dkvmtune.state=$1 -Dkvmtune.claims=$1/claims.json \
-Dkvmtune.config=$work/kvmtune.conf -Dkvmtune.syslog=$work/no-syslog"
}
hook() { # $1 = operation, $2 = state directory
  JDK_JAVA_OPTIONS=$(hook_opts "$2") "$kvmtune" hook "$name" "$1" begin - <"$work/domain.xml" 2>>"$work/hook.log"
}
states=("$work/state" "$shm/state")
label() { # $1 = on|off (AOT of the checkout's launcher) or package, $2 = state directory
  printf 'started, %s, %s' "$(case $1 in on) echo AOT ;; off) echo no AOT ;; *) echo "$1" ;; esac)" \
    "$([ "$2" = "$shm/state" ] && echo "state on tmpfs" || echo "state in /tmp")"
}
# Once untimed, to check that the hook works here.
for state in "${states[@]}"; do
  { hook prepare "$state" && hook started "$state"; } || { cat "$work/hook.log" >&2; exit 1; }
  hook stopped "$state"
done

declare -A samples
measure() { # $1 = variant name, rest = command
  local variant=$1 start end
  shift
  start=$(now_us)
  "$@" >/dev/null
  end=$(now_us)
  samples[$variant]+="$((end - start)) "
}
variants=("version, AOT" "version, no AOT")
for aot in on off; do
  for state in "${states[@]}"; do
    variants+=("$(label $aot "$state")")
    [ -z "$cpu_model" ] || variants+=("$(label $aot "$state" | sed 's/^started/prepare/')")
  done
done
if [ -n "$packaged" ]; then
  variants+=("version, package" "floor: package's java -version")
  for state in "${states[@]}"; do variants+=("$(label package "$state")"); done
fi
if [ -n "$against" ]; then
  variants+=("version, against")
  for state in "${states[@]}"; do variants+=("$(label against "$state")"); done
fi
for _ in $(seq "$runs"); do
  measure "version, AOT" env KVMTUNE_AOT=on "$kvmtune" --version
  measure "version, no AOT" env KVMTUNE_AOT=off "$kvmtune" --version
  for aot in on off; do
    for state in "${states[@]}"; do
      if [ -n "$cpu_model" ]; then
        measure "$(label $aot "$state" | sed 's/^started/prepare/')" env KVMTUNE_AOT=$aot \
          JDK_JAVA_OPTIONS="$(hook_opts "$state")" "$kvmtune" hook "$name" prepare begin - <"$work/domain.xml"
      else
        hook prepare "$state"
      fi
      measure "$(label $aot "$state")" env KVMTUNE_AOT=$aot JDK_JAVA_OPTIONS="$(hook_opts "$state")" \
        "$kvmtune" hook "$name" started begin - <"$work/domain.xml"
      hook stopped "$state"
    done
  done
  if [ -n "$packaged" ]; then
    measure "version, package" "$packaged" --version
    # the bare JVM start of the package's runtime with the launcher's flags: what no change to kvmtune goes below
    measure "floor: package's java -version" /usr/lib/kvmtune/runtime/bin/java -XX:+UseSerialGC -XX:-UsePerfData \
      -XX:TieredStopAtLevel=1 -version
    for state in "${states[@]}"; do
      hook prepare "$state"
      measure "$(label package "$state")" env JDK_JAVA_OPTIONS="$(hook_opts "$state")" \
        "$packaged" hook "$name" started begin - <"$work/domain.xml"
      hook stopped "$state"
    done
  fi
  if [ -n "$against" ]; then
    measure "version, against" "$against" --version
    for state in "${states[@]}"; do
      hook prepare "$state"
      measure "$(label against "$state")" env JDK_JAVA_OPTIONS="$(hook_opts "$state")" \
        "$against" hook "$name" started begin - <"$work/domain.xml"
      hook stopped "$state"
    done
  fi
done 2>>"$work/hook.log"

median_ms() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f", m / 1000}'; }
printf '%-36s %8s %8s %8s   (%s runs, ms, exec to exit)\n' variant median min max "$runs"
for variant in "${variants[@]}"; do
  values=${samples[$variant]}
  printf '%-36s %8s %8s %8s\n' "$variant" "$(median_ms <<<"$values")" \
    "$(tr ' ' '\n' <<<"$values" | grep . | sort -n | head -1 | awk '{printf "%.1f", $1/1000}')" \
    "$(tr ' ' '\n' <<<"$values" | grep . | sort -n | tail -1 | awk '{printf "%.1f", $1/1000}')"
done
if [ -n "$first_after_install" ]; then
  printf '%-36s %8s   (one run: the first call after apt install)\n' "version, package, first call" \
    "$(awk -v us="$first_after_install" 'BEGIN {printf "%.1f", us / 1000}')"
fi
[ -n "$packaged" ] || echo "(no kvmtune package installed: give --package DEB to time it beside the checkout)"

