#!/usr/bin/env bash
# `kvmtune probe` and cyclictest in interleaved rounds, on the same CPU, under the same background
# load, with the same settings (cyclictest -m -p P -a CPU -i US -l N -q -h MAX --json=...).
#
#   benchmarks/probe-vs-cyclictest.sh [--cpu N] [--loops N] [--rounds N] [--interval US]
#                                     [--priority P] [--histogram-max US] [--no-load] [--out DIR]
#
# Defaults: the last online CPU, 5 rounds of 20000 loops of 200 µs (4 s per run) per tool,
# priority 80, histograms to 10000 µs. Each round runs both tools back to back, the probe first in
# odd rounds and cyclictest first in even ones. The load is a shell busy loop at normal priority
# (SCHED_OTHER) pinned to another online CPU (the first that is not --cpu), started before the
# first run and killed at the end: it loads the host (caches, memory bus, the hypervisor's
# scheduling of this VM) without competing for the measured CPU.
#
# Rounds, because a maximum is one sample: on a shared or nested VM, a host preemption of a few
# milliseconds lands in one tool's run or the other's. Interleaving gives both tools the same
# exposure to it; the goals are judged on all rounds together, and each round is listed too.
#
# Output: DIR (default benchmarks/results/<UTC timestamp>) gets probe-N.json, cyclictest-N.json
# and cyclictest-N.out per round, probe.svg and cyclictest.svg (histograms of all rounds), and
# probe-vs-cyclictest.md: all rounds together (cycles, min, avg, p50, p99, p99.99, max,
# overflows), the probe/cyclictest ratios, the goals (probe max within 2x of cyclictest's, median
# within 1.5x), and each round's medians and maxima.
set -euo pipefail

. "$(dirname "$(readlink -f "$0")")/lib.sh"

online=$(cat /sys/devices/system/cpu/online)
cpu=$(echo "$online" | tr ',' '\n' | tail -1 | sed 's/.*-//')
loops=20000
rounds=5
interval=200
priority=80
hmax=10000
load=yes
out=
while [ $# -gt 0 ]; do
  case "$1" in
    --cpu) cpu=${2:?}; shift ;;
    --loops) loops=${2:?}; shift ;;
    --rounds) rounds=${2:?}; shift ;;
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
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "probe-vs-cyclictest.sh: --rounds must be a positive whole number, not '$rounds'" >&2; exit 2; }
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
  echo "Both: CPU $cpu, SCHED_FIFO $priority, interval $interval µs, $loops loops per run, $rounds rounds, mlockall, histogram to $hmax µs."
  echo "Background load: $([ "$load" = yes ] && echo "busy loop (SCHED_OTHER) pinned to CPU $load_cpu" || echo none)."
  echo "Commands, in round N (the probe first in odd rounds, cyclictest first in even ones):"
  echo
  echo "    ./kvmtune probe --cpus $cpu --priority $priority --interval $interval --loops $loops --histogram-max $hmax --format json"
  echo "    cyclictest -m -p $priority -a $cpu -i $interval -l $loops -q -h $hmax --json=cyclictest-N.json"
  echo
} >"$out/probe-vs-cyclictest.md"

run_probe() {
  echo "round $1: kvmtune probe on CPU $cpu ..." >&2
  "$root/kvmtune" probe --cpus "$cpu" --priority "$priority" --interval "$interval" --loops "$loops" \
    --histogram-max "$hmax" --format json >"$out/probe-$1.json"
}
run_cyclictest() {
  echo "round $1: cyclictest on CPU $cpu ..." >&2
  cyclictest -m -p "$priority" -a "$cpu" -i "$interval" -l "$loops" -q -h "$hmax" --json="$out/cyclictest-$1.json" \
    >"$out/cyclictest-$1.out"
}
pairs=()
for round in $(seq "$rounds"); do
  if [ $((round % 2)) = 1 ]; then
    run_probe "$round"; run_cyclictest "$round"
  else
    run_cyclictest "$round"; run_probe "$round"
  fi
  pairs+=("$out/probe-$round.json" "$out/cyclictest-$round.json")
done

bench_main io.kvmtune.bench.report.LatencyComparison --svg "$out" "${pairs[@]}" >>"$out/probe-vs-cyclictest.md"
cat "$out/probe-vs-cyclictest.md"
