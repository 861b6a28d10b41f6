#!/bin/sh
# The shell hook an operator would write without kvmtune: for each line "TID CPULIST POLICY
# PRIORITY" of TABLE, taskset then chrt on that thread. benchmarks/compare-apply.sh times it as a
# whole, shell start-up included, as a libvirt hook would pay it.
set -eu
while read -r tid cpus policy priority; do
  taskset -p -c "$cpus" "$tid" >/dev/null
  case "$policy" in
    fifo) chrt -f -p "$priority" "$tid" ;;
    rr) chrt -r -p "$priority" "$tid" ;;
    other) chrt -o -p 0 "$tid" ;;
    *) echo "shell-hook: unknown policy $policy" >&2; exit 2 ;;
  esac
done < "$1"
