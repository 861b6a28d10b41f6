#!/usr/bin/env bash
# The untuned window of a vCPU thread: from its birth (the kernel's fork event) to the moment its
# affinity and scheduling policy are as planned, measured by benchmarks/untuned-window/observer.c,
# a C program independent of kvmtune that listens on the process events connector itself and
# polls each new "CPU n/KVM" (or "CPU n/TCG") thread with sched_getaffinity/sched_getscheduler
# until it is as planned.
#
# STARTS guest starts through the host's libvirtd, alternating, in one run:
#   hook   kvmtune's libvirt hook only (prepare keeps the plan, started applies it)
#   agent  the same hook, plus `kvmtune agent run`, started afresh (and warmed up) for two guest
#          starts: "agent-first" is the first guest that agent sees, "agent" the second, as a
#          resident agent sees every guest but the first after it started
# The domain: 2 vCPUs, paused (-S: the SCHED_FIFO vCPU runs no guest code), hw:cpu_policy=mixed,
# hw:cpu_realtime=yes, mask ^0 on a host configuration with the first CPU shared and the last one
# dedicated: vCPU 0 on the shared CPU under SCHED_OTHER, vCPU 1 on the dedicated CPU under fifo:1.
# Then STARTS more without libvirt (mode "bare"): the same QEMU started directly with the same plan
# kept for its UUID, under the agent alone: the agent's own window, with no libvirt cgroup moves;
# here too each agent sees two QEMUs ("bare-first", then "bare").
# Prints each window, then per mode the count, median, p99 (nearest rank), max and timeouts, in us.
# With --hotplug it then, STARTS times, starts a fresh agent and under it, one after the other, two
# guests with 1 of 2 vCPUs, plugging vCPU 1 into each with `virsh setvcpus --live` a second after
# its start: their windows are printed as modes "hotplug-first" and "hotplug", as for the starts
# (with --baseline also "hotplug-base-first" and "hotplug-base"); --hotplug-only does only that.
#
# Runs under the host lock (flock /tmp/kvmtune-host.lock), installs this checkout's hook and a
# host configuration for the run, restarts libvirtd, and puts /etc/libvirt/hooks and
# /etc/kvmtune/kvmtune.conf back as found (restarting libvirtd again, or stopping it and virtlogd
# where they were not running). Where /run/kvmtune is not on a tmpfs (as /run is on systemd
# hosts), it mounts one there for the run.
#
# With --baseline JAR, every agent start is paired with one of the agent from JAR (a launcher jar
# built from another commit, e.g. main's), modes "agent-base" and "bare-base": before and after a
# change side by side in one run. The hook is always this checkout's.
# The agent runs at the nice value of its systemd unit's Nice= (KVMTUNE_AGENT_NICE=N in the
# environment overrides it). The observer runs SCHED_FIFO 1 where realtime tasks are throttled, so that its own wait for a CPU
# does not lengthen the windows it measures.
#
# With --bare-only it runs the bare starts alone: no libvirt, no host files, no host lock (the
# realtime policy goes to the paused vCPU of its own QEMU in its own cgroup only).
# The bare agent keeps its state on tmpfs (/dev/shm), as /run is on a systemd host.
#
# Usage: benchmarks/untuned-window.sh [--baseline JAR] [--hotplug | --hotplug-only | --bare-only] [STARTS]   (default 20; root; gcc, libvirtd, qemu-system-x86)
set -euo pipefail

args=("$@")
hotplug=false
bare_only=false
baseline=
if [ "${1:-}" = --baseline ]; then baseline=$(readlink -f "$2"); shift 2; fi
hotplug_only=false
if [ "${1:-}" = --hotplug ]; then hotplug=true; shift; fi
if [ "${1:-}" = --hotplug-only ]; then hotplug=true; hotplug_only=true; shift; fi
if [ "${1:-}" = --bare-only ]; then bare_only=true; shift; fi
starts=${1:-20}
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
root=$(dirname "$here")
[ "$(id -u)" = 0 ] || { echo "untuned-window.sh: run as root" >&2; exit 4; }
for tool in gcc virsh qemu-system-x86_64 python3; do
  command -v "$tool" >/dev/null || { echo "untuned-window.sh: $tool is missing" >&2; exit 4; }
