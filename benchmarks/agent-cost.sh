#!/usr/bin/env bash
# The agent's cost at rest: GUESTS paused QEMUs of 4 vCPUs each (default 10), each with a kept
# plan as the libvirt prepare hook keeps it, all tuned by `kvmtune agent run`; once they are
# tuned and settled, the agent's CPU time over SECONDS (default 60) from /proc/PID/stat
# (utime + stime) as a share of one core, and its RSS (VmRSS, VmHWM) from /proc/PID/status.
# Goal: CPU <= 0.5 % of one core, RSS <= 96 MiB.
#
# Everything lives in a private directory (the agent's state, the plans, the QEMUs): no libvirt,
# no /run/kvmtune, and the plans pin vCPUs without realtime policies, so no host lock is needed.
#
# Usage: benchmarks/agent-cost.sh [GUESTS] [SECONDS]   (root: the agent needs the process events connector)
set -euo pipefail

guests=${1:-10}
seconds=${2:-60}
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
root=$(dirname "$here")
kvmtune="$root/kvmtune"
[ "$(id -u)" = 0 ] || { echo "agent-cost.sh: run as root" >&2; exit 4; }
command -v qemu-system-x86_64 >/dev/null || { echo "agent-cost.sh: install qemu-system-x86" >&2; exit 4; }
"$kvmtune" --version >/dev/null

work=$(mktemp -d /tmp/kvmtune-agent-cost.XXXXXX)
pids=()
agent_pid=
cleanup() {
  [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

online=$(cat /sys/devices/system/cpu/online)
mkdir -p "$work/state/domains"
printf '[compute]\ncpu_dedicated_set = %s\n\n[agent]\nmetrics_listen =\n' "$online" >"$work/kvmtune.conf"
# pinned, not realtime: a 1-vCPU plan of this host, widened below to 4 vCPUs round robin over its
# CPUs (the guests share pCPUs: nothing runs in them)
plan=$("$kvmtune" plan --format json --config "$work/kvmtune.conf" --claims none --vcpus 1 \
  --flavor-spec hw:cpu_policy=dedicated)
accel=kvm
[ -w /dev/kvm ] || accel=tcg,thread=multi
export JDK_JAVA_OPTIONS="-Dkvmtune.state=$work/state -Dkvmtune.claims=$work/state/claims.json -Dkvmtune.config=$work/kvmtune.conf"
"$kvmtune" agent run 2>"$work/agent.log" &
agent_pid=$!
for _ in $(seq 600); do grep -q "kvmtune-agent info: running" "$work/agent.log" && break; sleep 0.05; done
java_pid=$agent_pid

for i in $(seq "$guests"); do
  uuid=$(printf '7e57c057-0000-4000-8000-%012d' "$i")
  python3 - "$work/state/domains/$uuid.json" "$uuid" "cost-$i" "$online" <<PY
import json, sys
plan = json.loads('''$plan''')
cpus = [int(c) for part in sys.argv[4].split(",") for c in (range(int(part.split("-")[0]), int(part.split("-")[-1]) + 1))]
plan["vcpus"] = [dict(plan["vcpus"][0], vcpu=v, pcpus=[cpus[v % len(cpus)]]) for v in range(4)]
json.dump({"format": 1, "uuid": sys.argv[2], "name": sys.argv[3], "plan": plan, "qemu": None}, open(sys.argv[1], "w"))
PY
  qemu-system-x86_64 -S -nodefaults -no-user-config -display none -m 64 -smp 4 -accel "$accel" \
    -name "guest=cost-$i,debug-threads=on" -uuid "$uuid" </dev/null >"$work/qemu-$i.log" 2>&1 &
  pids+=($!)
done
want=$((guests * 4))
for _ in $(seq 600); do
  n=$("$kvmtune" agent status --format json 2>/dev/null | python3 -c 'import json,sys
s = json.load(sys.stdin); print(sum(1 for g in s["guests"] for t in g["threads"] if t["role"].startswith("vcpu")))' || echo 0)
  [ "$n" -ge "$want" ] && break
  sleep 0.5
done
echo "vCPU threads tuned: $n of $want"
sleep 5 # past the 3 s close watch of a starting guest

events() { "$kvmtune" agent status --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["counters"]["events_received"])'; }
e0=$(events)
ticks() { awk '{print $14 + $15}' "/proc/$java_pid/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks); s0=$(date +%s%N)
sleep "$seconds"
t1=$(ticks); s1=$(date +%s%N)
python3 - "$t0" "$t1" "$s0" "$s1" "$hz" <<'PY'
import sys
t0, t1, s0, s1, hz = map(int, sys.argv[1:])
cpu = (t1 - t0) / hz
wall = (s1 - s0) / 1e9
print("agent CPU over %.1f s: %.2f s of CPU = %.3f %% of one core" % (wall, cpu, 100 * cpu / wall))
PY
e1=$(events)
echo "process events received meanwhile (every fork, exec, rename, exit on the host): $((e1 - e0))"
grep -E 'VmRSS|VmHWM' "/proc/$java_pid/status"
echo "agent command line: $(tr '\0' ' ' </proc/$java_pid/cmdline | cut -c1-200)"
