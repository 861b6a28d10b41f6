/*
 * The libc side of the ABI: C type sizes, struct timespec, struct rlimit and struct dirent64,
 * the MCL_*, RLIMIT_*, CLOCK_*, DT_*, open flag and errno constants, CPU_ALLOC_SIZE, and this
 * architecture's system call numbers. Prints key=value lines that AbiProbeIT compares with the Java bindings.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>

#if defined(__x86_64__)
#define ARCH "x86_64"
#elif defined(__aarch64__)
#define ARCH "aarch64"
#else
#error "kvmtune has system call tables for x86_64 and aarch64 only"
#endif

#define FIELD(s, f) printf(#s "." #f ".offset=%zu\n" #s "." #f ".size=%zu\n", \
        offsetof(struct s, f), sizeof(((struct s *)0)->f))
#define CONST(c) printf(#c "=%lld\n", (long long)(c))
#define SIZE(t) printf("sizeof." #t "=%zu\n", sizeof(t))
#define SYS(n) printf("SYS." ARCH "." #n "=%ld\n", (long)SYS_##n)
#define ALLOC(n) printf("CPU_ALLOC_SIZE." #n "=%zu\n", (size_t)CPU_ALLOC_SIZE(n))

void print_sched(void);
void print_netlink(void);
void print_aarch64_syscalls(void);

int main(void)
{
    SIZE(int);
    SIZE(long);
    printf("sizeof.pointer=%zu\n", sizeof(void *));
    SIZE(size_t);
    SIZE(pid_t);
    SIZE(clockid_t);

    printf("timespec.sizeof=%zu\n", sizeof(struct timespec));
    FIELD(timespec, tv_sec);
    FIELD(timespec, tv_nsec);
    printf("timeval.sizeof=%zu\n", sizeof(struct timeval));
    FIELD(timeval, tv_sec);
    FIELD(timeval, tv_usec);
    printf("rlimit.sizeof=%zu\n", sizeof(struct rlimit));
    FIELD(rlimit, rlim_cur);
    FIELD(rlimit, rlim_max);

    CONST(MCL_CURRENT);
    CONST(MCL_FUTURE);
    CONST(MCL_ONFAULT);
    CONST(RLIMIT_MEMLOCK);
    CONST(RLIMIT_NICE);
    CONST(RLIMIT_RTPRIO);
    CONST(RLIMIT_RTTIME);
    CONST(RLIM_INFINITY);
    CONST(CLOCK_MONOTONIC);
    CONST(TIMER_ABSTIME);

    /* struct dirent64, which getdents64 fills (the kernel's linux_dirent64) */
    printf("dirent64.d_reclen.offset=%zu\n", offsetof(struct dirent64, d_reclen));
    printf("dirent64.d_type.offset=%zu\n", offsetof(struct dirent64, d_type));
    printf("dirent64.d_name.offset=%zu\n", offsetof(struct dirent64, d_name));
    CONST(DT_UNKNOWN);
    CONST(DT_DIR);
    CONST(AT_FDCWD);
    CONST(O_RDONLY);
    CONST(O_RDWR);
    CONST(O_CLOEXEC);

    CONST(EPERM);
    CONST(ENOENT);
    CONST(ESRCH);
    CONST(EINTR);
    CONST(EIO);
    CONST(E2BIG);
    CONST(EBADF);
    CONST(EAGAIN);
    CONST(ENOMEM);
    CONST(EACCES);
    CONST(EFAULT);
    CONST(EBUSY);
    CONST(ENOTDIR);
    CONST(EISDIR);
    CONST(EINVAL);
    CONST(EMFILE);
    CONST(ENOSPC);
    CONST(ERANGE);
    CONST(EDEADLK);
    CONST(ENOSYS);
    CONST(EOPNOTSUPP);
    CONST(ENOBUFS);

    ALLOC(1);
    ALLOC(64);
    ALLOC(65);
    ALLOC(1024);
    ALLOC(1025);
    ALLOC(4096);

    SYS(sched_setaffinity);
    SYS(sched_getaffinity);
    SYS(sched_setattr);
    SYS(sched_getattr);
    SYS(mlockall);
    SYS(munlockall);
    SYS(prlimit64);
    SYS(pidfd_open);
    SYS(gettid);
    SYS(openat);
    SYS(ioctl);
    SYS(read);
    SYS(pread64);
    SYS(getdents64);
    SYS(close);

    print_sched();
    print_netlink();
    print_aarch64_syscalls();
    return 0;
}