done
if ! $bare_only && [ -z "${KVMTUNE_HOST_LOCKED:-}" ]; then
  # -o: the lock stays with flock itself, so the libvirtd this script restarts does not inherit it
  exec env KVMTUNE_HOST_LOCKED=1 flock -o /tmp/kvmtune-host.lock "$0" "${args[@]}"
fi

work=$(mktemp -d /tmp/kvmtune-window.XXXXXX)
"$root/kvmtune" --version >/dev/null # builds the launcher if the sources changed
# Every call below, the hook's included, runs a copy of that jar: a rebuild in the checkout during
# the run cannot change or break what is measured.
cp "$root/launcher/target/kvmtune.jar" "$work/kvmtune.jar"
cat >"$work/kvmtune" <<SH
#!/bin/sh
export KVMTUNE_JAR=$work/kvmtune.jar KVMTUNE_FIND_JDK=$root/scripts/find-jdk KVMTUNE_LAUNCHER=$work/kvmtune KVMTUNE_CACHE_DIR=$work
exec $root/launcher/src/dist/bin/kvmtune "\$@"
SH
chmod +x "$work/kvmtune"
kvmtune="$work/kvmtune"
"$kvmtune" --version >/dev/null # trains its AOT cache once, before anything is timed
variants=(agent)
if [ -n "$baseline" ]; then
  mkdir -p "$work/base"
  cp "$baseline" "$work/base/kvmtune.jar"
  cat >"$work/kvmtune-base" <<SH
#!/bin/sh
export KVMTUNE_JAR=$work/base/kvmtune.jar KVMTUNE_FIND_JDK=$root/scripts/find-jdk KVMTUNE_LAUNCHER=$work/kvmtune-base KVMTUNE_CACHE_DIR=$work/base
exec $root/launcher/src/dist/bin/kvmtune "\$@"
SH
  chmod +x "$work/kvmtune-base"
  "$work/kvmtune-base" --version >/dev/null
  variants=(agent agent-base)
fi
gcc -O2 -Wall -Werror -o "$work/observer" "$here/untuned-window/observer.c"
# The observer is the measuring instrument: SCHED_FIFO 1, so that it sees a change when it happens,
# not when the scheduler next lets it run among the processes of a starting guest (cyclictest runs
# so for the same reason); it sleeps between polls, and only where realtime tasks are throttled.
observer_rt=()
[ "$(cat /proc/sys/kernel/sched_rt_runtime_us)" != -1 ] && observer_rt=(-p 1)
# The agent runs at the nice value its systemd unit gives it, unless KVMTUNE_AGENT_NICE says otherwise.
unit=$root/packaging/src/deb/root/lib/systemd/system/kvmtune-agent.service
: "${KVMTUNE_AGENT_NICE:=$(sed -n 's/^Nice=//p' "$unit")}"

