package io.kvmtune.core.claims;

import io.kvmtune.core.qemu.ThreadIdentity;

/**
 * Tells whether a process identity still names a running process (same pid, same start time);
 * {@code ProcFs::stillSame} on a real host.
 */
@FunctionalInterface
public interface ProcessProbe {

    boolean isAlive(ThreadIdentity process);
}
