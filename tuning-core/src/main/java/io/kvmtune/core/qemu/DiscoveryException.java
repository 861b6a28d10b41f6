package io.kvmtune.core.qemu;

import io.kvmtune.core.KvmtuneException;

/**
 * The threads of a QEMU could not be identified with certainty, so nothing may be applied to them.
 *
 * <p>Codes: {@code ThreadSourcesDisagree} (two sources name different threads for one vCPU or IO
 * thread; the message names both), {@code NoThreadSource} (a QEMU without {@code debug-threads=on}
 * and no QMP socket or libvirt status to ask), {@code ThreadsUnstable} (threads kept appearing and
 * exiting while read), {@code DomainNotRunning}, {@code LibvirtStatusUnreadable}.
 */
public final class DiscoveryException extends KvmtuneException {

    DiscoveryException(String code, String message) {
        super(code, null, null, message, null);
    }

    DiscoveryException(String code, String message, Throwable cause) {
        super(code, null, null, message, cause);
    }

    @Override
    public Kind kind() {
        return Kind.MISSING_COMPONENT;
    }
}
