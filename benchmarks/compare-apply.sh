#!/usr/bin/env bash
# Side by side, in one run, interleaved: the cost of applying a vCPU placement (affinity and
# scheduling policy of every vCPU thread) to one real, paused QEMU, by
#   in-process  kvmtune's apply engine called repeatedly in one warm JVM (InProcessApply)
#   cold-cli    `kvmtune apply --pid PID --plan FILE` from a cold JVM, through the distribution's
#               launcher (launcher/src/dist/bin/kvmtune) as installed on a host; the checkout's
#               ./kvmtune, which first checks the jar against the sources, is left out of the time
#   shell-hook  taskset -p + chrt -p per thread (benchmarks/shell-hook.sh)
#   tuna        one tuna command (-t TIDS -c CPUS -m ... -p POLICY:PRIO)
#   c-loop      sched_setaffinity + sched_setattr per thread in C (apply_table.c, gcc on the fly):
#               the floor; c-loop-read-back also reads both back, as a verifying applier does
#   c-loop-apply-syscalls
#               every system call the in-process apply makes, in C (apply_table.c --checked):
#               identity checks, read-back, and a record of the in-process record's size saved
#               beside it; the issue's goal is in-process within 1.5x of this
#
#   benchmarks/compare-apply.sh [--rounds N] [--vcpus N] [--warmup N] [--out DIR]
#
# QEMU: qemu-system-x86_64 -S -smp N (default 32) -name ...,debug-threads=on, KVM when /dev/kvm
# works, else TCG; killed on exit. Each round runs every method once, in an order rotated by one
# per round; consecutive runs alternate between two plans (benchmarks' AlternatingPlans: vCPU n on
# CPU n mod k with SCHED_FIFO 2, then on CPU n+1 mod k with SCHED_OTHER), so every run changes
# every vCPU's affinity and policy. After each run the threads' state is checked in /proc (not
# timed). The in-process JVM first applies --warmup plans (default 3000, even) untimed, to be warm
# as a long-running agent is: after 200 C2 has not compiled all of the apply path yet, and spaced-
# out applies then take about a third longer. SCHED_FIFO goes only to the vCPU threads of the paused (idle) QEMU. At the end every
# vCPU is put back on all online CPUs with SCHED_OTHER.
#
# Output: DIR (default benchmarks/results/<UTC timestamp>) gets compare-apply.tsv (one line per
# timed apply: METHOD ROUND PLAN NANOS THREADS), compare-apply.md (the summary printed at the end:
# median/min/max ms per apply and µs per thread, ratio of each median to both C loops', the goals
# in-process <= 1.5x c-loop-apply-syscalls and cold CLI <= shell hook, and in-process / c-loop, the
# distance to the two-syscall floor), and the QEMU and method logs.
set -euo pipefail

. "$(dirname "$(readlink -f "$0")")/lib.sh"

rounds=20
vcpus=32
warmup=3000
out=
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=${2:?}; shift ;;
    --vcpus) vcpus=${2:?}; shift ;;
    --warmup) warmup=$(( ${2:?} / 2 * 2 )); shift ;;
    --out) out=${2:?}; shift ;;
    -h|--help) show_help; exit 0 ;;
    *) echo "compare-apply.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
require_root "SCHED_FIFO on another process's threads"
for tool in qemu-system-x86_64 gcc taskset chrt; do
  command -v "$tool" >/dev/null || { echo "compare-apply.sh: $tool is missing" >&2; exit 4; }
done

ensure_jar
out=$(results_dir "$out")
work=$(mktemp -d /tmp/kvmtune-compare-apply.XXXXXX)
qemu_pid=
inproc_pid=
# the in-process apply's records, on tmpfs as /run is on a real host; the checked C loop saves its own beside them
records=$(mktemp -d /dev/shm/kvmtune-compare-records.XXXXXX)

log() { printf '%s\n' "$*" >&2; }

