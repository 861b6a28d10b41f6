package io.kvmtune.core.qemu;

/**
 * One entry of {@code query-iothreads}: an {@code -object iothread} and its host thread.
 *
 * @param id the object's {@code id}
 * @param threadId the host thread
 */
public record QmpIoThread(String id, int threadId) { }
