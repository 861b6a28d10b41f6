/*
 * apply_loop: the floor for applying a thread placement, the raw syscalls in a C loop.
 *
 *   apply_loop [--read-back] TABLE
 *
 * TABLE has one line per thread: "TID CPULIST POLICY PRIORITY", e.g. "4711 0-1,3 fifo 1"
 * (POLICY is fifo, rr or other). For each thread, in order: sched_setaffinity, then sched_setattr
 * (through syscall(2): Debian 12's glibc has no wrapper). With --read-back it also reads both back
 * with sched_getaffinity and sched_getattr and compares, as an applier that verifies would.
 *
 * Prints the nanoseconds (CLOCK_MONOTONIC) the loop took, nothing else; the table is parsed and
 * the masks are built before the clock starts, so only the syscalls are timed. Exits 1 naming the
 * thread and errno on the first failure.
 *
 * Compiled on the fly by benchmarks/compare-apply.sh: gcc -O2 -o apply_loop apply_loop.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Declared here: <linux/sched/types.h> clashes with <sched.h> on glibc < 2.41. */
struct sched_attr {
    uint32_t size;
    uint32_t sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime;
    uint64_t sched_deadline;
    uint64_t sched_period;
    uint32_t sched_util_min;
    uint32_t sched_util_max;
};

#define MAX_THREADS 4096
#define MAX_CPUS 8192

struct target {
    pid_t tid;
    cpu_set_t *mask;
    struct sched_attr attr;
};

static size_t mask_size;

static void die(const char *what, const char *detail) {
    fprintf(stderr, "apply_loop: %s: %s\n", what, detail);
    exit(1);
}

/* "0-3,8,10-11" -> mask; returns 0 on success. */
static int parse_cpus(const char *list, cpu_set_t *mask) {
    CPU_ZERO_S(mask_size, mask);
    const char *p = list;
    while (*p) {
        char *end;
        long lo = strtol(p, &end, 10), hi = lo;
        if (end == p || lo < 0 || lo >= MAX_CPUS) {
            return -1;
        }
        p = end;
        if (*p == '-') {
            hi = strtol(p + 1, &end, 10);
            if (end == p + 1 || hi < lo || hi >= MAX_CPUS) {
                return -1;
            }
            p = end;
        }
        for (long c = lo; c <= hi; c++) {
            CPU_SET_S(c, mask_size, mask);
        }
        if (*p == ',') {
            p++;
        } else if (*p) {
            return -1;
        }
    }
    return 0;
}

static int parse_policy(const char *name) {
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

static void read_back(const struct target *t, cpu_set_t *scratch) {
    char tid[32];
    snprintf(tid, sizeof tid, "thread %d", t->tid);
    if (sched_getaffinity(t->tid, mask_size, scratch) != 0) die(tid, strerror(errno));
    if (!CPU_EQUAL_S(mask_size, scratch, t->mask)) die(tid, "affinity differs after sched_setaffinity");
    struct sched_attr got = {0};
    if (syscall(SYS_sched_getattr, t->tid, &got, sizeof got, 0) != 0) die(tid, strerror(errno));
    if (got.sched_policy != t->attr.sched_policy || got.sched_priority != t->attr.sched_priority) {
        die(tid, "policy or priority differs after sched_setattr");
    }
}

int main(int argc, char **argv) {
    int verify = argc == 3 && strcmp(argv[1], "--read-back") == 0;
    if (argc != 2 + verify) {
        fprintf(stderr, "usage: apply_loop [--read-back] TABLE\n");
        return 2;
    }
    FILE *in = fopen(argv[1 + verify], "r");
    if (!in) die(argv[1 + verify], strerror(errno));
    mask_size = CPU_ALLOC_SIZE(MAX_CPUS);
    static struct target targets[MAX_THREADS];
    int n = 0;
    char cpus[4096], policy[16];
    int tid, priority;
    while (fscanf(in, "%d %4095s %15s %d", &tid, cpus, policy, &priority) == 4) {
        if (n == MAX_THREADS) die(argv[1 + verify], "too many threads");
        struct target *t = &targets[n++];
        t->tid = tid;
        t->mask = CPU_ALLOC(MAX_CPUS);
        if (!t->mask || parse_cpus(cpus, t->mask) != 0) die("bad cpu list", cpus);
        int p = parse_policy(policy);
        if (p < 0) die("bad policy", policy);
        memset(&t->attr, 0, sizeof t->attr);
        t->attr.size = sizeof t->attr;
        t->attr.sched_policy = (uint32_t) p;
        t->attr.sched_priority = (uint32_t) priority;
    }
    if (!feof(in)) die(argv[1 + verify], "a line is not \"TID CPULIST POLICY PRIORITY\"");
    fclose(in);
    cpu_set_t *scratch = CPU_ALLOC(MAX_CPUS);

    int64_t start = now_ns();
    for (int i = 0; i < n; i++) {
        struct target *t = &targets[i];
        if (sched_setaffinity(t->tid, mask_size, t->mask) != 0) {
            char tid_text[32];
            snprintf(tid_text, sizeof tid_text, "sched_setaffinity(%d)", t->tid);
            die(tid_text, strerror(errno));
        }
        if (syscall(SYS_sched_setattr, t->tid, &t->attr, 0) != 0) {
            char tid_text[32];
            snprintf(tid_text, sizeof tid_text, "sched_setattr(%d)", t->tid);
            die(tid_text, strerror(errno));
        }
        if (verify) {
            read_back(t, scratch);
        }
    }
    int64_t elapsed = now_ns() - start;
    printf("%lld\n", (long long) elapsed);
    return 0;
}
