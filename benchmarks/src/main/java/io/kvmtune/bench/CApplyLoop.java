package io.kvmtune.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code apply_loop.c} compiled with gcc into a shared library in {@code dir} and bound through
 * FFM: the baselines the Java apply path is measured against.
 */
final class CApplyLoop implements AutoCloseable {

    private final Arena arena = Arena.ofShared();
    private final MethodHandle applyLoop;
    private final MethodHandle applyLoopChecked;
    private final int pid;
    private final MemorySegment tids;
    private final MemorySegment startTimes;
    private final int count;
    private final MemorySegment record;
    private final MemorySegment recordContent;

    /**
     * The loops over threads {@code threadIds} of process {@code pid}, found with start times
     * {@code threadStartTimes}; the checked loop saves {@code recordContent} as its record
     * {@code recordFile}, whose directory must exist.
     */
    CApplyLoop(Path dir, int pid, int[] threadIds, long[] threadStartTimes, Path recordFile, byte[] recordContent)
            throws IOException, InterruptedException {
        Path source = dir.resolve("apply_loop.c");
        try (InputStream in = CApplyLoop.class.getResourceAsStream("apply_loop.c")) {
            Files.copy(in, source);
        }
        Path library = dir.resolve("libapplyloop.so");
        Process gcc = new ProcessBuilder("gcc", "-O2", "-shared", "-fPIC", "-o", library.toString(), source.toString())
                .redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
            throw new IllegalStateException("gcc failed to build the C baseline: " + output);
        }
        SymbolLookup lookup = SymbolLookup.libraryLookup(library, arena);
        applyLoop = Linker.nativeLinker().downcallHandle(lookup.findOrThrow("apply_loop"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        applyLoopChecked = Linker.nativeLinker().downcallHandle(lookup.findOrThrow("apply_loop_checked"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        this.pid = pid;
        tids = arena.allocateFrom(ValueLayout.JAVA_INT, threadIds);
        startTimes = arena.allocateFrom(ValueLayout.JAVA_LONG, threadStartTimes);
        count = threadIds.length;
        record = arena.allocateFrom(recordFile.toString());
        this.recordContent = arena.allocateFrom(ValueLayout.JAVA_BYTE, recordContent);
    }

    /**
     * Runs every system call of an apply over every thread: identity checks, read-back and the
     * record saved; 0, or the negated errno of the first failure (ESRCH for a start time that
     * does not match, EIO for a state read back that is not the one set).
     */
    int runChecked(int cpu, int policy, int priority) {
        try {
            return (int) applyLoopChecked.invokeExact(pid, tids, startTimes, count, cpu, policy, priority, record,
                    recordContent, recordContent.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Runs the loop over every thread; 0, or the negated errno of the first failure. */
    int run(int cpu, int policy, int priority) {
        try {
            return (int) applyLoop.invokeExact(tids, count, cpu, policy, priority);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
