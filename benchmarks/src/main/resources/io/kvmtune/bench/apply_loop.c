/*
 * The baselines of ApplyBenchmark, plain C loops over a QEMU's threads. apply_loop makes only the
 * two system calls that change a thread (sched_setaffinity, then sched_setattr): the floor for
 * any tool. apply_loop_checked makes the same system calls kvmtune's whole apply makes per
 * thread: pin /proc/<tid>/stat (open), read the state, check the start time (pread), change,
 * read the state back, check the start time again, close. Compiled with gcc when the benchmark
 * starts and called once per operation through FFM, so that the downcall's own cost is spread
 * over every thread of the loop.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

/* struct sched_attr from <linux/sched/types.h>, SCHED_ATTR_SIZE_VER1 (56 bytes). */
struct kvmtune_sched_attr {
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

/* Pins every thread to `cpu` and gives it `policy`/`priority`; 0, or -errno of the first failure. */
int apply_loop(const int *tids, int count, int cpu, int policy, int priority) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    struct kvmtune_sched_attr attr = {
        .size = sizeof attr, .sched_policy = (uint32_t) policy, .sched_priority = (uint32_t) priority,
    };
    for (int i = 0; i < count; i++) {
        if (sched_setaffinity(tids[i], sizeof set, &set) != 0) {
            return -errno;
        }
        if (syscall(SYS_sched_setattr, tids[i], &attr, 0) != 0) {
            return -errno;
        }
    }
    return 0;
}

/* Field 22 of a stat line: the start time, counted after the last ')' as the kernel prints it. */
static long long start_time(int fd) {
    char line[2048];
    ssize_t n = pread(fd, line, sizeof line - 1, 0);
    if (n <= 0) {
        return -1;
    }
    line[n] = 0;
    char *p = strrchr(line, ')');
    for (int field = 2; p != NULL && field < 22; field++) {
        p = strchr(p + 1, ' ');
    }
    return p == NULL ? -1 : strtoll(p + 1, NULL, 10);
}

static int read_state(int tid, cpu_set_t *set, struct kvmtune_sched_attr *attr) {
    if (sched_getaffinity(tid, sizeof *set, set) != 0) {
        return -errno;
    }
    if (syscall(SYS_sched_getattr, tid, attr, sizeof *attr, 0) != 0) {
        return -errno;
    }
    return 0;
}

/*
 * apply_loop with kvmtune's identity checks and read-back: `start_times[i]` is the start time
 * thread `tids[i]` was found with. 0, -errno of the first failure, or -ESRCH when a start time
 * does not match.
 */
int apply_loop_checked(const int *tids, const long long *start_times, int count, int cpu, int policy, int priority) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    struct kvmtune_sched_attr attr = {
        .size = sizeof attr, .sched_policy = (uint32_t) policy, .sched_priority = (uint32_t) priority,
    };
    cpu_set_t before;
    struct kvmtune_sched_attr before_attr;
    for (int i = 0; i < count; i++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/stat", tids[i]);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            return -errno;
        }
        int rc = read_state(tids[i], &before, &before_attr);
        if (rc == 0 && start_time(fd) != start_times[i]) {
            rc = -ESRCH;
        }
        if (rc == 0 && sched_setaffinity(tids[i], sizeof set, &set) != 0) {
            rc = -errno;
        }
        if (rc == 0 && syscall(SYS_sched_setattr, tids[i], &attr, 0) != 0) {
            rc = -errno;
        }
        if (rc == 0) {
            rc = read_state(tids[i], &before, &before_attr);
        }
        if (rc == 0 && start_time(fd) != start_times[i]) {
            rc = -ESRCH;
        }
        close(fd);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}