cleanup() {
  set +e
  if [ -n "$inproc_pid" ]; then
    exec {inproc_in}>&- 2>/dev/null
    timeout 10 tail --pid="$inproc_pid" -f /dev/null || kill "$inproc_pid"
  fi
  if [ -n "$qemu_pid" ] && kill -0 "$qemu_pid" 2>/dev/null; then
    # kvmtune's own restore first: it also removes the apply record the cold CLI left in /run/kvmtune
    if [[ " ${methods[*]:-} " == *" cold-cli "* ]]; then
      "$root/kvmtune" restore --pid "$qemu_pid" >>"$work/cold-cli.log" 2>&1 || log "kvmtune restore failed (see cold-cli.log)"
    fi
    if [ -f "$work/threads-float.tsv" ]; then
      sh "$here/shell-hook.sh" "$work/threads-float.tsv" && verify_state "$work/threads-float.tsv" \
        && log "restored: every vCPU on all online CPUs, SCHED_OTHER"
    fi
    kill "$qemu_pid"
    wait "$qemu_pid" 2>/dev/null
  fi
  cp -f "$work"/*.log "$out"/ 2>/dev/null
  rm -rf "$work" "$records"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the guest -----------------------------------------------------------------------------
start_qemu() { # $1 = kvm|tcg
  local accel=(-machine accel=tcg)
  # the default CPU model: -cpu host fails on some nested hosts (MSRs the outer hypervisor refuses)
  [ "$1" = kvm ] && accel=(-machine accel=kvm)
  rm -f "$work/qmp.sock"
  qemu-system-x86_64 -S -smp "$vcpus" -m 128 -name bench-apply,debug-threads=on -nodefaults -display none \
    -qmp "unix:$work/qmp.sock,server=on,wait=off" "${accel[@]}" >"$work/qemu.log" 2>&1 &
  qemu_pid=$!
  local i
  for i in $(seq 200); do
    kill -0 "$qemu_pid" 2>/dev/null || { wait "$qemu_pid" 2>/dev/null || true; qemu_pid=; return 1; }
    [ "$(cat /proc/"$qemu_pid"/task/*/comm 2>/dev/null | grep -c '^CPU [0-9]*/')" = "$vcpus" ] && return 0
    sleep 0.1
  done
  log "compare-apply.sh: QEMU did not start its $vcpus vCPU threads within 20 s"; exit 4
}
accel=tcg
if [ -r /dev/kvm ] && [ -w /dev/kvm ] && start_qemu kvm; then
  accel=kvm
else
  start_qemu tcg || { log "compare-apply.sh: QEMU failed to start: $(tail -3 "$work/qemu.log")"; exit 4; }
fi
log "QEMU pid $qemu_pid, $vcpus vCPUs, $accel, paused"

bench_main io.kvmtune.bench.apply.ComparisonSetup "$qemu_pid" "$work" >&2

# verify_state TABLE: every thread of TABLE has its CPU list, policy and priority (from /proc).
verify_state() {
  local tid cpus policy prio want_policy stat fields allowed
  while read -r tid cpus policy prio; do
    case "$policy" in other) want_policy=0 ;; fifo) want_policy=1 ;; rr) want_policy=2 ;; esac
    allowed=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "/proc/$qemu_pid/task/$tid/status")
    stat=$(cat "/proc/$qemu_pid/task/$tid/stat")
    read -r -a fields <<<"${stat##*) }"          # fields[0] is stat field 3
    # stat field 40 is rt_priority, 41 the policy
    if [ "$allowed" != "$cpus" ] || [ "${fields[37]}" != "$prio" ] || [ "${fields[38]}" != "$want_policy" ]; then
      log "thread $tid: want CPUs $cpus policy $want_policy prio $prio, have CPUs $allowed policy ${fields[38]} prio ${fields[37]}"
      return 1
    fi
  done < "$1"
}

# --- the methods -----------------------------------------------------------------------------
gcc -O2 -Wall -I "$here/src/main/resources/io/kvmtune/bench" -o "$work/apply_table" "$here/src/main/c/apply_table.c"

# tuna_args TABLE: one tuna command line for the table: a -t/-c/-m group per CPU list, a -t/-p
# group per policy and priority.
tuna_args() {
  awk '{ cpus[$2] = cpus[$2] (cpus[$2] ? "," : "") $1; pol[$3 ":" $4] = pol[$3 ":" $4] (pol[$3 ":" $4] ? "," : "") $1 }
       END { for (c in cpus) printf "-t %s -c %s -m ", cpus[c], c; for (p in pol) printf "-t %s -p %s ", pol[p], p }' "$1"
}

methods=(c-loop c-loop-read-back shell-hook)
skipped=()
if command -v tuna >/dev/null; then
  methods+=(tuna)
  for tag in a b; do tuna_args "$work/threads-$tag.tsv" >"$work/tuna-$tag.args"; done
else
  skipped+=("tuna=tuna is not installed (apt-get install tuna)")
fi

