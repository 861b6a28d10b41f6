package io.kvmtune.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.linux.lib.cn_msg;
import io.kvmtune.linux.lib.comm_proc_event;
import io.kvmtune.linux.lib.exit_proc_event;
import io.kvmtune.linux.lib.fork_proc_event;
import io.kvmtune.linux.lib.kvmtune_linux_h;
import io.kvmtune.linux.lib.nlmsghdr;
import io.kvmtune.linux.lib.proc_event;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Datagrams laid out as the kernel's cn_proc.c writes them, read back into events. */
class ProcEventParserTest {

    private static final long EVENT_AT = kvmtune_linux_h.NLMSG_HDRLEN() + cn_msg.sizeof();
    private static final long MESSAGE = EVENT_AT + proc_event.sizeof();

    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close() {
        arena.close();
    }

    /** One message as the kernel sends it: nlmsghdr, cn_msg with CN_IDX_PROC, proc_event. */
    private MemorySegment message(MemorySegment datagram, long at, int what, long timestamp,
            Consumer<MemorySegment> data) {
        MemorySegment m = datagram.asSlice(at, MESSAGE);
        nlmsghdr.nlmsg_len(m, (int) MESSAGE);
        nlmsghdr.nlmsg_type(m, (short) kvmtune_linux_h.NLMSG_DONE());
        MemorySegment cn = m.asSlice(kvmtune_linux_h.NLMSG_HDRLEN());
        cn_msg.id_idx(cn, kvmtune_linux_h.CN_IDX_PROC());
        cn_msg.id_val(cn, kvmtune_linux_h.CN_VAL_PROC());
        cn_msg.len(cn, (short) proc_event.sizeof());
        MemorySegment event = m.asSlice(EVENT_AT);
        proc_event.what(event, what);
        proc_event.timestamp_ns(event, timestamp);
        data.accept(event.asSlice(proc_event.event_data$offset()));
        return m;
    }

    private MemorySegment datagram(int messages) {
        // 76-byte messages are already 4-aligned
        return arena.allocate(MESSAGE * messages, 8);
    }

    @Test
    void aNewThreadIsAForkWhoseChildIsNotItsOwnProcess() {
        MemorySegment d = datagram(1);
        message(d, 0, kvmtune_linux_h.PROC_EVENT_FORK(), 123_456_789L, e -> {
            fork_proc_event.parent_pid(e, 100);
            fork_proc_event.parent_tgid(e, 100);
            fork_proc_event.child_pid(e, 105);
            fork_proc_event.child_tgid(e, 100);
        });

        assertThat(ProcEventParser.parse(d, d.byteSize()))
                .containsExactly(new ProcEvent.Fork(123_456_789L, 100, 100, 105, 100));
        assertThat(((ProcEvent.Fork) ProcEventParser.parse(d, d.byteSize()).getFirst()).isThread()).isTrue();
    }

    @Test
    void aRenameCarriesTheNameUpToItsNul() {
        MemorySegment d = datagram(1);
        message(d, 0, kvmtune_linux_h.PROC_EVENT_COMM(), 7L, e -> {
            comm_proc_event.process_pid(e, 105);
            comm_proc_event.process_tgid(e, 100);
            MemorySegment.copy("CPU 3/KVM".getBytes(StandardCharsets.UTF_8), 0, comm_proc_event.comm(e),
                    kvmtune_linux_h.C_CHAR, 0, 9);
        });

        assertThat(ProcEventParser.parse(d, d.byteSize()))
                .containsExactly(new ProcEvent.Comm(7L, 105, 100, "CPU 3/KVM"));
    }

    @Test
    void aNameOfFullLengthWithoutNulIsReadWhole() {
        MemorySegment d = datagram(1);
        message(d, 0, kvmtune_linux_h.PROC_EVENT_COMM(), 7L, e -> {
            comm_proc_event.process_pid(e, 105);
            comm_proc_event.process_tgid(e, 100);
            comm_proc_event.comm(e).fill((byte) 'x');
        });

        assertThat(ProcEventParser.parse(d, d.byteSize()))
                .containsExactly(new ProcEvent.Comm(7L, 105, 100, "x".repeat(16)));
    }

    @Test
    void exitEventsTellAThreadFromItsProcessAndTheHighBitOfWhatIsRead() {
        MemorySegment d = datagram(2);
        message(d, 0, kvmtune_linux_h.PROC_EVENT_EXIT(), 1L, e -> {
            exit_proc_event.process_pid(e, 105);
            exit_proc_event.process_tgid(e, 100);
        });
        message(d, MESSAGE, kvmtune_linux_h.PROC_EVENT_EXIT(), 2L, e -> {
            exit_proc_event.process_pid(e, 100);
            exit_proc_event.process_tgid(e, 100);
            exit_proc_event.exit_code(e, 9);
            exit_proc_event.exit_signal(e, 17);
        });

        assertThat(ProcEventParser.parse(d, d.byteSize())).containsExactly(
                new ProcEvent.Exit(1L, 105, 100, 0, 0), new ProcEvent.Exit(2L, 100, 100, 9, 17));
        assertThat(ProcEventParser.parse(d, d.byteSize())).extracting(e -> ((ProcEvent.Exit) e).isProcess())
                .containsExactly(false, true);
    }

    @Test
    void theListenAcknowledgementIsNoEventAndUnknownKindsAreKeptAsOther() {
        MemorySegment d = datagram(2);
        message(d, 0, kvmtune_linux_h.PROC_EVENT_NONE(), 1L, e -> {
        });
        message(d, MESSAGE, 0x4, 2L, e -> {
        });

        assertThat(ProcEventParser.parse(d, d.byteSize())).containsExactly(new ProcEvent.Other(2L, 0x4));
    }

    @Test
    void anotherConnectorsMessageIsSkipped() {
        MemorySegment d = datagram(1);
        MemorySegment m = message(d, 0, kvmtune_linux_h.PROC_EVENT_FORK(), 1L, e -> {
        });
        cn_msg.id_idx(m.asSlice(kvmtune_linux_h.NLMSG_HDRLEN()), 10);

        assertThat(ProcEventParser.parse(d, d.byteSize())).isEmpty();
    }

    @Test
    void aMessageCutShortEndsTheDatagramWithoutAnEvent() {
        MemorySegment d = datagram(1);
        message(d, 0, kvmtune_linux_h.PROC_EVENT_FORK(), 1L, e -> fork_proc_event.child_pid(e, 5));

        assertThat(ProcEventParser.parse(d, MESSAGE - 1)).isEmpty();
        assertThat(ProcEventParser.parse(d, 10)).isEmpty();
    }

    @Test
    void aLengthBelowTheHeaderStopsTheWalkInsteadOfLoopingForever() {
        MemorySegment d = datagram(1);
        message(d, 0, kvmtune_linux_h.PROC_EVENT_FORK(), 1L, e -> {
        });
        nlmsghdr.nlmsg_len(d, 0);

        assertThat(ProcEventParser.parse(d, d.byteSize())).isEmpty();
    }

    @Test
    void anOverrunSaysEventsWereLost() {
        MemorySegment d = datagram(1);
        nlmsghdr.nlmsg_len(d, kvmtune_linux_h.NLMSG_HDRLEN());
        nlmsghdr.nlmsg_type(d, (short) kvmtune_linux_h.NLMSG_OVERRUN());

        assertThat(ProcEventParser.parse(d, kvmtune_linux_h.NLMSG_HDRLEN())).containsExactly(new ProcEvent.Lost());
    }
}
