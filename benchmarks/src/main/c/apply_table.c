/*
 * apply_table: the C baselines of benchmarks/compare-apply.sh.
 *
 *   apply_table [--read-back] TABLE
 *   apply_table --checked PID RECORD IDENTITIES TABLE
 *
 * TABLE has one line per thread, "TID CPU POLICY PRIORITY" (POLICY fifo, rr or other), e.g.
 * "4711 1 fifo 2". Each thread gets sched_setaffinity then sched_setattr, through apply_loop()
 * of ApplyBenchmark's baseline (included, not copied): the floor. With --read-back the loop also
 * reads both back (sched_getaffinity, sched_getattr) and compares, as an applier that verifies does.
 *
 * With --checked the threads of QEMU process PID get apply_checked() instead: every system call
 * kvmtune's Applier.apply makes, identity checks, read-back and the record included. The record
 * it saves is a copy of RECORD (the in-process apply's), written as c-loop-<name of RECORD> in
 * RECORD's directory, so that it has the same size on the same file system. The start times the
 * threads are checked against come from IDENTITIES, "TID START_TIME" per line, as discovery found
 * them: reading them from /proc here, just before the clock starts, would warm the very kernel
 * data the loop reads, which the in-process apply finds as cold as any other.
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

#define MAX_THREADS APPLY_MAX_THREADS

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

/* The start time IDENTITIES gives thread `tid`. */
static long long found_start_time(const char *identities, int tid) {
    FILE *in = fopen(identities, "r");
    if (!in) die(identities, tid, strerror(errno));
    int id;
    long long start_time;
    while (fscanf(in, "%d %lld", &id, &start_time) == 2) {
        if (id == tid) {
            fclose(in);
            return start_time;
        }
    }
    die(identities, tid, "no start time for this thread");
    return -1;
}

/* The content of `path`, for the C loop to save a record of the same size. */
static char *slurp(const char *path, long *bytes) {
    FILE *in = fopen(path, "rb");
    if (!in || fseek(in, 0, SEEK_END) != 0 || (*bytes = ftell(in)) < 0 || fseek(in, 0, SEEK_SET) != 0) {
        die(path, 0, strerror(errno));
    }
    char *content = malloc((size_t) *bytes + 1);
    if (!content || fread(content, 1, (size_t) *bytes, in) != (size_t) *bytes) die(path, 0, "cannot read");
    fclose(in);
    return content;
}

int main(int argc, char **argv) {
    int verify = argc == 3 && strcmp(argv[1], "--read-back") == 0;
    int checked = argc == 6 && strcmp(argv[1], "--checked") == 0;
    if (argc != 2 + verify && !checked) {
        fprintf(stderr, "usage: apply_table [--read-back] TABLE\n       apply_table --checked PID RECORD IDENTITIES TABLE\n");
        return 2;
    }
    const char *path = argv[argc - 1];
    FILE *in = fopen(path, "r");
    if (!in) die(path, 0, strerror(errno));
    static struct apply_target targets[MAX_THREADS];
    int n = 0;
    char cpu[32], policy[16];
    int tid, priority;
    while (fscanf(in, "%d %31s %15s %d", &tid, cpu, policy, &priority) == 4) {
        char *end;
        long c = strtol(cpu, &end, 10);
        if (n == MAX_THREADS) die(path, tid, "too many threads");
        if (*end || c < 0 || c >= CPU_SETSIZE) die("needs exactly one CPU", tid, cpu);
        targets[n] = (struct apply_target) {tid, 0, (int) c, policy_number(policy), priority};
        if (targets[n].policy < 0) die("unknown policy", tid, policy);
        n++;
    }
    if (!feof(in)) die(path, 0, "a line is not \"TID CPU POLICY PRIORITY\"");
    fclose(in);

    if (checked) {
        for (int i = 0; i < n; i++) {
            targets[i].start_time = found_start_time(argv[4], targets[i].tid);
        }
        long bytes;
        char *content = slurp(argv[3], &bytes);
        char record[4096];
        const char *name = strrchr(argv[3], '/');
        snprintf(record, sizeof record, "%.*sc-loop-%s", name ? (int) (name - argv[3] + 1) : 0, argv[3],
                 name ? name + 1 : argv[3]);
        int64_t start = now_ns();
        int r = apply_checked(atoi(argv[2]), targets, n, record, content, bytes);
        int64_t elapsed = now_ns() - start;
        if (r != 0) die("apply_checked", 0, strerror(-r));
        printf("%lld\n", (long long) elapsed);
        return 0;
    }

    int64_t start = now_ns();
    for (int i = 0; i < n; i++) {
        const struct apply_target *t = &targets[i];
        int r = apply_loop(&t->tid, 1, t->cpu, t->policy, t->priority);
        if (r != 0) die("apply_loop", t->tid, strerror(-r));
        r = verify ? read_back(t) : 0;
        if (r != 0) die("read back", t->tid, r == -EIO ? "affinity, policy or priority differs" : strerror(-r));
    }
    int64_t elapsed = now_ns() - start;
    printf("%lld\n", (long long) elapsed);
    return 0;
}
