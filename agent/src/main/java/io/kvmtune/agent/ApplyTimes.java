package io.kvmtune.agent;

import io.kvmtune.core.apply.ApplyStep;
import io.kvmtune.core.apply.StepObserver;

/**
 * Where one apply's time went, for the agent's log: surveying the threads and saving the record,
 * changing them, reading them back. The untuned window of a vCPU is mostly this time, so the log
 * says which part a slow apply spent it in.
 */
final class ApplyTimes implements StepObserver {

    private final long startNs = System.nanoTime();
    private long recordSavedNs;
    private long changedNs;
    private long verifiedNs;

    @Override
    public void completed(ApplyStep step) {
        switch (step) {
            case RECORD_SAVED -> recordSavedNs = System.nanoTime();
            case MEMLOCK -> changedNs = System.nanoTime();
            case VERIFIED -> verifiedNs = System.nanoTime();
            default -> {
            }
        }
    }

    /** {@code in 812 us (survey and record 540, change 190, read-back 82)}. */
    String describe() {
        long end = verifiedNs == 0 ? System.nanoTime() : verifiedNs;
        return "in " + us(end - startNs) + " us (survey and record " + us(recordSavedNs - startNs) + ", change "
                + us(changedNs - recordSavedNs) + ", read-back " + us(end - changedNs) + ")";
    }

    private static long us(long ns) {
        return ns / 1000;
    }
}
