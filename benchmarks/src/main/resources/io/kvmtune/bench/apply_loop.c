/*
 * The baseline of ApplyBenchmark: the raw system calls an apply makes per thread
 * (sched_setaffinity, then sched_setattr), in a plain C loop. Compiled with gcc when the
 * benchmark starts and called once per operation through FFM, so that the downcall's own cost is
 * spread over every thread of the loop.
 */
#define _GNU_SOURCE
#include <errno.h>
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
