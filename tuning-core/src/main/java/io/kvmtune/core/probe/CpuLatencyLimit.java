package io.kvmtune.core.probe;

import io.kvmtune.core.MissingComponentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A PM QoS CPU latency request of 0 µs held on {@code /dev/cpu_dma_latency}: while it is held
 * the kernel keeps every CPU out of idle states slower to leave than that, as cyclictest does for
 * its whole run unless given {@code --laptop}. Without it a wake-up also measures the exit from a
 * deep C-state (on the development VM the probe's median doubles). The kernel drops the request
 * when the file is closed, so it also ends with the process, whatever way that exits.
 */
final class CpuLatencyLimit implements AutoCloseable {

    /** The PM QoS device of the CPU latency limit. */
    static final Path DEVICE = Path.of("/dev/cpu_dma_latency");

    private final Path device;
    private final FileChannel channel;

    private CpuLatencyLimit(Path device, FileChannel channel) {
        this.device = device;
        this.channel = channel;
    }

    /**
     * Asks for a CPU latency of 0 µs until {@link #close}.
     *
     * @throws MissingComponentException when {@code device} cannot be opened or written (not root,
     *     or a kernel without PM QoS)
     */
    static CpuLatencyLimit holdZero(Path device) {
        try {
            FileChannel channel = FileChannel.open(device, StandardOpenOption.WRITE);
            try {
                // The kernel takes a native s32 when given exactly 4 bytes, as cyclictest writes it.
                channel.write(ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(0, 0));
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            return new CpuLatencyLimit(device, channel);
        } catch (IOException e) {
            throw new MissingComponentException("CpuLatencyLimitUnavailable", "cannot hold the CPU latency limit at 0"
                    + " through " + device + ": " + e.getMessage() + " (run as root, or measure with --laptop as"
                    + " cyclictest does, accepting slower wake-ups from idle states)", e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + device, e);
        }
    }
}
