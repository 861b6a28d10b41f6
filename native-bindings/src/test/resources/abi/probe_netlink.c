/*
 * The process events connector's ABI: sockets, netlink and connector headers, struct proc_event
 * and its union members, and the constants the agent's ProcConnector uses. A translation unit of
 * its own: <linux/cn_proc.h> and <linux/netlink.h> are kernel headers.
 */
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/connector.h>
#include <linux/cn_proc.h>

#define FIELD(s, f) printf(#s "." #f ".offset=%zu\n" #s "." #f ".size=%zu\n", \
        offsetof(struct s, f), sizeof(((struct s *)0)->f))
#define CONST(c) printf(#c "=%lld\n", (long long)(c))

void print_netlink(void)
{
    printf("sockaddr_nl.sizeof=%zu\n", sizeof(struct sockaddr_nl));
    FIELD(sockaddr_nl, nl_family);
    FIELD(sockaddr_nl, nl_pad);
    FIELD(sockaddr_nl, nl_pid);
    FIELD(sockaddr_nl, nl_groups);
    printf("nlmsghdr.sizeof=%zu\n", sizeof(struct nlmsghdr));
    FIELD(nlmsghdr, nlmsg_len);
    FIELD(nlmsghdr, nlmsg_type);
    FIELD(nlmsghdr, nlmsg_flags);
    FIELD(nlmsghdr, nlmsg_seq);
    FIELD(nlmsghdr, nlmsg_pid);
    /* the Java class flattens struct cb_id id into id_idx and id_val */
    printf("cn_msg.sizeof=%zu\n", sizeof(struct cn_msg));
    printf("cn_msg.id_idx.offset=%zu\ncn_msg.id_idx.size=%zu\n", offsetof(struct cn_msg, id.idx),
            sizeof(((struct cn_msg *)0)->id.idx));
    printf("cn_msg.id_val.offset=%zu\ncn_msg.id_val.size=%zu\n", offsetof(struct cn_msg, id.val),
            sizeof(((struct cn_msg *)0)->id.val));
    FIELD(cn_msg, seq);
    FIELD(cn_msg, ack);
    FIELD(cn_msg, len);
    FIELD(cn_msg, flags);
    printf("proc_event.sizeof=%zu\n", sizeof(struct proc_event));
    FIELD(proc_event, what);
    FIELD(proc_event, cpu);
    FIELD(proc_event, timestamp_ns);
    FIELD(proc_event, event_data);
    printf("fork_proc_event.sizeof=%zu\n", sizeof(struct fork_proc_event));
    FIELD(fork_proc_event, parent_pid);
    FIELD(fork_proc_event, parent_tgid);
    FIELD(fork_proc_event, child_pid);
    FIELD(fork_proc_event, child_tgid);
    printf("exec_proc_event.sizeof=%zu\n", sizeof(struct exec_proc_event));
    FIELD(exec_proc_event, process_pid);
    FIELD(exec_proc_event, process_tgid);
    printf("comm_proc_event.sizeof=%zu\n", sizeof(struct comm_proc_event));
    FIELD(comm_proc_event, process_pid);
    FIELD(comm_proc_event, process_tgid);
    FIELD(comm_proc_event, comm);
    printf("exit_proc_event.sizeof=%zu\n", sizeof(struct exit_proc_event));
    FIELD(exit_proc_event, process_pid);
    FIELD(exit_proc_event, process_tgid);
    FIELD(exit_proc_event, exit_code);
    FIELD(exit_proc_event, exit_signal);
    FIELD(exit_proc_event, parent_pid);
    FIELD(exit_proc_event, parent_tgid);

    CONST(AF_NETLINK);
    CONST(SOCK_DGRAM);
    CONST(SOCK_CLOEXEC);
    CONST(SOL_SOCKET);
    CONST(SO_RCVBUF);
    CONST(SO_RCVBUFFORCE);
    CONST(SO_RCVTIMEO);
    CONST(NETLINK_CONNECTOR);
    CONST(NLMSG_NOOP);
    CONST(NLMSG_ERROR);
    CONST(NLMSG_DONE);
    CONST(NLMSG_OVERRUN);
    CONST(NLMSG_HDRLEN);
    CONST(NLMSG_ALIGNTO);
    CONST(CN_IDX_PROC);
    CONST(CN_VAL_PROC);
    CONST(PROC_CN_MCAST_LISTEN);
    CONST(PROC_CN_MCAST_IGNORE);
    CONST(PROC_EVENT_NONE);
    CONST(PROC_EVENT_FORK);
    CONST(PROC_EVENT_EXEC);
    CONST(PROC_EVENT_COMM);
    /* 0x80000000 in an unsigned enum; the Java side reads the field as a signed int */
    printf("PROC_EVENT_EXIT=%d\n", (int)PROC_EVENT_EXIT);
}
