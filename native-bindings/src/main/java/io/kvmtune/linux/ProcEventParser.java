package io.kvmtune.linux;

import io.kvmtune.linux.lib.cn_msg;
import io.kvmtune.linux.lib.comm_proc_event;
import io.kvmtune.linux.lib.exec_proc_event;
import io.kvmtune.linux.lib.exit_proc_event;
import io.kvmtune.linux.lib.fork_proc_event;
import io.kvmtune.linux.lib.kvmtune_linux_h;
import io.kvmtune.linux.lib.nlmsghdr;
import io.kvmtune.linux.lib.proc_event;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the process events in one datagram of the connector: netlink messages one after the
 * other, each a {@code nlmsghdr}, a {@code cn_msg} and a {@code proc_event}. Pure: it reads the
 * bytes it is given and nothing else, so it is tested with datagrams built in memory.
 *
 * <p>Anything that is not a well-formed process event (another connector's message, a message
 * cut short) is skipped rather than guessed at: the kernel writes these messages, so a malformed
 * one means a kernel this code does not know, and the periodic scan of {@code /proc} covers what
 * it would have said.
 */
public final class ProcEventParser {

    private static final long HEADERS = kvmtune_linux_h.NLMSG_HDRLEN() + cn_msg.sizeof();
    /** {@code what}, {@code cpu}, {@code timestamp_ns}: the part of proc_event before the union. */
    private static final long EVENT_HEADER = proc_event.event_data$offset();

    private ProcEventParser() {
    }

    /** The events in the first {@code length} bytes of {@code datagram}, in order. */
    public static List<ProcEvent> parse(MemorySegment datagram, long length) {
        List<ProcEvent> events = new ArrayList<>(1);
        long offset = 0;
        long end = Math.min(length, datagram.byteSize());
        while (end - offset >= kvmtune_linux_h.NLMSG_HDRLEN()) {
            MemorySegment header = datagram.asSlice(offset, nlmsghdr.sizeof());
            long messageLength = Integer.toUnsignedLong(nlmsghdr.nlmsg_len(header));
            if (messageLength < kvmtune_linux_h.NLMSG_HDRLEN() || messageLength > end - offset) {
                break;
            }
            int type = nlmsghdr.nlmsg_type(header);
            if (type == kvmtune_linux_h.NLMSG_OVERRUN()) {
                events.add(new ProcEvent.Lost());
            } else if (type != kvmtune_linux_h.NLMSG_NOOP() && type != kvmtune_linux_h.NLMSG_ERROR()) {
                readEvent(datagram.asSlice(offset, messageLength), events);
            }
            offset += align(messageLength);
        }
        return events;
    }

    private static void readEvent(MemorySegment message, List<ProcEvent> events) {
        if (message.byteSize() < HEADERS + EVENT_HEADER) {
            return;
        }
        MemorySegment cn = message.asSlice(kvmtune_linux_h.NLMSG_HDRLEN(), cn_msg.sizeof());
        if (cn_msg.id_idx(cn) != kvmtune_linux_h.CN_IDX_PROC() || cn_msg.id_val(cn) != kvmtune_linux_h.CN_VAL_PROC()) {
            return;
        }
        long payload = Math.min(Short.toUnsignedLong(cn_msg.len(cn)), message.byteSize() - HEADERS);
        if (payload < EVENT_HEADER) {
            return;
        }
        MemorySegment event = message.asSlice(HEADERS, payload);
        int what = proc_event.what(event);
        long at = proc_event.timestamp_ns(event);
        MemorySegment data = event.asSlice(EVENT_HEADER);
        if (what == kvmtune_linux_h.PROC_EVENT_FORK() && data.byteSize() >= fork_proc_event.sizeof()) {
            events.add(new ProcEvent.Fork(at, fork_proc_event.parent_pid(data), fork_proc_event.parent_tgid(data),
                    fork_proc_event.child_pid(data), fork_proc_event.child_tgid(data)));
        } else if (what == kvmtune_linux_h.PROC_EVENT_EXEC() && data.byteSize() >= exec_proc_event.sizeof()) {
            events.add(new ProcEvent.Exec(at, exec_proc_event.process_pid(data), exec_proc_event.process_tgid(data)));
        } else if (what == kvmtune_linux_h.PROC_EVENT_COMM() && data.byteSize() >= comm_proc_event.sizeof()) {
            events.add(new ProcEvent.Comm(at, comm_proc_event.process_pid(data), comm_proc_event.process_tgid(data),
                    cString(comm_proc_event.comm(data))));
        } else if (what == kvmtune_linux_h.PROC_EVENT_EXIT() && data.byteSize() >= exit_proc_event.sizeof()) {
            events.add(new ProcEvent.Exit(at, exit_proc_event.process_pid(data), exit_proc_event.process_tgid(data),
                    exit_proc_event.exit_code(data), exit_proc_event.exit_signal(data)));
        } else if (what != kvmtune_linux_h.PROC_EVENT_NONE()) {
            events.add(new ProcEvent.Other(at, what));
        }
    }

    /** The bytes up to the first NUL (all of them when there is none), as the kernel's comm is ASCII or UTF-8. */
    private static String cString(MemorySegment bytes) {
        byte[] raw = bytes.toArray(kvmtune_linux_h.C_CHAR);
        int n = 0;
        while (n < raw.length && raw[n] != 0) {
            n++;
        }
        return new String(raw, 0, n, StandardCharsets.UTF_8);
    }

    private static long align(long length) {
        int to = kvmtune_linux_h.NLMSG_ALIGNTO();
        return (length + to - 1) & -to;
    }
}
