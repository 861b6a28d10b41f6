#!/usr/bin/env bash
# `kvmtune probe` and cyclictest back to back, on the same CPU, under the same background load,
# with the same settings (cyclictest -m -p P -a CPU -i US -l N -q -h MAX --json=...).
#
#   benchmarks/probe-vs-cyclictest.sh [--cpu N] [--loops N] [--interval US] [--priority P]
#                                     [--histogram-max US] [--no-load] [--out DIR]
#
# Defaults: the last online CPU, 20000 loops of 200 µs (4 s each), priority 80, histograms to
# 10000 µs. The load is a shell busy loop at normal priority (SCHED_OTHER) pinned to another
# online CPU (the first that is not --cpu), started before the first run and killed at the end:
# it loads the host (caches, memory bus, the hypervisor's scheduling of this VM) without
# competing for the measured CPU. The probe runs first, cyclictest right after it; on a shared
# VM, run the script a few times and look at the spread before trusting one ratio.
#
# Output: DIR (default benchmarks/results/<UTC timestamp>) gets probe.json, probe.svg,
# cyclictest.json, cyclictest.svg, cyclictest.out and probe-vs-cyclictest.md: both results
# (cycles, min, avg, p50, p99, p99.99, max, overflows), the probe/cyclictest ratios and the goals
# (probe max within 2x of cyclictest's, median within 1.5x).
set -euo pipefail

. "$(dirname "$(readlink -f "$0")")/lib.sh"

online=$(cat /sys/devices/system/cpu/online)
cpu=$(echo "$online" | tr ',' '\n' | tail -1 | sed 's/.*-//')
loops=20000
interval=200
priority=80
hmax=10000
load=yes
out=
while [ $# -gt 0 ]; do
  case "$1" in
    --cpu) cpu=${2:?}; shift ;;
    --loops) loops=${2:?}; shift ;;
    --interval) interval=${2:?}; shift ;;
    --priority) priority=${2:?}; shift ;;
    --histogram-max) hmax=${2:?}; shift ;;
    --no-load) load=no ;;
    --out) out=${2:?}; shift ;;
    -h|--help) show_help; exit 0 ;;
    *) echo "probe-vs-cyclictest.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
require_root "SCHED_FIFO, mlockall"
command -v cyclictest >/dev/null || { echo "probe-vs-cyclictest.sh: cyclictest is missing (apt-get install rt-tests)" >&2; exit 4; }

ensure_jar
"$root/kvmtune" --version >/dev/null   # builds the launcher now rather than inside the measurement
out=$(results_dir "$out")
load_pid=

cleanup() {
  if [ -n "$load_pid" ]; then
    kill "$load_pid" 2>/dev/null || true
    wait "$load_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

load_cpu=
for d in /sys/devices/system/cpu/cpu[0-9]*; do
  c=${d##*cpu}
  [ "$c" != "$cpu" ] || continue
  [ ! -f "$d/online" ] || [ "$(cat "$d/online")" = 1 ] || continue
  load_cpu=$c
  break
done
if [ "$load" = yes ]; then
  [ -n "$load_cpu" ] || { echo "probe-vs-cyclictest.sh: no other online CPU for the load (use --no-load)" >&2; exit 4; }
  taskset -c "$load_cpu" sh -c 'while :; do :; done' &
  load_pid=$!
fi

{
  echo "# kvmtune probe vs cyclictest, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "Host: $(uname -r), online CPUs $online, load average $(cut -d' ' -f1-3 /proc/loadavg) at start."
  echo "Both: CPU $cpu, SCHED_FIFO $priority, interval $interval µs, $loops loops, mlockall, histogram to $hmax µs."
  echo "Background load: $([ "$load" = yes ] && echo "busy loop (SCHED_OTHER) pinned to CPU $load_cpu" || echo none)."
  echo "Commands:"
  echo
  echo "    ./kvmtune probe --cpus $cpu --priority $priority --interval $interval --loops $loops --histogram-max $hmax --histogram probe.svg --format json"
  echo "    cyclictest -m -p $priority -a $cpu -i $interval -l $loops -q -h $hmax --json=cyclictest.json"
  echo
} >"$out/probe-vs-cyclictest.md"

echo "kvmtune probe on CPU $cpu ..." >&2
"$root/kvmtune" probe --cpus "$cpu" --priority "$priority" --interval "$interval" --loops "$loops" \
  --histogram-max "$hmax" --histogram "$out/probe.svg" --format json >"$out/probe.json"
echo "cyclictest on CPU $cpu ..." >&2
cyclictest -m -p "$priority" -a "$cpu" -i "$interval" -l "$loops" -q -h "$hmax" --json="$out/cyclictest.json" \
  >"$out/cyclictest.out"

bench_main io.kvmtune.bench.report.LatencyComparison "$out/probe.json" "$out/cyclictest.json" "$out/cyclictest.svg" \
  >>"$out/probe-vs-cyclictest.md"
cat "$out/probe-vs-cyclictest.md"
