package io.kvmtune.hostprep.suggest;

import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.hostprep.check.Partition;
import io.kvmtune.hostprep.inventory.HostInventory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nova.conf lines that tell Nova (and kvmtune's {@code --config}) about this partition.
 *
 * @param compute {@code [compute]} option to value
 * @param libvirt {@code [libvirt]} option to value
 * @param comments why each non-obvious line is there
 */
public record NovaConfSuggestion(Map<String, String> compute, Map<String, String> libvirt, List<String> comments)
        implements JsonWritable {

    public NovaConfSuggestion {
        compute = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(compute));
        libvirt = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(libvirt));
        comments = List.copyOf(comments);
    }

    public static NovaConfSuggestion suggest(HostInventory inv, Partition p) {
        Map<String, String> compute = new LinkedHashMap<>();
        Map<String, String> libvirt = new LinkedHashMap<>();
        List<String> comments = new ArrayList<>();
        compute.put("cpu_dedicated_set", p.dedicated().format());
        compute.put("cpu_shared_set", p.housekeeping().format());
        comments.add("cpu_shared_set also hosts emulator threads of guests with hw:emulator_threads_policy=share");
        libvirt.put("virt_type", inv.kvm().devKvm() ? "kvm" : "qemu");
        libvirt.put("cpu_mode", "host-passthrough");
        comments.add("host-passthrough exposes tsc-deadline and the invariant TSC real-time guests need; "
                + "it pins live migration to identical hosts");
        libvirt.put("realtime_scheduler_priority", "1");
        comments.add("vCPUs at FIFO 1 stay below the kthreads realtime-virtual-host raises to FIFO 2-4");
        return new NovaConfSuggestion(compute, libvirt, comments);
    }

    /** The lines as they go into nova.conf, comments included. */
    public String render() {
        StringBuilder out = new StringBuilder();
        comments.forEach(c -> out.append("# ").append(c).append('\n'));
        out.append("[compute]\n");
        compute.forEach((k, v) -> out.append(k).append(" = ").append(v).append('\n'));
        out.append("[libvirt]\n");
        libvirt.forEach((k, v) -> out.append(k).append(" = ").append(v).append('\n'));
        return out.toString();
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("compute", compute);
        m.put("libvirt", libvirt);
        m.put("comments", comments);
        return m;
    }
}
