/*
 * The scheduler ABI: struct sched_attr and the SCHED_* constants. A translation unit of its
 * own that includes only the kernel headers, because glibc < 2.41's <sched.h> also defines
 * struct sched_param and the two cannot be included together.
 */
#include <stddef.h>
#include <stdio.h>
#include <linux/sched.h>
#include <linux/sched/types.h>

#define FIELD(s, f) printf(#s "." #f ".offset=%zu\n" #s "." #f ".size=%zu\n", \
        offsetof(struct s, f), sizeof(((struct s *)0)->f))
#define CONST(c) printf(#c "=%lld\n", (long long)(c))

void print_sched(void)
{
    printf("sched_attr.sizeof=%zu\n", sizeof(struct sched_attr));
    FIELD(sched_attr, size);
    FIELD(sched_attr, sched_policy);
    FIELD(sched_attr, sched_flags);
    FIELD(sched_attr, sched_nice);
    FIELD(sched_attr, sched_priority);
    FIELD(sched_attr, sched_runtime);
    FIELD(sched_attr, sched_deadline);
    FIELD(sched_attr, sched_period);
    FIELD(sched_attr, sched_util_min);
    FIELD(sched_attr, sched_util_max);

    CONST(SCHED_NORMAL);
    CONST(SCHED_FIFO);
    CONST(SCHED_RR);
    CONST(SCHED_BATCH);
    CONST(SCHED_IDLE);
    CONST(SCHED_DEADLINE);
    CONST(SCHED_RESET_ON_FORK);
    CONST(SCHED_FLAG_RESET_ON_FORK);
    CONST(SCHED_FLAG_RECLAIM);
    CONST(SCHED_FLAG_DL_OVERRUN);
    CONST(SCHED_FLAG_KEEP_POLICY);
    CONST(SCHED_FLAG_KEEP_PARAMS);
    CONST(SCHED_FLAG_UTIL_CLAMP_MIN);
    CONST(SCHED_FLAG_UTIL_CLAMP_MAX);
    CONST(SCHED_FLAG_KEEP_ALL);
    CONST(SCHED_FLAG_UTIL_CLAMP);
    CONST(SCHED_FLAG_ALL);
    CONST(SCHED_ATTR_SIZE_VER0);
    CONST(SCHED_ATTR_SIZE_VER1);
}
