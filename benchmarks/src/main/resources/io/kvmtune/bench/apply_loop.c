/*
 * The baselines of ApplyBenchmark and compare-apply.sh, plain C over a QEMU's threads.
 *
 * apply_loop makes only the two system calls that change a thread (sched_setaffinity, then
 * sched_setattr): the floor for any tool.
 *
 * apply_checked makes exactly the system calls kvmtune's whole Applier.apply makes, in the same
 * order (compare `strace -f` of an apply), with the same checks:
 *   per apply    the main thread's cgroups, read as Files.readAllBytes reads them (open, fstat,
 *                read 1 byte, read, read to end of file, close): whether the QEMU is in libvirt's
 *                groups;
 *   per thread   pin /proc/<tid>/stat (open), read affinity and scheduling, check the start time
 *                (one pread: the line arrives whole, newline included);
 *   per apply    the record: stat the previous record (is it the one remembered?), then save
 *                the new one atomically beside it: create a temporary file, write, fsync, close,
 *                stat it (the version to remember), rename it over the record;
 *   per thread   sched_setaffinity, then, on every thread, sched_setattr;
 *   per thread   read affinity and scheduling back, compare them with the plan, check the start
 *                time again;
 *   per thread   close the pin.
 * Compiled with gcc when the benchmark starts and called once per apply through FFM, so that the
 * downcall's own cost is spread over every thread of the loop.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <stdint.h>
#include <sys/stat.h>
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

/* One thread and what the plan asks of it: one CPU, a policy and a priority. */
struct apply_target {
    int tid;
    long long start_time;
    int cpu;
    int policy;
    int priority;
};

#define APPLY_MAX_THREADS 4096

/* Field 22 of the stat line of `fd`, read in one call: the start time, counted after the last ')'. */
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

/* /proc/<pid>/task/<pid>/cgroup read whole, system call for system call as Files.readAllBytes does. */
static int read_cgroups(int pid) {
    char path[64];
    char text[8192];
    snprintf(path, sizeof path, "/proc/%d/task/%d/cgroup", pid, pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return -errno;
    }
    struct stat st;
    int rc = fstat(fd, &st) == 0 && read(fd, text, 1) == 1 ? 0 : -EIO;
    for (size_t have = 1; rc == 0;) {
        ssize_t n = read(fd, text + have, sizeof text - have);
        if (n < 0) {
            rc = -errno;
        } else if (n == 0 || (have += (size_t) n) == sizeof text) {
            break;
        }
    }
    close(fd);
    return rc;
}

/* The record, as RecordStore saves it: stat the old one, write a temporary file, fsync, stat it, rename. */
static int save_record(const char *record, const void *content, long bytes) {
    static long long saves;
    static int self; /* the JVM asks the kernel once, too */
    if (self == 0) {
        self = (int) getpid();
    }
    char temp[4096];
    struct statx stx;
    if (statx(AT_FDCWD, record, AT_STATX_SYNC_AS_STAT, STATX_ALL, &stx) != 0 && errno != ENOENT) {
        return -errno;
    }
    const char *name = strrchr(record, '/');
    int dir_length = name == NULL ? 0 : (int) (name - record + 1);
    snprintf(temp, sizeof temp, "%.*s.%s-%d-%lld.tmp", dir_length, record, name == NULL ? record : name + 1,
             self, ++saves);
    int fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        return -errno;
    }
    int rc = write(fd, content, (size_t) bytes) == bytes ? 0 : -EIO;
    if (rc == 0 && fsync(fd) != 0) {
        rc = -errno;
    }
    if (close(fd) != 0 && rc == 0) {
        rc = -errno;
    }
    if (rc == 0 && statx(AT_FDCWD, temp, AT_STATX_SYNC_AS_STAT, STATX_ALL, &stx) != 0) {
        rc = -errno;
    }
    if (rc == 0 && rename(temp, record) != 0) {
        rc = -errno;
    }
    if (rc != 0) {
        unlink(temp);
    }
    return rc;
}

static int read_back(const struct apply_target *t) {
    cpu_set_t set;
    struct kvmtune_sched_attr attr;
    int rc = read_state(t->tid, &set, &attr);
    if (rc == 0 && (CPU_COUNT(&set) != 1 || !CPU_ISSET(t->cpu, &set) || (int) attr.sched_policy != t->policy
            || (int) attr.sched_priority != t->priority)) {
        rc = -EIO;
    }
    return rc;
}

/*
 * Applies `targets` to the threads of process `pid` with kvmtune's checks, saving `bytes` bytes of
 * `content` as the record `record` (its directory must exist). 0, -errno of the first failure,
 * -ESRCH when a start time does not match, -EIO when the state read back is not the plan's.
 */
int apply_checked(int pid, const struct apply_target *targets, int count, const char *record, const void *content,
                  long bytes) {
    static int pins[APPLY_MAX_THREADS];
    if (count > APPLY_MAX_THREADS) {
        return -E2BIG;
    }
    int rc = read_cgroups(pid);
    int opened = 0;
    cpu_set_t before;
    struct kvmtune_sched_attr before_attr;
    for (; rc == 0 && opened < count; opened++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/stat", targets[opened].tid);
        pins[opened] = open(path, O_RDONLY);
        if (pins[opened] < 0) {
            rc = -errno;
            break;
        }
        rc = read_state(targets[opened].tid, &before, &before_attr);
        if (rc == 0 && start_time(pins[opened]) != targets[opened].start_time) {
            rc = -ESRCH;
        }
    }
    if (rc == 0) {
        rc = save_record(record, content, bytes);
    }
    for (int i = 0; rc == 0 && i < count; i++) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(targets[i].cpu, &set);
        if (sched_setaffinity(targets[i].tid, sizeof set, &set) != 0) {
            rc = -errno;
        }
    }
    for (int i = 0; rc == 0 && i < count; i++) {
        struct kvmtune_sched_attr attr = {
            .size = sizeof attr, .sched_policy = (uint32_t) targets[i].policy,
            .sched_priority = (uint32_t) targets[i].priority,
        };
        if (syscall(SYS_sched_setattr, targets[i].tid, &attr, 0) != 0) {
            rc = -errno;
        }
    }
    for (int i = 0; rc == 0 && i < count; i++) {
        rc = read_back(&targets[i]);
        if (rc == 0 && start_time(pins[i]) != targets[i].start_time) {
            rc = -ESRCH;
        }
    }
    for (int i = 0; i < opened; i++) {
        close(pins[i]);
    }
    return rc;
}

/*
 * apply_checked with every thread on `cpu` under `policy`/`priority`: `start_times[i]` is the
 * start time thread `tids[i]` was found with.
 */
int apply_loop_checked(int pid, const int *tids, const long long *start_times, int count, int cpu, int policy,
                       int priority, const char *record, const void *content, long bytes) {
    static struct apply_target targets[APPLY_MAX_THREADS];
    if (count > APPLY_MAX_THREADS) {
        return -E2BIG;
    }
    for (int i = 0; i < count; i++) {
        targets[i] = (struct apply_target) {tids[i], start_times[i], cpu, policy, priority};
    }
    return apply_checked(pid, targets, count, record, content, bytes);
}
