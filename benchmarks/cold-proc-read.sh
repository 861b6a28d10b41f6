#!/usr/bin/env bash
# What a system call costs the kvmtune agent when a vCPU is plugged in long after its guest
# started: one open and read of a new thread's /proc/TID/stat, right after the same call (warm)
# and after PAUSE_MS of sleep (cold), medians of ROUNDS, by cold-proc-read/cold_proc_read.c.
# Why the agent counts the system calls between a vCPU's birth and its tuning: on a host whose
# CPUs idle between births, each costs the cold figure, not the warm one.
#
# Usage: benchmarks/cold-proc-read.sh [ROUNDS] [PAUSE_MS]   (default 40 1000; gcc)
set -euo pipefail

rounds=${1:-40}
pause_ms=${2:-1000}
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
command -v gcc >/dev/null || { echo "cold-proc-read.sh: gcc is missing" >&2; exit 4; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -O2 -Wall -Wextra -o "$work/cold_proc_read" "$here/cold-proc-read/cold_proc_read.c" -lpthread
"$work/cold_proc_read" "$rounds" "$pause_ms"