if "$JAVA_HOME/bin/jar" tf "$jar" | grep -q '^io/kvmtune/bench/apply/InProcessApply.class$'; then
  coproc INPROC { bench_main io.kvmtune.bench.apply.InProcessApply "$qemu_pid" "$work" "$warmup" "$records" 2>"$work/in-process.log"; }
  inproc_pid=$INPROC_PID
  exec {inproc_in}>&"${INPROC[1]}"
  log "in-process: warming up with $warmup applies ..."
  if read -r reply <&"${INPROC[0]}" && [ "$reply" = ready ]; then
    methods+=(in-process c-loop-apply-syscalls)
  else
    log "compare-apply.sh: the in-process JVM failed: ${reply:-} $(tail -3 "$work/in-process.log")"; exit 3
  fi
else
  skipped+=("in-process=needs the apply engine (issue 4); this checkout's benchmarks jar has no InProcessApply")
  skipped+=("c-loop-apply-syscalls=saves a record of the in-process apply's size, and in-process did not run")
fi

# ./kvmtune builds the jar and its AOT cache if need be; the timed runs then call the launcher it
# calls ($dist_launcher), as a host's bin/kvmtune, with the paths ./kvmtune gives it
. "$root/scripts/checkout-env"
if "$root/kvmtune" apply --pid "$qemu_pid" --plan "$work/plan-float.json" --dry-run >"$work/cold-cli.log" 2>&1; then
  methods+=(cold-cli)
else
  skipped+=("cold-cli=./kvmtune apply --dry-run failed: $(tail -1 "$work/cold-cli.log")")
fi

# run_method METHOD TAG: applies plan TAG by METHOD; prints the nanoseconds it took.
run_method() {
  local t0 t1 reply
  case "$1" in
    c-loop) "$work/apply_table" "$work/threads-$2.tsv" ;;
    c-loop-read-back) "$work/apply_table" --read-back "$work/threads-$2.tsv" ;;
    c-loop-apply-syscalls)
      "$work/apply_table" --checked "$qemu_pid" "$records/qemu-$qemu_pid.json" "$work/identities.tsv" "$work/threads-$2.tsv" ;;
    in-process)
      echo "$2" >&"$inproc_in"
      read -r reply <&"${INPROC[0]}" || { log "in-process: the JVM ended: $(tail -3 "$work/in-process.log")"; return 1; }
      [[ "$reply" =~ ^[0-9]+$ ]] || { log "in-process: $reply"; return 1; }
      echo "$reply" ;;
    *)
      t0=$EPOCHREALTIME
      case "$1" in
        shell-hook) sh "$here/shell-hook.sh" "$work/threads-$2.tsv" ;;
        tuna) read -r -a args <"$work/tuna-$2.args"; tuna "${args[@]}" >/dev/null ;;
        cold-cli) "$dist_launcher" apply --pid "$qemu_pid" --plan "$work/plan-$2.json" >>"$work/cold-cli.log" 2>&1 ;;
      esac
      t1=$EPOCHREALTIME
      echo $(( (10#${t1/./} - 10#${t0/./}) * 1000 )) ;;
  esac
}

# --- the interleaved rounds ---------------------------------------------------------------------
{
  echo "# apply comparison, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "Host: $(uname -r), $(nproc) online CPUs ($(cat /sys/devices/system/cpu/online)), load average $(cut -d' ' -f1-3 /proc/loadavg) at start."
  echo "Guest: qemu-system-x86_64 -S, $vcpus vCPUs, $accel, debug-threads=on. Rounds: $rounds, methods per round: ${#methods[@]} (order rotated per round; plans alternate a/b on every run)."
  echo
} >"$out/compare-apply.md"
: >"$out/compare-apply.tsv"
log "methods: ${methods[*]}; rounds: $rounds"
run=0
for round in $(seq "$rounds"); do
  for i in "${!methods[@]}"; do
    method=${methods[$(( (i + round) % ${#methods[@]} ))]}
    tag=$([ $((run % 2)) = 0 ] && echo a || echo b)
    nanos=$(run_method "$method" "$tag") || { log "compare-apply.sh: $method failed in round $round"; exit 3; }
    verify_state "$work/threads-$tag.tsv" || { log "compare-apply.sh: $method left a state other than plan $tag"; exit 3; }
    echo "$method $round $tag $nanos $vcpus" >>"$out/compare-apply.tsv"
    run=$((run + 1))
  done
done

bench_main io.kvmtune.bench.report.ApplyTimingSummary "$out/compare-apply.tsv" "${skipped[@]}" >>"$out/compare-apply.md"
cat "$out/compare-apply.md"
