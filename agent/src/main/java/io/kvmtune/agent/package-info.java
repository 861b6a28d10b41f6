/**
 * {@code kvmtune agent}: the resident service that tunes QEMU threads as the kernel creates them.
 *
 * <h2>Why the process events connector</h2>
 * A vCPU thread is untuned from the moment QEMU creates it until someone sets its affinity and
 * policy. libvirt's {@code started} hook runs only after QEMU has created every vCPU and libvirt
 * has placed them in its cgroups, and then starts a JVM: hundreds of milliseconds. The agent
 * learns of each thread from the kernel itself, through the process events connector
 * ({@code NETLINK_CONNECTOR}, {@code CN_IDX_PROC}; {@link io.kvmtune.linux.ProcConnector}): a
 * {@code fork} event when the thread is created, a {@code comm} event tens of microseconds later
 * when QEMU names it {@code CPU n/KVM} (which is what says which vCPU it is), an {@code exit}
 * event when it or its process ends. A thread of a followed QEMU is pinned at its fork (its
 * {@code /proc} stat opened and its start time read), so that what is left when the name
 * arrives is what the name decides, and no periodic work (a pass over a starting guest's
 * threads, a drift check, a scan) starts between a fork and the name that follows it. It is in
 * every kernel the project supports (Debian builds
 * {@code CONFIG_PROC_EVENTS}), needs only root, and costs nothing while nothing forks.
 *
 * <p>The alternatives were weighed: polling {@code /proc} finds a thread only at the next poll
 * (the window is the poll period, and its cost grows with the host's processes); inotify does not
 * work on {@code /proc}; libvirt's status files ({@code /run/libvirt/qemu/NAME.xml}, watched with
 * inotify) are written after QEMU has started and its vCPUs exist, so they are as late as the
 * hook, and they do not exist for a QEMU started by hand; eBPF would need a compiler toolchain
 * or pre-built objects and more privileges for the same information. So the connector says
 * <em>when</em>, and kvmtune's own state says <em>what</em>: the plan the {@code prepare} hook
 * keeps in {@code /run/kvmtune/domains/UUID.json} before QEMU is even started (found by the
 * {@code -uuid} on QEMU's command line, read at the process's {@code exec} event), or the apply
 * record of that very process for a QEMU tuned with {@code kvmtune apply}. A scan of
 * {@code /proc} every 30 s, and whenever the kernel reports lost events ({@code ENOBUFS}), only
 * backs the events up.
 *
 * <h2>One apply path</h2>
 * Every change goes through tuning-core's {@link io.kvmtune.core.apply.Applier}
 * ({@code apply} to a guest listing just the threads born or drifted), with the same identity checks,
 * apply record, read-back and rollback as {@code kvmtune apply} and the hook, under the same
 * per-guest lock, so the hook and the agent never change a guest at once and whoever comes second
 * changes nothing. Exited QEMUs are cleaned up by tuning-core's
 * {@link io.kvmtune.core.apply.StaleState}.
 *
 * <h2>Threads</h2>
 * One thread ({@link io.kvmtune.agent.Agent#run()}) owns all state; the status socket and the
 * metrics HTTP server only read a published snapshot and thread-safe metrics.
 */
package io.kvmtune.agent;
