/*
 * observer: measures the untuned window of QEMU vCPU threads independently of kvmtune.
 *
 * It listens on the kernel's process events connector (the same source the agent uses, but its
 * own socket), takes each new thread's birth time from its fork event (the kernel's
 * CLOCK_MONOTONIC timestamp), learns from the comm event which vCPU the thread is ("CPU n/KVM"),
 * then polls that thread's affinity (sched_getaffinity) and policy (sched_getscheduler) until they
 * are those expected for vCPU n, and prints one line per vCPU:
 *     vcpu <n> tid <tid> window_us <microseconds from fork to the first poll that saw the plan>
 * or "vcpu <n> tid <tid> timeout" when that did not happen within the timeout.
 *
 * Usage: observer [-p PRIORITY] TIMEOUT_MS EXPECT...
 *        EXPECT is n=CPULIST:POLICY, e.g. 0=0:other 1=1:fifo
 *        (CPULIST as in /proc: 0-3,8; POLICY other|fifo|rr|batch|idle)
 * With -p it runs SCHED_FIFO at PRIORITY, as cyclictest does: a measuring program that waits for
 * a CPU behind the busy processes of a guest's start sees every change late, and reports the
 * windows longer than they are. It sleeps between polls; run it so only where the kernel
 * throttles realtime tasks (kernel.sched_rt_runtime_us is not -1).
 * It prints "ready" on stderr once subscribed, and exits when every expected vCPU is done or
 * timed out. Polling sleeps 100 us between rounds while a watched thread is under 20 ms old (a
 * window is reported up to that much late), 1 ms after.
 * Needs CAP_NET_ADMIN (root).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_VCPUS 64
#define MAX_BORN 4096

struct expect { int set; cpu_set_t cpus; int policy; };
struct watch { int tid; int vcpu; unsigned long long born_ns; int done; };

static struct expect expected[MAX_VCPUS];
static struct watch watches[MAX_VCPUS];
static int nwatches, nexpected;
static struct { int tid; unsigned long long ns; } born[MAX_BORN];
static int nborn;

static unsigned long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int parse_policy(const char *p)
{
    if (!strcmp(p, "other")) return SCHED_OTHER;
    if (!strcmp(p, "fifo")) return SCHED_FIFO;
    if (!strcmp(p, "rr")) return SCHED_RR;
    if (!strcmp(p, "batch")) return SCHED_BATCH;
    if (!strcmp(p, "idle")) return SCHED_IDLE;
    fprintf(stderr, "observer: unknown policy %s\n", p);
    exit(2);
}

static void parse_cpus(const char *list, cpu_set_t *set)
{
    CPU_ZERO(set);
    char *copy = strdup(list), *save = NULL;
    for (char *part = strtok_r(copy, ",", &save); part; part = strtok_r(NULL, ",", &save)) {
        int lo, hi;
        if (sscanf(part, "%d-%d", &lo, &hi) != 2) hi = lo = atoi(part);
        for (int c = lo; c <= hi; c++) CPU_SET(c, set);
    }
    free(copy);
}

static int listen_socket(void)
{
    int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
    if (fd < 0) { perror("observer: socket"); exit(4); }
    int size = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
    struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) { perror("observer: bind"); exit(4); }
    struct { struct nlmsghdr h; struct cn_msg cn; enum proc_cn_mcast_op op; } __attribute__((packed)) msg;
    memset(&msg, 0, sizeof msg);
    msg.h.nlmsg_len = sizeof msg;
    msg.h.nlmsg_type = NLMSG_DONE;
    msg.cn.id.idx = CN_IDX_PROC;
    msg.cn.id.val = CN_VAL_PROC;
    msg.cn.len = sizeof msg.op;
    msg.op = PROC_CN_MCAST_LISTEN;
    if (send(fd, &msg, sizeof msg, 0) < 0) { perror("observer: send"); exit(4); }
    return fd;
}

static void on_event(struct proc_event *ev)
{
    if (ev->what == PROC_EVENT_FORK && ev->event_data.fork.child_pid != ev->event_data.fork.child_tgid) {
        born[nborn % MAX_BORN].tid = ev->event_data.fork.child_pid;
        born[nborn % MAX_BORN].ns = ev->timestamp_ns;
        nborn++;
    } else if (ev->what == PROC_EVENT_COMM) {
        int n;
        char kind[8];
        if (sscanf(ev->event_data.comm.comm, "CPU %d/%7s", &n, kind) != 2 || n < 0 || n >= MAX_VCPUS || !expected[n].set)
            return;
        int tid = ev->event_data.comm.process_pid;
        for (int i = 0; i < nwatches; i++)
            if (watches[i].tid == tid) return;
        unsigned long long b = 0;
        for (int i = 0; i < nborn && i < MAX_BORN; i++)
            if (born[i].tid == tid) b = born[i].ns;
        if (!b) b = ev->timestamp_ns; /* fork not seen: count from the naming */
        if (nwatches < MAX_VCPUS) watches[nwatches++] = (struct watch){ tid, n, b, 0 };
    }
}

