package io.kvmtune.core.plan;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonException;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything kvmtune will do to one guest, as an immutable value.
 *
 * <p>The planner produces it from a request and a host; it can be printed (table, JSON, libvirt
 * XML), saved, diffed, verified against a running QEMU and applied later. Applying never decides
 * anything the plan does not say. The JSON form is the stable contract of CLI.md.
 *
 * <p>A planned plan's lists make their elements when read (see {@link Planner}): two reads give
 * equal placements and reasons, not the same objects.
 *
 * @param vcpus one placement per vCPU, ordered by vCPU index 0..n-1
 * @param realtime the realtime vCPUs, or empty for a guest without realtime
 * @param emulator where the emulator (and IO) threads run
 * @param isolatedEmulatorPcpu the extra pCPU reserved by {@code hw:emulator_threads_policy=isolate}
 * @param reservedPcpus pCPUs held idle for this guest: the SMT siblings of its pinned pCPUs under
 *     {@code hw:cpu_thread_policy=isolate}; no thread runs there, and no other guest may claim them
 * @param memory memory locking and KSM
 * @param hpet the HPET timer's {@code present} value, or empty when the guest gets no hpet element
 * @param cpu the guest CPU element, or empty when none is written
 * @param reasons why each decision was made, in the order made
 * @param clock the clock offset and the Hyper-V timer (Windows guests)
 */
public record TuningPlan(
        List<VcpuPlacement> vcpus,
        Optional<RealtimePlan> realtime,
        EmulatorPlacement emulator,
        OptionalInt isolatedEmulatorPcpu,
        CpuSet reservedPcpus,
        MemoryPlan memory,
        Optional<Boolean> hpet,
        Optional<GuestCpu> cpu,
        List<Reason> reasons,
        GuestClock clock) implements JsonWritable {

    public TuningPlan {
        // The planner's lists are immutable already and its placements ordered by construction.
        boolean planned = vcpus instanceof PlacementList;
        vcpus = planned ? vcpus : List.copyOf(vcpus);
        reasons = ReasonList.copyOf(reasons);
        if (vcpus.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one vCPU");
        }
        for (int i = 0; !planned && i < vcpus.size(); i++) {
            if (vcpus.get(i).vcpu() != i) {
                throw new IllegalArgumentException("vCPU placements must be ordered 0..n-1; position " + i
                        + " holds vCPU " + vcpus.get(i).vcpu());
            }
        }
        if (realtime.isPresent() && realtime.get().vcpus().last() >= vcpus.size()) {
            throw new IllegalArgumentException("realtime vCPUs " + realtime.get().vcpus() + " exceed the guest's "
                    + vcpus.size() + " vCPUs");
        }
    }

    /** A plan without reserved sibling pCPUs (any thread policy but {@code isolate}). */
    public TuningPlan(List<VcpuPlacement> vcpus, Optional<RealtimePlan> realtime, EmulatorPlacement emulator,
            OptionalInt isolatedEmulatorPcpu, MemoryPlan memory, Optional<Boolean> hpet, Optional<GuestCpu> cpu,
            List<Reason> reasons) {
        this(vcpus, realtime, emulator, isolatedEmulatorPcpu, CpuSet.empty(), memory, hpet, cpu, reasons);
    }

    /** A plan for a guest that is not Windows: a UTC clock. */
    public TuningPlan(List<VcpuPlacement> vcpus, Optional<RealtimePlan> realtime, EmulatorPlacement emulator,
            OptionalInt isolatedEmulatorPcpu, CpuSet reservedPcpus, MemoryPlan memory, Optional<Boolean> hpet,
            Optional<GuestCpu> cpu, List<Reason> reasons) {
        this(vcpus, realtime, emulator, isolatedEmulatorPcpu, reservedPcpus, memory, hpet, cpu, reasons, GuestClock.UTC);
    }

    /**
     * The pCPUs this guest holds exclusively: its pinned vCPUs' pCPUs, the isolated emulator pCPU
     * and the reserved siblings. A claims ledger adds exactly these.
     */
    public CpuSet claimedPcpus() {
        long[] claimed = reservedPcpus.orInto(new long[0]);
        for (VcpuPlacement v : vcpus) {
            if (v.pinned()) {
                claimed = v.pcpus().orInto(claimed);
            }
        }
        CpuSet set = CpuSet.fromMask(claimed);
        return isolatedEmulatorPcpu.isPresent() ? set.with(isolatedEmulatorPcpu.getAsInt()) : set;
    }

    /** Every pCPU any of the guest's threads may run on. */
    public CpuSet allPcpus() {
        long[] all = emulator.pcpus().orInto(new long[0]);
        CpuSet previous = null;
        for (VcpuPlacement v : vcpus) {
            // Floating vCPUs share one set object; OR it in once.
            if (v.pcpus() != previous) {
                previous = v.pcpus();
                all = previous.orInto(all);
            }
        }
        return CpuSet.fromMask(all);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vcpus", vcpus);
        m.put("realtime", realtime.orElse(null));
        m.put("emulator", emulator);
        m.put("isolated_emulator_pcpu", isolatedEmulatorPcpu.isPresent() ? isolatedEmulatorPcpu.getAsInt() : null);
        m.put("reserved_pcpus", PlanJson.cpus(reservedPcpus));
        m.put("memory", memory);
        m.put("hpet", hpet.orElse(null));
        m.put("cpu", cpu.orElse(null));
        m.put("clock", clock);
        m.put("reasons", reasons);
        return m;
    }

    /**
     * Reads a plan file written by {@code kvmtune plan --format json} (or by hand).
     *
     * @throws InvalidInputException naming the file's field ({@code $.vcpus[2].policy}) and why
     */
    public static TuningPlan fromJson(String text) {
        try {
            return fromJson(Json.parseObject(text));
        } catch (JsonException e) {
            throw InvalidInputException.invalid("plan", null, "not a valid kvmtune plan: " + e.getMessage());
        }
    }

    /**
     * Reads a plan already parsed as JSON, such as the one inside an apply record.
     *
     * @throws InvalidInputException naming the field ({@code $.vcpus[2].policy}) and why
     */
    public static TuningPlan fromJson(JsonObject o) {
        try {
            return new TuningPlan(
                    o.objects("vcpus").stream().map(VcpuPlacement::fromJson).toList(),
                    o.optObject("realtime").map(RealtimePlan::fromJson),
                    EmulatorPlacement.fromJson(o.object("emulator")),
                    o.optInteger("isolated_emulator_pcpu").map(p -> OptionalInt.of(Math.toIntExact(p)))
                            .orElse(OptionalInt.empty()),
                    o.has("reserved_pcpus") ? PlanJson.cpus(o, "reserved_pcpus") : CpuSet.empty(),
                    MemoryPlan.fromJson(o.object("memory")),
                    o.optBool("hpet"),
                    o.optObject("cpu").map(GuestCpu::fromJson),
                    o.has("reasons") ? o.objects("reasons").stream().map(Reason::fromJson).toList() : List.of(),
                    o.optObject("clock").map(GuestClock::fromJson).orElse(GuestClock.UTC));
        } catch (JsonException | IllegalArgumentException | ArithmeticException e) {
            throw InvalidInputException.invalid("plan", null, "not a valid kvmtune plan: " + e.getMessage());
        }
    }
}
