package io.kvmtune.core.claims;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.core.qemu.ThreadIdentity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One guest's exclusive hold on host pCPUs.
 *
 * <p>A claim is made when libvirt prepares the guest, before its QEMU exists, so it starts out
 * pending; once the guest has started it is bound to the QEMU process identity, and from then on
 * it lives exactly as long as that process.
 *
 * @param domainUuid the libvirt domain UUID: the key, stable across renames and restarts
 * @param domainName the domain name at claim time, for people reading the ledger
 * @param pcpus the pCPUs held exclusively, never empty
 * @param process the QEMU process holding them, once known
 * @param claimedAtMillis wall-clock time of the claim (epoch milliseconds), to expire pending
 *     claims whose start never finished
 */
public record Claim(String domainUuid, String domainName, CpuSet pcpus, Optional<ThreadIdentity> process,
        long claimedAtMillis) implements JsonWritable {

    public Claim {
        Objects.requireNonNull(domainUuid, "domainUuid");
        Objects.requireNonNull(domainName, "domainName");
        if (pcpus.isEmpty()) {
            throw new IllegalArgumentException("a claim for " + domainName + " needs at least one pCPU");
        }
    }

    /** The same claim, now held by {@code qemu}. */
    public Claim boundTo(ThreadIdentity qemu) {
        return new Claim(domainUuid, domainName, pcpus, Optional.of(qemu), claimedAtMillis);
    }

    // Written out rather than generated: a record's own equals is bootstrapped through
    // invokedynamic (ObjectMethods) on first use, which the JDK's AOT cache cannot keep, and every
    // hook call compares the ledger's claims before and after its change (~6 ms of its start).
    @Override
    public boolean equals(Object o) {
        return o instanceof Claim c && domainUuid.equals(c.domainUuid) && domainName.equals(c.domainName)
                && pcpus.equals(c.pcpus) && process.equals(c.process) && claimedAtMillis == c.claimedAtMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(domainUuid, domainName, pcpus, process, claimedAtMillis);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uuid", domainUuid);
        m.put("name", domainName);
        m.put("pcpus", pcpus.stream().boxed().toList());
        m.put("process", process.map(Claim::processJson).orElse(null));
        m.put("claimed_at", claimedAtMillis);
        return m;
    }

    private static Map<String, Object> processJson(ThreadIdentity p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", p.tid());
        m.put("starttime", p.startTime());
        return m;
    }

    static Claim fromJson(JsonObject o) {
        List<Object> cpus = o.array("pcpus");
        int[] ids = new int[cpus.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Math.toIntExact((Long) cpus.get(i));
        }
        Optional<ThreadIdentity> process = o.optObject("process")
                .map(p -> new ThreadIdentity(p.intValue("pid"), p.integer("starttime")));
        return new Claim(o.string("uuid"), o.string("name"), CpuSet.of(ids), process, o.integer("claimed_at"));
    }
}
