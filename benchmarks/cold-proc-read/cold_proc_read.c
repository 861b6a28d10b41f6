/*
 * The cost of one open and read of a thread's /proc/TID/stat, as the kvmtune agent makes it when
 * a thread is born into a guest it follows, measured twice: right after the same call on another
 * new thread (warm), and after the process has slept for PAUSE_MS (cold: what the agent meets when
 * a vCPU is plugged into a guest long after its start). Prints the median of ROUNDS of each, in
 * microseconds. The difference is the kernel's and the CPU's, not Java's: it is what each system
 * call between a vCPU's birth and its tuning costs when nothing ran it for a while.
 *
 * Usage: cold_proc_read ROUNDS PAUSE_MS
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static volatile int born_tid;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t released = PTHREAD_COND_INITIALIZER;
static int release;

static void *parked(void *arg)
{
    (void)arg;
    born_tid = (int)syscall(SYS_gettid);
    pthread_mutex_lock(&lock);
    while (!release)
        pthread_cond_wait(&released, &lock);
    pthread_mutex_unlock(&lock);
    return NULL;
}

static long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

/* Starts a parked thread, times open+read of its stat, ends the thread; microseconds. */
static long one_read(void)
{
    pthread_t thread;
    char path[64], line[512];
    born_tid = 0;
    release = 0;
    if (pthread_create(&thread, NULL, parked, NULL) != 0) {
        perror("pthread_create");
        exit(1);
    }
    while (!born_tid)
        ;
    snprintf(path, sizeof path, "/proc/%d/stat", born_tid);
    long start = now_ns();
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd < 0 ? -1 : read(fd, line, sizeof line);
    long took = now_ns() - start;
    if (n <= 0) {
        perror(path);
        exit(1);
    }
    close(fd);
    pthread_mutex_lock(&lock);
    release = 1;
    pthread_cond_signal(&released);
    pthread_mutex_unlock(&lock);
    pthread_join(thread, NULL);
    return took / 1000;
}

static int by_value(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s ROUNDS PAUSE_MS\n", argv[0]);
        return 2;
    }
    int rounds = atoi(argv[1]);
    long pause_ms = atol(argv[2]);
    long *warm = calloc(rounds, sizeof *warm), *cold = calloc(rounds, sizeof *cold);
    for (int i = 0; i < rounds; i++) {
        struct timespec pause = { pause_ms / 1000, (pause_ms % 1000) * 1000000L };
        nanosleep(&pause, NULL);
        cold[i] = one_read();
        warm[i] = one_read();
    }
    qsort(warm, rounds, sizeof *warm, by_value);
    qsort(cold, rounds, sizeof *cold, by_value);
    printf("open+read of a new thread's stat, median of %d: warm %ld us, after %ld ms idle %ld us\n", rounds,
           warm[rounds / 2], pause_ms, cold[rounds / 2]);
    return 0;
}
