/*
 * apply_table: the C floor of benchmarks/compare-apply.sh, the raw syscalls in a loop.
 *
 *   apply_table [--read-back] TABLE
 *
 * TABLE has one line per thread, "TID CPU POLICY PRIORITY" (POLICY fifo, rr or other), e.g.
 * "4711 1 fifo 2". Each thread gets sched_setaffinity then sched_setattr, through apply_loop()
 * of ApplyBenchmark's baseline (included, not copied). With --read-back the loop also reads both
 * back (sched_getaffinity, sched_getattr) and compares, as an applier that verifies does.
 *
 * Prints the nanoseconds (CLOCK_MONOTONIC) of the loop alone: the table is parsed first. Exits 1
 * naming the thread and errno at the first failure.
 *
 * Built by compare-apply.sh: gcc -O2 -I src/main/resources/io/kvmtune/bench -o apply_table apply_table.c
 */
#include "apply_loop.c"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_THREADS 4096

struct target {
    int tid;
    int cpu;
    int policy;
    int priority;
};

static void die(const char *what, int tid, const char *detail) {
    fprintf(stderr, "apply_table: %s (thread %d): %s\n", what, tid, detail);
    exit(1);
}

static int policy_number(const char *name) {
    if (strcmp(name, "fifo") == 0) return SCHED_FIFO;
    if (strcmp(name, "rr") == 0) return SCHED_RR;
    if (strcmp(name, "other") == 0) return SCHED_OTHER;
    return -1;
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void read_back(const struct target *t) {
    cpu_set_t set;
    if (sched_getaffinity(t->tid, sizeof set, &set) != 0) die("sched_getaffinity", t->tid, strerror(errno));
    if (CPU_COUNT(&set) != 1 || !CPU_ISSET(t->cpu, &set)) die("read back", t->tid, "affinity differs");
    struct kvmtune_sched_attr attr = {0};
    if (syscall(SYS_sched_getattr, t->tid, &attr, sizeof attr, 0) != 0) die("sched_getattr", t->tid, strerror(errno));
    if ((int) attr.sched_policy != t->policy || (int) attr.sched_priority != t->priority) {
        die("read back", t->tid, "policy or priority differs");
    }
}

int main(int argc, char **argv) {
    int verify = argc == 3 && strcmp(argv[1], "--read-back") == 0;
    if (argc != 2 + verify) {
        fprintf(stderr, "usage: apply_table [--read-back] TABLE\n");
        return 2;
    }
    const char *path = argv[1 + verify];
    FILE *in = fopen(path, "r");
    if (!in) die(path, 0, strerror(errno));
    static struct target targets[MAX_THREADS];
    int n = 0;
    char cpu[32], policy[16];
    int tid, priority;
    while (fscanf(in, "%d %31s %15s %d", &tid, cpu, policy, &priority) == 4) {
        char *end;
        long c = strtol(cpu, &end, 10);
        if (n == MAX_THREADS) die(path, tid, "too many threads");
        if (*end || c < 0 || c >= CPU_SETSIZE) die("needs exactly one CPU", tid, cpu);
        targets[n] = (struct target) {tid, (int) c, policy_number(policy), priority};
        if (targets[n].policy < 0) die("unknown policy", tid, policy);
        n++;
    }
    if (!feof(in)) die(path, 0, "a line is not \"TID CPU POLICY PRIORITY\"");
    fclose(in);

    int64_t start = now_ns();
    for (int i = 0; i < n; i++) {
        const struct target *t = &targets[i];
        int r = apply_loop(&t->tid, 1, t->cpu, t->policy, t->priority);
        if (r != 0) die("apply_loop", t->tid, strerror(-r));
        if (verify) read_back(t);
    }
    int64_t elapsed = now_ns() - start;
    printf("%lld\n", (long long) elapsed);
    return 0;
}
