package io.kvmtune.core.cgroup;

import io.kvmtune.core.qemu.ProcCgroup;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recognises the per-thread groups libvirt creates for a guest, the only groups kvmtune writes
 * {@code cpuset.cpus} in.
 *
 * <p>libvirt makes {@code vcpuN}, {@code emulator} and {@code iothreadN} inside the guest's group:
 * directly in {@code machine/qemu-ID-NAME.libvirt-qemu} without systemd, or in the nested
 * {@code libvirt} child of {@code machine.slice/machine-qemu\x2dID\x2dNAME.scope} with systemd
 * (since libvirt 7.1, because systemd owns the scope's own files). Anything else belongs to
 * systemd, a container runtime or the administrator and is left alone.
 */
public final class LibvirtThreadGroups {

    private static final Pattern THREAD_GROUP = Pattern.compile("vcpu\\d+|emulator|iothread\\d+");
    private static final Pattern VCPU_GROUP = Pattern.compile("vcpu\\d+");
    /** The group libvirt moves the whole QEMU process into once it is up, before it places each vCPU. */
    public static final String EMULATOR = "emulator";

    private LibvirtThreadGroups() {
    }

    /** Whether {@code group} is one of libvirt's per-thread groups. */
    public static boolean isThreadGroup(CgroupGroup group) {
        return THREAD_GROUP.matcher(group.name()).matches() && group.parent().filter(LibvirtThreadGroups::isGuestGroup).isPresent();
    }

    private static boolean isGuestGroup(CgroupGroup group) {
        return group.name().endsWith(".libvirt-qemu") || group.name().equals("libvirt") && group.parent()
                .map(CgroupGroup::name).filter(n -> n.startsWith("machine-") && n.endsWith(".scope")).isPresent();
    }

    /** Whether {@code group} is libvirt's group of one vCPU. */
    public static boolean isVcpuGroup(CgroupGroup group) {
        return isVcpuGroupName(group.name()) && isThreadGroup(group);
    }

    /** Whether a group named {@code name} inside a guest's group is libvirt's group of one vCPU. */
    public static boolean isVcpuGroupName(String name) {
        return VCPU_GROUP.matcher(name).matches();
    }

    /**
     * The guest's own group, the one libvirt makes its per-thread groups in, for a thread that sits
     * in {@code group}: that group itself where QEMU was started (a thread born before libvirt placed
     * the process) or the parent of one of its per-thread groups. Empty outside libvirt's groups.
     */
    public static Optional<CgroupGroup> guestGroupOf(CgroupGroup group) {
        if (isThreadGroup(group)) {
            return group.parent();
        }
        return isGuestGroup(group) ? Optional.of(group) : Optional.empty();
    }

    /**
     * Whether libvirt has yet to place a thread whose groups are {@code membership} and whose role
     * label is {@code roleLabel}: in the cgroup v1 {@code cpu} or {@code cpuset} hierarchy it sits
     * in a libvirt guest's group, but not in its own per-thread group (born before libvirt placed
     * it, or lifted out of {@code emulator} by kvmtune meanwhile).
     */
    public static boolean awaitsPlacement(List<ProcCgroup> membership, String roleLabel) {
        for (ProcCgroup e : membership) {
            if (!e.isUnified() && (e.controllers().contains("cpu") || e.controllers().contains("cpuset"))) {
                // only the names along the path matter here, not where the hierarchy is mounted
                CgroupGroup g = new CgroupGroup(String.join(",", e.controllers()), e.path(), false);
                if (guestGroupOf(g).isPresent() && !isGroupFor(g, roleLabel)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether a process whose main thread is in the groups {@code membership} (from
     * {@code /proc/<pid>/cgroup}) may have threads in libvirt's per-thread groups: only a process
     * inside a libvirt guest's own group ({@code *.libvirt-qemu}, or a {@code machine-*.scope}
     * that libvirt or another machine manager made) can.
     */
    public static boolean mayHoldThreadGroups(List<ProcCgroup> membership) {
        for (ProcCgroup entry : membership) {
            for (String name : entry.path().split("/")) {
                if (name.endsWith(".libvirt-qemu") || name.startsWith("machine-") && name.endsWith(".scope")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether {@code group} is libvirt's group for a thread whose role label is {@code roleLabel}
     * ({@code vcpu2}, {@code emulator}, {@code iothread1}): only then does the group hold exactly
     * the threads that the plan places together.
     */
    public static boolean isGroupFor(CgroupGroup group, String roleLabel) {
        return isThreadGroup(group) && group.name().equals(roleLabel);
    }
}
