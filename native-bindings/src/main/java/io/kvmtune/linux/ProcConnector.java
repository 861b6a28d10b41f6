package io.kvmtune.linux;

import io.kvmtune.linux.lib.LinuxCalls;
import io.kvmtune.linux.lib.cn_msg;
import io.kvmtune.linux.lib.kvmtune_linux_h;
import io.kvmtune.linux.lib.nlmsghdr;
import io.kvmtune.linux.lib.sockaddr_nl;
import io.kvmtune.linux.lib.timeval;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A subscription to the kernel's process events connector: a {@code NETLINK_CONNECTOR} socket bound
 * to the {@code CN_IDX_PROC} multicast group, told {@code PROC_CN_MCAST_LISTEN}. From then on the
 * kernel sends a message for every fork, exec, rename ({@code comm}) and exit on the host, at the
 * moment it happens. Needs {@code CAP_NET_ADMIN} and a kernel with {@code CONFIG_PROC_EVENTS}.
 *
 * <p>{@link #receive} is for one thread at a time (it reuses one buffer); {@link #close} may come
 * from any thread and makes the next {@link #receive} return empty at the latest after the
 * receive timeout.
 */
public final class ProcConnector implements AutoCloseable {

    /** The connector's messages are ~76 bytes; one page holds every datagram the kernel sends. */
    private static final int BUFFER_BYTES = 4096;
    /** Room for a burst of ~50k events (a guest start makes a few hundred) before the kernel drops any. */
    private static final int RECEIVE_BUFFER_BYTES = 4 << 20;

    private final int fd;
    private final MemorySegment buffer;
    private final MemorySegment callState;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final MemorySegment timeout;
    private long timeoutNanos = -1;

    private ProcConnector(int fd) {
        this.fd = fd;
        // freed with this object: close() may run while another thread still waits in recv on it
        Arena arena = Arena.ofAuto();
        this.buffer = arena.allocate(BUFFER_BYTES, 8);
        this.callState = LinuxCalls.allocateCallState(arena);
        this.timeout = timeval.allocate(arena);
    }

    /**
     * Opens the socket and starts listening.
     *
     * @param receiveTimeout how long {@link #receive} waits for an event before returning empty
     * @throws LinuxException EPERM without CAP_NET_ADMIN; EPROTONOSUPPORT or ENOENT on a kernel
     *     without the connector
     */
    public static ProcConnector open(Duration receiveTimeout) {
        NativeAccess.require();
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LinuxCalls.allocateCallState(arena);
            fd = ErrnoCheck.check(LinuxCalls.socket(state, kvmtune_linux_h.AF_NETLINK(),
                    kvmtune_linux_h.SOCK_DGRAM() | kvmtune_linux_h.SOCK_CLOEXEC(), kvmtune_linux_h.NETLINK_CONNECTOR()),
                    state, "socket", "AF_NETLINK, NETLINK_CONNECTOR");
        }
        ProcConnector connector = new ProcConnector(fd);
        try {
            connector.configure(receiveTimeout);
            return connector;
        } catch (RuntimeException e) {
            connector.close();
            throw e;
        }
    }

    private void configure(Duration receiveTimeout) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment size = local.allocateFrom(kvmtune_linux_h.C_INT, RECEIVE_BUFFER_BYTES);
            // FORCE goes past net.core.rmem_max; without CAP_NET_ADMIN the plain option is capped by it
            if (LinuxCalls.setsockopt(callState, fd, kvmtune_linux_h.SOL_SOCKET(), kvmtune_linux_h.SO_RCVBUFFORCE(),
                    size, (int) kvmtune_linux_h.C_INT.byteSize()) == -1) {
                check(LinuxCalls.setsockopt(callState, fd, kvmtune_linux_h.SOL_SOCKET(), kvmtune_linux_h.SO_RCVBUF(),
                        size, (int) kvmtune_linux_h.C_INT.byteSize()), "setsockopt(SO_RCVBUF)");
            }
            setTimeout(receiveTimeout);

            MemorySegment address = sockaddr_nl.allocate(local);
            sockaddr_nl.nl_family(address, (short) kvmtune_linux_h.AF_NETLINK());
            sockaddr_nl.nl_groups(address, kvmtune_linux_h.CN_IDX_PROC());
            check(LinuxCalls.bind(callState, fd, address, (int) sockaddr_nl.sizeof()), "bind");
            control(local, callState, kvmtune_linux_h.PROC_CN_MCAST_LISTEN());
        }
    }

    private void setTimeout(Duration receiveTimeout) {
        long nanos = receiveTimeout.toNanos();
        if (nanos == timeoutNanos) {
            return;
        }
        timeval.tv_sec(timeout, receiveTimeout.toSeconds());
        // 0 would mean "wait forever" to the kernel: a zero timeout becomes the shortest one
        timeval.tv_usec(timeout, Math.max(receiveTimeout.toNanosPart() / 1000, receiveTimeout.toSeconds() == 0 ? 1 : 0));
        check(LinuxCalls.setsockopt(callState, fd, kvmtune_linux_h.SOL_SOCKET(), kvmtune_linux_h.SO_RCVTIMEO(),
                timeout, (int) timeval.sizeof()), "setsockopt(SO_RCVTIMEO)");
        timeoutNanos = nanos;
    }

    /**
     * {@link #receive()} waiting at most {@code timeout} instead of the timeout given at
     * {@link #open}, and from now on (one {@code setsockopt} when it changes).
     */
    public List<ProcEvent> receive(Duration timeout) {
        if (closed.get()) {
            return List.of();
        }
        setTimeout(timeout);
        return receive();
    }

    /** Sends {@code op} ({@code enum proc_cn_mcast_op}) to the process events connector. */
    private void control(Arena local, MemorySegment state, int op) {
        long cnLength = cn_msg.sizeof() + kvmtune_linux_h.C_INT.byteSize();
        long total = kvmtune_linux_h.NLMSG_HDRLEN() + cnLength;
        MemorySegment message = local.allocate(total, 8);
        MemorySegment header = message.asSlice(0, nlmsghdr.sizeof());
        nlmsghdr.nlmsg_len(header, (int) total);
        nlmsghdr.nlmsg_type(header, (short) kvmtune_linux_h.NLMSG_DONE());
        MemorySegment cn = message.asSlice(kvmtune_linux_h.NLMSG_HDRLEN(), cnLength);
        cn_msg.id_idx(cn, kvmtune_linux_h.CN_IDX_PROC());
        cn_msg.id_val(cn, kvmtune_linux_h.CN_VAL_PROC());
        cn_msg.len(cn, (short) kvmtune_linux_h.C_INT.byteSize());
        cn.set(kvmtune_linux_h.C_INT, cn_msg.sizeof(), op);
        if (LinuxCalls.send(state, fd, message, total, 0) == -1) {
            throw new LinuxException("send", "process events connector, op " + op, LinuxCalls.errno(state));
        }
    }

    /**
     * Waits for the next datagram and returns its events; empty when the receive timeout passed
     * or the connector was closed. Returns a single {@link ProcEvent.Lost} when the kernel dropped
     * events since the last call.
     *
     * @throws LinuxException for any other failure of {@code recv}
     */
    public List<ProcEvent> receive() {
        if (closed.get()) {
            return List.of();
        }
        long n = LinuxCalls.recv(callState, fd, buffer, buffer.byteSize(), 0);
        if (n >= 0) {
            return ProcEventParser.parse(buffer, n);
        }
        int errno = LinuxCalls.errno(callState);
        if (errno == Errno.ENOBUFS.number()) {
            return List.of(new ProcEvent.Lost());
        }
        if (errno == Errno.EAGAIN.number() || errno == Errno.EINTR.number() || closed.get()) {
            return List.of();
        }
        throw new LinuxException("recv", "process events connector fd " + fd, errno);
    }

    /** Stops listening and closes the socket; later calls do nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try (Arena local = Arena.ofConfined()) {
            MemorySegment state = LinuxCalls.allocateCallState(local);
            // Tells the kernel one listener fewer: before 6.x it counted listeners and kept sending otherwise.
            try {
                control(local, state, kvmtune_linux_h.PROC_CN_MCAST_IGNORE());
            } catch (LinuxException ignored) {
                // the socket is closed next either way
            }
            ErrnoCheck.check(LinuxCalls.close(state, fd), state, "close", "fd " + fd);
        }
    }

    private void check(int rc, String call) {
        ErrnoCheck.check(rc, callState, call, "process events connector fd " + fd);
    }
}
