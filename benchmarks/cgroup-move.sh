#!/usr/bin/env bash
# How long the kernel takes to move a thread from one cgroup to another, as libvirt does when it
# places each vCPU and as the kvmtune agent does when it lifts a hot-plugged vCPU out of
# `emulator` (cgroup v1). A move write-locks the kernel's cgroup_threadgroup_rwsem, which by
# default waits for an RCU grace period first; with favordynmods in force (the boot parameter
# cgroup_favordynmods=true, Linux 6.7 and later, for v1 and v2 alike; or the cgroup2 mount option)
# it does not, and forks and exits take a slower path instead.
#
# Makes a cpuset group beside the root of the cpuset hierarchy (v1) or below the root (v2), starts
# a `sleep` of its own, moves it in and out ROUNDS times with a pause of 200 ms before each move
# (so that no move profits from the grace period of the one before), prints each move's time and
# the median in microseconds, then removes the group and ends the sleep. Touches no other process.
#
# Usage: benchmarks/cgroup-move.sh [ROUNDS]   (default 10; root)
set -euo pipefail

rounds=${1:-10}
[ "$(id -u)" = 0 ] || { echo "cgroup-move.sh: run as root" >&2; exit 4; }
if [ -d /sys/fs/cgroup/cpuset ] && [ -f /sys/fs/cgroup/cpuset/tasks ]; then
  root=/sys/fs/cgroup/cpuset tasks=tasks layout="cgroup v1 (cpuset hierarchy)"
elif [ -f /sys/fs/cgroup/cgroup.procs ]; then
  root=/sys/fs/cgroup tasks=cgroup.procs layout="cgroup v2"
else
  echo "cgroup-move.sh: no cpuset v1 hierarchy and no cgroup v2 at /sys/fs/cgroup" >&2
  exit 4
fi
group=$root/kvmtune-cgroup-move.$$
sleeper=
cleanup() {
  if [ -n "$sleeper" ]; then
    echo "$sleeper" >"$root/$tasks" 2>/dev/null || true
    kill "$sleeper" 2>/dev/null || true
    wait "$sleeper" 2>/dev/null || true
  fi
  rmdir "$group" 2>/dev/null || true
}
trap cleanup EXIT
mkdir "$group"
if [ "$tasks" = tasks ]; then
  cat "$root/cpuset.cpus" >"$group/cpuset.cpus"
  cat "$root/cpuset.mems" >"$group/cpuset.mems"
fi
sleep 1000 &
sleeper=$!

us() { # microseconds from $EPOCHREALTIME $1 to $2
  echo $(( (${2/./} - ${1/./}) ))
}
times=()
for _ in $(seq "$rounds"); do
  for to in "$group" "$root"; do
    sleep 0.2
    t0=$EPOCHREALTIME
    echo "$sleeper" >"$to/$tasks"
    t1=$EPOCHREALTIME
    times+=("$(us "$t0" "$t1")")
  done
done

favor=off
grep -qw 'cgroup_favordynmods=true' /proc/cmdline && favor="on (boot parameter)"
grep -q 'favordynmods' /proc/mounts && favor="on (a cgroup mount option)"
echo "kernel $(uname -r), $layout, favordynmods $favor (as the boot parameters and mounts say)"
echo "move_us ${times[*]}"
printf '%s\n' "${times[@]}" | sort -n | awk '{v[NR] = $1} END {printf "moves %d, median_us %d, max_us %d\n", NR, v[int((NR + 1) / 2)], v[NR]}'
