package io.kvmtune.agent;

import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.apply.StaleCleanup;
import io.kvmtune.core.apply.StaleState;
import io.kvmtune.core.qemu.ThreadIdentity;
import java.util.List;

/**
 * What the agent does when a followed QEMU exits: tuning-core's {@link StaleState} cleanup, which
 * restores and removes the apply records of exited QEMUs (giving back the realtime runtime their
 * vCPU groups were granted) and drops their claims, even when libvirt's {@code release} hook never
 * ran; then the QEMU's apply lock file goes.
 */
final class ExitedGuestCleanup {

    private final Applier applier;
    private final StaleState stale;

    ExitedGuestCleanup(Applier applier, StaleState stale) {
        this.applier = applier;
        this.stale = stale;
    }

    /** One entry per thing given back or left, for the log. */
    List<StaleCleanup> clean(ThreadIdentity qemu) {
        List<StaleCleanup> done = stale.cleanUp();
        applier.forgetExited(qemu.tid());
        return done;
    }
}