hooks=/etc/libvirt/hooks
conf=/etc/kvmtune/kvmtune.conf
$bare_only && conf=$work/kvmtune.conf
name=kvmtune-window
uuid=3d1f6a0e-8c52-4b7a-9e0d-6a2b5c8f1e47
agent_pid=
shm=
if ! $bare_only; then
[ -e "$hooks" ] && cp -a "$hooks" "$work/hooks.before"
[ -e "$conf" ] && cp -a "$conf" "$work/conf.before"
conf_dir_existed=false
[ -d "$(dirname "$conf")" ] && conf_dir_existed=true
state_mounted=false
libvirtd_was_running=false
pgrep -x libvirtd >/dev/null && libvirtd_was_running=true
virtlogd_was_running=false
pgrep -x virtlogd >/dev/null && virtlogd_was_running=true
restore() {
  virsh destroy "$name" >/dev/null 2>&1 || true
  if $state_mounted; then
    umount /run/kvmtune || true
  fi
  [ -z "$shm" ] || rm -rf "$shm"
  [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null || true
  rm -rf "$hooks"
  [ -e "$work/hooks.before" ] && cp -a "$work/hooks.before" "$hooks"
  if [ -e "$work/conf.before" ]; then cp -a "$work/conf.before" "$conf"; else rm -f "$conf"; fi
  $conf_dir_existed || rmdir "$(dirname "$conf")" 2>/dev/null || true
  if $libvirtd_was_running; then
    "$root/scripts/start-libvirtd" --restart >/dev/null 2>&1 || true
  else
    "$root/scripts/stop-libvirtd" libvirtd || true
  fi
  $virtlogd_was_running || "$root/scripts/stop-libvirtd" virtlogd || true
  echo "logs kept in $work" >&2
}
trap restore EXIT
trap 'exit 130' INT TERM
fi

online=$(cat /sys/devices/system/cpu/online)
first=${online%%[-,]*}
last=${online##*[-,]}
[ "$first" != "$last" ] || { echo "untuned-window.sh: needs at least 2 online CPUs" >&2; exit 4; }
$bare_only && trap '[ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null; rm -rf "$shm"; echo "logs kept in $work" >&2' EXIT
mkdir -p "$(dirname "$conf")"
# metrics off: the run must not collide with an agent a host already runs on 9477
# The hook's prepare refuses a domain XML that would start QEMU otherwise than the plan: the guest CPU is
# a model KVM offers in full (host-model's cannot start under nested KVM), and locked memory,
# which libvirt cannot set up on this machine kind, is only warned about. Without a usable
# /dev/kvm the guests run under TCG, as Nova's virt_type=qemu starts them.
domain_type=kvm
[ -w /dev/kvm ] || domain_type=qemu
printf '[compute]\ncpu_shared_set = %s\ncpu_dedicated_set = %s\n\n[libvirt]\nvirt_type = %s\ncpu_mode = custom\ncpu_models = pentium3\n\n[hook]\nstart_settings_warn_only = locked_memory\n\n[agent]\nmetrics_listen =\n' \
  "$first" "$last" "$domain_type" >"$conf"
if ! $bare_only; then
  # /run is a tmpfs on every systemd host; where it is not (this machine kind's /run is on disk),
  # the state directory gets one for the run, so that the records' and budget book's fsyncs cost
  # what they cost on a real host. What it held is copied in and shows again when it is unmounted.
  if [ "$(findmnt -no FSTYPE -T /run/kvmtune 2>/dev/null)" != tmpfs ]; then
    mkdir -p /run/kvmtune "$work/state.before"
    cp -a /run/kvmtune/. "$work/state.before/"
    mount -t tmpfs -o mode=0755 kvmtune-window /run/kvmtune
    state_mounted=true
    cp -a "$work/state.before/." /run/kvmtune/
  fi
  "$kvmtune" hook install --launcher "$kvmtune" >/dev/null
  "$root/scripts/start-libvirtd" --restart
fi

specs=(--flavor-spec hw:cpu_policy=mixed --flavor-spec hw:cpu_realtime=yes --flavor-spec hw:cpu_realtime_mask=^0)
# n=CPULIST:POLICY per vCPU, from the plan the hook will make
mapfile -t expect < <("$kvmtune" plan --format json --config "$conf" --claims none --vcpus 2 "${specs[@]}" |
  python3 -c 'import json,sys
for v in json.load(sys.stdin)["vcpus"]:
    print("%d=%s:%s" % (v["vcpu"], ",".join(map(str, v["pcpus"])), v["policy"]))')

domain_xml() { # $1 = current vCPUs
  cat <<XML
<domain type='$domain_type'>
  <name>$name</name>
  <uuid>$uuid</uuid>
  <metadata>
    <kvmtune:tuning xmlns:kvmtune='https://kvmtune.io/xmlns/tuning/1.0'>
      <kvmtune:flavor-spec key='hw:cpu_policy'>mixed</kvmtune:flavor-spec>
      <kvmtune:flavor-spec key='hw:cpu_realtime'>yes</kvmtune:flavor-spec>
      <kvmtune:flavor-spec key='hw:cpu_realtime_mask'>^0</kvmtune:flavor-spec>
    </kvmtune:tuning>
  </metadata>
  <memory unit='MiB'>64</memory>
  <vcpu placement='static' current='$1'>2</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <cpu mode='custom' match='exact'><model>pentium3</model></cpu>
  <clock offset='utc'><timer name='hpet' present='no'/></clock>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <memballoon model='none'/>
  </devices>
</domain>
XML
}
domain_xml 2 >"$work/domain.xml"
domain_xml 1 >"$work/domain-hotplug.xml"

launcher_of() { # $1 = variant
  if [ "$1" = agent-base ]; then echo "$work/kvmtune-base"; else echo "$kvmtune"; fi
}
start_agent() { # $1 = launcher (default this checkout's)
  : >"$work/agent.out"
  echo "--- agent from ${1:-$kvmtune}" >>"$work/agent.log"
  ${KVMTUNE_AGENT_NICE:+nice -n "$KVMTUNE_AGENT_NICE"} "${1:-$kvmtune}" agent run 2>>"$work/agent.log" >"$work/agent.out" &
  agent_pid=$!
  for _ in $(seq 600); do
    grep -q "kvmtune-agent info: running" "$work/agent.log" 2>/dev/null && tail -1 "$work/agent.log" | grep -q running && return 0
    kill -0 "$agent_pid" 2>/dev/null || { echo "the agent died; see $work/agent.log" >&2; exit 1; }
    sleep 0.05
  done
  echo "the agent did not start within 30 s" >&2
  exit 1
}
stop_agent() {
  kill -TERM "$agent_pid"
  wait "$agent_pid" || true
  agent_pid=
}

observe() { # $1 = mode, $2 = domain XML, $3 = command run once the guest is up (or empty), rest = expectations
  local mode=$1 xml=$2 then=$3 obs
  shift 3
  : >"$work/observer.err"
  "$work/observer" "${observer_rt[@]}" 5000 "$@" >"$work/observer.out" 2>"$work/observer.err" &
  obs=$!
  for _ in $(seq 200); do grep -q ready "$work/observer.err" && break; sleep 0.01; done
  virsh create "$xml" --paused >/dev/null
  [ -z "$then" ] || eval "$then"
  for _ in $(seq 1000); do kill -0 "$obs" 2>/dev/null || break; sleep 0.01; done
  kill "$obs" 2>/dev/null || true
  wait "$obs" 2>/dev/null || true
  virsh destroy "$name" >/dev/null
  sed "s/^/$mode /" "$work/observer.out" | tee -a "$work/windows.txt"
}

: >"$work/windows.txt"
$bare_only || $hotplug_only || for i in $(seq "$starts"); do
  observe hook "$work/domain.xml" "" "${expect[@]}"
  for v in "${variants[@]}"; do
    start_agent "$(launcher_of "$v")"
    # the first guest a fresh agent sees, then one more: a resident agent has seen guests before
    observe "$v-first" "$work/domain.xml" "" "${expect[@]}"
    observe "$v" "$work/domain.xml" "" "${expect[@]}"
    stop_agent
  done
done
# The agent's own window, without libvirt's cgroup placement in the way: QEMU started directly
# (paused, -uuid) with the same plan kept for it as the prepare hook keeps it, under an agent whose
# state is private to this run.
plan_json=$("$kvmtune" plan --format json --config "$conf" --claims none --vcpus 2 "${specs[@]}")
shm=$(mktemp -d /dev/shm/kvmtune-window.XXXXXX)
bare=$shm/state
mkdir -p "$bare/domains"
python3 - "$bare/domains/$uuid.json" "$uuid" "$name-bare" <<PY
import json, sys
json.dump({"format": 1, "uuid": sys.argv[2], "name": sys.argv[3], "plan": json.loads('''$plan_json'''), "qemu": None},
          open(sys.argv[1], "w"))
PY
accel=kvm
[ "$domain_type" = kvm ] || accel=tcg,thread=multi
bare_start() {
  qemu-system-x86_64 -S -nodefaults -no-user-config -display none -m 64 -smp 2 -accel "$accel" \
    -name "guest=$name-bare,debug-threads=on" -uuid "$uuid" </dev/null >>"$work/qemu-bare.log" 2>&1 &
  bare_pid=$!
}
$hotplug_only || for i in $(seq "$starts"); do
for v in "${variants[@]}"; do
  export JDK_JAVA_OPTIONS="-Dkvmtune.state=$bare -Dkvmtune.claims=$bare/claims.json -Dkvmtune.config=$conf"
  start_agent "$(launcher_of "$v")"
  unset JDK_JAVA_OPTIONS
  for which in -first ""; do
    : >"$work/observer.err"
    "$work/observer" "${observer_rt[@]}" 5000 "${expect[@]}" >"$work/observer.out" 2>"$work/observer.err" &
    obs=$!
    for _ in $(seq 200); do grep -q ready "$work/observer.err" && break; sleep 0.01; done
    bare_start
    for _ in $(seq 1000); do kill -0 "$obs" 2>/dev/null || break; sleep 0.01; done
    kill "$obs" 2>/dev/null || true
    wait "$obs" 2>/dev/null || true
    kill "$bare_pid"; wait "$bare_pid" 2>/dev/null || true
    sed "s/^/bare${v#agent}$which /" "$work/observer.out" | tee -a "$work/windows.txt"
  done
  stop_agent
done
done

$hotplug && for i in $(seq "$starts"); do
for v in "${variants[@]}"; do
  start_agent "$(launcher_of "$v")"
  # only vCPU 1's window: vCPU 0 is born with the guest; as for starts, the first guest a fresh
  # agent sees, then one more
  for which in -first ""; do
    observe "hotplug${v#agent}$which" "$work/domain-hotplug.xml" \
      'sleep 1; virsh setvcpus '"$name"' 2 --live >/dev/null' "${expect[1]}"
  done
  stop_agent
done
done

echo
python3 - "$work/windows.txt" <<'PY'
import math, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
# rows: MODE vcpu N tid T window_us US | MODE vcpu N tid T timeout
print("%-16s %5s %6s %10s %10s %10s %9s" % ("mode", "vcpu", "n", "median_us", "p99_us", "max_us", "timeouts"))
for mode in ("hook", "agent", "agent-first", "agent-base", "agent-base-first", "bare", "bare-first", "bare-base",
             "bare-base-first", "hotplug", "hotplug-first", "hotplug-base", "hotplug-base-first"):
    for vcpu in sorted({r[2] for r in rows if r[0] == mode}):
        mine = [r for r in rows if r[0] == mode and r[2] == vcpu]
        w = sorted(int(r[-1]) for r in mine if r[-2] == "window_us")
        t = sum(1 for r in mine if r[-1] == "timeout")
        med = (w[(len(w) - 1) // 2] + w[len(w) // 2]) / 2 if w else float("nan")
        p99 = w[max(0, math.ceil(0.99 * len(w)) - 1)] if w else float("nan")
        print("%-16s %5s %6d %10.0f %10.0f %10.0f %9d" % (mode, vcpu, len(w), med, p99, w[-1] if w else float("nan"), t))
PY
