package io.kvmtune.core.apply;

import io.kvmtune.core.qemu.ThreadIdentity;

/**
 * A thread found by its id alone and held from then on: who it is (its start time, read through
 * the pin) and the pin that tells when that id stops naming it. Close the pin when done.
 */
public record PinnedThread(ThreadIdentity identity, ThreadPin pin) {
}