static int as_planned(struct watch *w)
{
    cpu_set_t now;
    if (sched_getaffinity(w->tid, sizeof now, &now) < 0) return -1;
    int policy = sched_getscheduler(w->tid);
    if (policy < 0) return -1;
    return CPU_EQUAL(&now, &expected[w->vcpu].cpus) && (policy & ~SCHED_RESET_ON_FORK) == expected[w->vcpu].policy;
}

/*
 * 100 us while the youngest thread still watched is under 20 ms old, then 1 ms. Polling every
 * 20 us (as this did before) preempted whatever shared the observer's CPU every ~37 us while a
 * guest started, the agent it measures included: perf sched showed the agent running ~26 us at a
 * time between the observer's ~10 us polls, slowed by each switch. Polling a window that lasts
 * half a second (the hook's) every 100 us costs the starts it measures little.
 */
static long poll_interval_ns(void)
{
    unsigned long long youngest = ~0ULL, t = now_ns();
    for (int i = 0; i < nwatches; i++)
        if (!watches[i].done && t - watches[i].born_ns < youngest) youngest = t - watches[i].born_ns;
    return youngest < 20000000ULL ? 100000 : 1000000;
}

int main(int argc, char **argv)
{
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "-p") == 0) {
        struct sched_param param = { .sched_priority = atoi(argv[2]) };
        if (sched_setscheduler(0, SCHED_FIFO, &param) < 0) {
            perror("observer: sched_setscheduler");
            return 1;
        }
        first = 3;
    }
    if (argc < first + 2) { fprintf(stderr, "usage: observer [-p PRIORITY] TIMEOUT_MS n=CPULIST:POLICY...\n"); return 2; }
    long timeout_ms = atol(argv[first]);
    for (int i = first + 1; i < argc; i++) {
        int n;
        char cpus[256], policy[16];
        if (sscanf(argv[i], "%d=%255[^:]:%15s", &n, cpus, policy) != 3 || n < 0 || n >= MAX_VCPUS) {
            fprintf(stderr, "observer: bad expectation %s\n", argv[i]);
            return 2;
        }
        expected[n].set = 1;
        parse_cpus(cpus, &expected[n].cpus);
        expected[n].policy = parse_policy(policy);
        nexpected++;
    }
    int fd = listen_socket();
    fprintf(stderr, "ready\n");
    unsigned long long deadline = 0;
    int finished = 0;
    char buf[8192] __attribute__((aligned(8)));
    while (finished < nexpected) {
        int pending = nwatches > finished;
        ssize_t len = recv(fd, buf, sizeof buf, pending ? MSG_DONTWAIT : 0);
        if (len > 0) {
            for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
                struct cn_msg *cn = NLMSG_DATA(h);
                if (cn->id.idx == CN_IDX_PROC && cn->id.val == CN_VAL_PROC)
                    on_event((struct proc_event *)cn->data);
            }
        } else if (len < 0 && errno != EAGAIN && errno != ENOBUFS && errno != EINTR) {
            perror("observer: recv");
            return 1;
        }
        if (nwatches > 0 && !deadline) deadline = now_ns() + (unsigned long long)timeout_ms * 1000000ULL;
        for (int i = 0; i < nwatches; i++) {
            struct watch *w = &watches[i];
            if (w->done) continue;
            int ok = as_planned(w);
            unsigned long long t = now_ns();
            if (ok == 1) {
                printf("vcpu %d tid %d window_us %llu\n", w->vcpu, w->tid, (t - w->born_ns) / 1000);
                w->done = 1;
                finished++;
            } else if (ok < 0 || t > deadline) {
                printf("vcpu %d tid %d timeout\n", w->vcpu, w->tid);
                w->done = 1;
                finished++;
            }
        }
        fflush(stdout);
        if (nwatches > finished) {
            struct timespec pause = { 0, poll_interval_ns() };
            nanosleep(&pause, NULL);
        }
    }
    return 0;
}
