package io.kvmtune.cli;

import io.kvmtune.core.MissingComponentException;

/**
 * The error of a command whose library has not been built yet: exit 4 and a message naming what
 * is missing, never a pretended success.
 */
public final class NotAvailable {

    private NotAvailable() {
    }

    public static MissingComponentException yet(String what) {
        return new MissingComponentException("NotAvailable", "not available yet: " + what);
    }
}
