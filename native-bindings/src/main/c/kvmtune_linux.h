/*
 * kvmtune_linux.h: the C declarations that io.kvmtune.linux.lib mirrors.
 *
 * The Java classes in io.kvmtune.linux.lib are written by hand in the shape jextract generates,
 * so that anyone with jextract can regenerate them from this header and diff (see
 * native-bindings/README.md for the command). Only what kvmtune calls is listed: every extra
 * function would be one more downcall to keep correct.
 *
 * The ABI test (AbiProbeIT) compiles a probe against the real system headers and checks every
 * size, offset, constant and syscall number the Java side uses; this file is the list, not the
 * proof.
 */
#ifndef KVMTUNE_LINUX_H
#define KVMTUNE_LINUX_H

#define _GNU_SOURCE
#include <stdint.h>
#include <sys/types.h>
#include <linux/sched.h>        /* SCHED_*, SCHED_FLAG_* */
#include <linux/sched/types.h>  /* struct sched_attr, SCHED_ATTR_SIZE_VER0/VER1 */
#include <time.h>               /* struct timespec, CLOCK_MONOTONIC, TIMER_ABSTIME */
#include <sys/resource.h>       /* struct rlimit, RLIMIT_*, RLIM_INFINITY */
#include <sys/mman.h>           /* MCL_* */
#include <sys/syscall.h>        /* SYS_* (the numbers differ per architecture) */
#include <sys/pidfd.h>          /* pidfd_open */
#include <unistd.h>             /* close, gettid, syscall */

/*
 * Structures (for reference; the real definitions come from the headers above).
 *
 * struct sched_attr {              // <linux/sched/types.h>, 56 bytes (SCHED_ATTR_SIZE_VER1)
 *     __u32 size;
 *     __u32 sched_policy;
 *     __u64 sched_flags;
 *     __s32 sched_nice;            // SCHED_NORMAL, SCHED_BATCH
 *     __u32 sched_priority;        // SCHED_FIFO, SCHED_RR
 *     __u64 sched_runtime;         // SCHED_DEADLINE
 *     __u64 sched_deadline;
 *     __u64 sched_period;
 *     __u32 sched_util_min;        // since Linux 5.3 (utilization clamping)
 *     __u32 sched_util_max;
 * };
 * struct timespec { time_t tv_sec; long tv_nsec; };   // <time.h>, 16 bytes on LP64
 * struct rlimit   { rlim_t rlim_cur; rlim_t rlim_max; }; // <sys/resource.h>, 16 bytes
 */

/*
 * libc functions, called through their glibc wrappers when present (errno captured):
 *   int mlockall(int flags); int munlockall(void);                          <sys/mman.h>
 *   int prlimit(pid_t pid, enum __rlimit_resource resource,
 *               const struct rlimit *new_limit, struct rlimit *old_limit);  <sys/resource.h>
 *   int pidfd_open(pid_t pid, unsigned int flags);                          <sys/pidfd.h> (glibc 2.36)
 *   int close(int fd); pid_t gettid(void); long syscall(long number, ...);  <unistd.h>
 *   int clock_gettime(clockid_t clockid, struct timespec *tp);
 *   int clock_nanosleep(clockid_t clockid, int flags,
 *                       const struct timespec *request, struct timespec *remain);  <time.h>
 *
 * The affinity calls are declared here rather than taken from <sched.h>: glibc < 2.41's
 * <sched.h> and <linux/sched/types.h> both define struct sched_param and cannot be included
 * together. The mask is an array of unsigned long (cpu_set_t sized with CPU_ALLOC_SIZE).
 */
int sched_setaffinity(pid_t pid, size_t cpusetsize, const unsigned long *mask);
int sched_getaffinity(pid_t pid, size_t cpusetsize, unsigned long *mask);

/*
 * The generic system call entry; sched_setattr and sched_getattr have no glibc wrapper before
 * 2.41, and the wrappers above fall back to it when their symbol is missing.
 *
 *   syscall(SYS_sched_setattr, pid_t pid, struct sched_attr *attr, unsigned int flags);
 *   syscall(SYS_sched_getattr, pid_t pid, struct sched_attr *attr, unsigned int size, unsigned int flags);
 */
/*
 * Constants used (all from the headers above):
 *   SCHED_NORMAL SCHED_FIFO SCHED_RR SCHED_BATCH SCHED_IDLE SCHED_DEADLINE SCHED_RESET_ON_FORK
 *   SCHED_FLAG_RESET_ON_FORK SCHED_FLAG_RECLAIM SCHED_FLAG_DL_OVERRUN SCHED_FLAG_KEEP_POLICY
 *   SCHED_FLAG_KEEP_PARAMS SCHED_FLAG_UTIL_CLAMP_MIN SCHED_FLAG_UTIL_CLAMP_MAX SCHED_FLAG_KEEP_ALL
 *   SCHED_FLAG_UTIL_CLAMP SCHED_FLAG_ALL SCHED_ATTR_SIZE_VER0 SCHED_ATTR_SIZE_VER1
 *   MCL_CURRENT MCL_FUTURE MCL_ONFAULT
 *   RLIMIT_MEMLOCK RLIMIT_NICE RLIMIT_RTPRIO RLIMIT_RTTIME RLIM_INFINITY
 *   CLOCK_MONOTONIC TIMER_ABSTIME
 *   SYS_sched_setaffinity SYS_sched_getaffinity SYS_sched_setattr SYS_sched_getattr SYS_mlockall
 *   SYS_munlockall SYS_prlimit64 SYS_pidfd_open SYS_gettid
 */

#endif /* KVMTUNE_LINUX_H */
