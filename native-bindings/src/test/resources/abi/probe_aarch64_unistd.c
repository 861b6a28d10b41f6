/*
 * aarch64's system call numbers, which are asm-generic's: this header is installed on every
 * architecture, so the aarch64 table is checked even on an x86_64 build host.
 */
#include <stdio.h>
#include <asm-generic/unistd.h>

#define SYS(n) printf("SYS.aarch64." #n "=%d\n", __NR_##n)

void print_aarch64_syscalls(void)
{
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
}
