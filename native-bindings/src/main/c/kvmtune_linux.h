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
#include <sys/socket.h>         /* socket, bind, send, recv, setsockopt, AF_NETLINK, SO_* */
#include <sys/time.h>           /* struct timeval */
#include <linux/netlink.h>      /* NETLINK_CONNECTOR, struct sockaddr_nl, struct nlmsghdr, NLMSG_* */
#include <linux/connector.h>    /* CN_IDX_PROC, CN_VAL_PROC, struct cn_msg */
#include <linux/cn_proc.h>      /* struct proc_event, PROC_EVENT_*, PROC_CN_MCAST_* */

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
 * struct timeval  { time_t tv_sec; suseconds_t tv_usec; }; // <sys/time.h>, 16 bytes on LP64
 *
 * The process events connector (kvmtune agent), <linux/netlink.h>, <linux/connector.h>, <linux/cn_proc.h>:
 * struct sockaddr_nl { __kernel_sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups; };
 * struct nlmsghdr    { __u32 nlmsg_len; __u16 nlmsg_type; __u16 nlmsg_flags; __u32 nlmsg_seq; __u32 nlmsg_pid; };
 * struct cn_msg      { struct cb_id { __u32 idx; __u32 val; } id; __u32 seq; __u32 ack; __u16 len; __u16 flags;
 *                      __u8 data[]; };
 * struct proc_event  { enum what what; __u32 cpu; __u64 __attribute__((aligned(8))) timestamp_ns;
 *                      union { struct fork_proc_event fork; struct exec_proc_event exec;
 *                              struct comm_proc_event comm; struct exit_proc_event exit; ... } event_data; };
 * struct fork_proc_event { __kernel_pid_t parent_pid, parent_tgid, child_pid, child_tgid; };
 * struct exec_proc_event { __kernel_pid_t process_pid, process_tgid; };
 * struct comm_proc_event { __kernel_pid_t process_pid, process_tgid; char comm[16]; };
 * struct exit_proc_event { __kernel_pid_t process_pid, process_tgid; __u32 exit_code, exit_signal;
 *                          __kernel_pid_t parent_pid, parent_tgid; };
 * A datagram of the connector is nlmsghdr, cn_msg, proc_event: the event starts at byte 36.
 */

/*
 * libc functions, called through their glibc wrappers when present (errno captured):
 *   int mlockall(int flags); int munlockall(void);                          <sys/mman.h>
 *   int prlimit(pid_t pid, enum __rlimit_resource resource,
 *               const struct rlimit *new_limit, struct rlimit *old_limit);  <sys/resource.h>
 *   int pidfd_open(pid_t pid, unsigned int flags);                          <sys/pidfd.h> (glibc 2.36)
 *   int close(int fd); pid_t gettid(void); long syscall(long number, ...);  <unistd.h>
 *   int clock_gettime(clockid_t clockid, struct timespec *tp);
 *   int socket(int domain, int type, int protocol);
 *   int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);
 *   int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen);
 *   ssize_t send(int sockfd, const void *buf, size_t len, int flags);
 *   ssize_t recv(int sockfd, void *buf, size_t len, int flags);          <sys/socket.h>
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
 *   AF_NETLINK SOCK_DGRAM SOCK_CLOEXEC SOL_SOCKET SO_RCVBUF SO_RCVBUFFORCE SO_RCVTIMEO NETLINK_CONNECTOR
 *   NLMSG_NOOP NLMSG_ERROR NLMSG_DONE NLMSG_OVERRUN NLMSG_HDRLEN NLMSG_ALIGNTO CN_IDX_PROC CN_VAL_PROC
 *   PROC_CN_MCAST_LISTEN PROC_CN_MCAST_IGNORE PROC_EVENT_NONE PROC_EVENT_FORK PROC_EVENT_EXEC
 *   PROC_EVENT_COMM PROC_EVENT_EXIT
 *   SYS_sched_setaffinity SYS_sched_getaffinity SYS_sched_setattr SYS_sched_getattr SYS_mlockall
 *   SYS_munlockall SYS_prlimit64 SYS_pidfd_open SYS_gettid
 */

#endif /* KVMTUNE_LINUX_H */
