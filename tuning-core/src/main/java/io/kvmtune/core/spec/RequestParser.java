package io.kvmtune.core.spec;

import io.kvmtune.core.DoesNotFitException;
import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns a flavor's extra specs and an image's properties into a validated {@link TuningRequest},
 * with Nova's precedence and checks (see nova-semantics.md §2-§4 and §6) and kvmtune's deliberate
 * differences (REFERENCE.md): realtime without a mask keeps vCPU 0 non-realtime ({@code ^0}),
 * {@code hw_time_hpet=true} on a non-x86 guest is an error, flavor extra specs are held to Nova's
 * API validators, and unrecognisable image booleans are errors.
 *
 * <p>Checks run in Nova's order, so that a request with several faults reports the one Nova
 * reports: first the API validation of every flavor extra spec and the typing of the image
 * properties (Nova does those when the flavor is saved and the image loaded), then the steps of
 * {@code numa_get_constraints}: CPU policy, thread policy, the realtime set (empty, emulator
 * policy, all vCPUs, out of range), the dedicated mask, {@code resources:PCPU/VCPU}, the policy
 * sanity checks, NUMA nodes, page size, locked memory; last what the libvirt driver checks at
 * spawn (HPET against the guest architecture) and what the scheduler's image filter checks
 * ({@code hypervisor_type}).
 */
public final class RequestParser {

    /** Nova's libvirt guests can run these domain types, per {@code [libvirt] virt_type}. */
    private static final Map<String, Set<String>> HYPERVISOR_TYPES_BY_VIRT_TYPE = Map.of(
            "kvm", Set.of("kvm", "qemu"),
            "qemu", Set.of("qemu"));

    private RequestParser() {
    }

    /**
     * Validates a guest's request.
     *
     * @param flavorSpecs the flavor's extra specs ({@code hw:cpu_policy=dedicated}, ...)
     * @param imageProps the image's properties ({@code hw_time_hpet=true}, ...)
     * @param vcpus the flavor's vCPU count
     * @param hostArch the host's architecture ({@code uname -m} spelling is fine: it is canonicalised)
     * @param virtType the host's {@code [libvirt] virt_type}, for the {@code hypervisor_type} check
     * @throws InvalidInputException with Nova's exception name as code, the key and value at fault
     *     and the rule in the message
     * @throws DoesNotFitException when {@code hypervisor_type} names a domain type this host does not run
     */
    public static TuningRequest parse(Map<String, String> flavorSpecs, Map<String, String> imageProps,
            int vcpus, String hostArch, String virtType) {
        return parse(flavorSpecs, imageProps, vcpus, OptionalLong.empty(), hostArch, virtType);
    }

    /**
     * Validates a guest's request whose memory size is known (the flavor's {@code memory_mb}, or
     * a domain's {@code <memory>}), which the planner needs to check page sizes and NUMA nodes'
     * memory.
     *
     * @param memoryMb the guest's memory in MiB, if known
     * @throws InvalidInputException as {@link #parse(Map, Map, int, String, String)}, and
     *     {@code ImageNUMATopologyAsymmetric} when the NUMA nodes do not divide the memory evenly
     */
    public static TuningRequest parse(Map<String, String> flavorSpecs, Map<String, String> imageProps,
            int vcpus, OptionalLong memoryMb, String hostArch, String virtType) {
        if (memoryMb.isPresent() && memoryMb.getAsLong() < 1) {
            throw InvalidInputException.invalid("memory_mb", Long.toString(memoryMb.getAsLong()),
                    "a guest's memory_mb is at least 1, not " + memoryMb.getAsLong());
        }
        if (vcpus < 1 || vcpus > CpuSet.MAX_CPU + 1) {
            throw InvalidInputException.invalid("vcpus", Integer.toString(vcpus),
                    "a guest has 1 to " + (CpuSet.MAX_CPU + 1) + " vCPUs, not " + vcpus);
        }
        String hostArchitecture = Architecture.canonicalize("host architecture", hostArch);
        ExtraSpecs flavor = ExtraSpecs.validate(flavorSpecs);
        ImageProperties image = ImageProperties.of(imageProps);
        return new RequestParser.Run(flavor, image, vcpus, memoryMb).parse(hostArchitecture, virtType);
    }

    /** One parse: the inputs and the sources recorded so far. */
    private static final class Run {
        private final ExtraSpecs flavor;
        private final ImageProperties image;
        private final int vcpus;
        private final OptionalLong memoryMb;
        private final Map<RequestSetting, String> sources = new EnumMap<>(RequestSetting.class);

        Run(ExtraSpecs flavor, ImageProperties image, int vcpus, OptionalLong memoryMb) {
            this.flavor = flavor;
            this.image = image;
            this.vcpus = vcpus;
            this.memoryMb = memoryMb;
        }

        TuningRequest parse(String hostArch, String virtType) {
            rejectManualNumaLayout();
            sources.put(RequestSetting.VCPUS, "vcpus=" + vcpus);
            Optional<CpuPolicy> explicitPolicy = cpuPolicy();
            Optional<CpuThreadPolicy> threadPolicy = threadPolicy();
            Optional<CpuSet> realtime = realtimeSet();
            Optional<CpuSet> dedicatedMask = dedicatedMask();
            Optional<EmulatorThreadsPolicy> emulatorPolicy = flavor.get("hw:emulator_threads_policy")
                    .map(v -> Policies.emulatorThreadsPolicy("hw:emulator_threads_policy", v));
            emulatorPolicy.ifPresent(p -> sources.put(RequestSetting.EMULATOR_THREADS_POLICY,
                    "hw:emulator_threads_policy=" + p.label()));
            CpuPolicy policy = resourcesPolicy(explicitPolicy, emulatorPolicy);
            checkHyperthreadingTrait(threadPolicy);
            CpuSet pinned = pinnedVcpus(policy, threadPolicy, emulatorPolicy, realtime, dedicatedMask);
            OptionalInt numaNodes = numaNodes();
            Optional<MemPageSize> pageSize = memPageSize();
            boolean locked = lockedMemory(flavor.get("hw:mem_page_size").isPresent()
                    || image.memPageSize().isPresent());
            checkMemoryPerNode(numaNodes);
            String guestArch = guestArch(hostArch);
            boolean hpet = hpet(guestArch);
            checkHypervisorType(virtType);
            return new TuningRequest(vcpus, policy, threadPolicy, pinned, realtime, emulatorPolicy, locked,
                    pageSize, numaNodes, hpet, guestArch, sources, FlavorTraits.required(flavor.asMap()), windows(),
                    memoryMb);
        }

        /** kvmtune's planner places whole guests by hw:numa_nodes; a hand-made layout would be ignored. */
        private void rejectManualNumaLayout() {
            for (var e : flavor.asMap().entrySet()) {
                if (e.getKey().startsWith("hw:numa_cpus.") || e.getKey().startsWith("hw:numa_mem.")) {
                    throw unsupportedLayout(e.getKey(), e.getValue());
                }
            }
            for (var e : image.properties().entrySet()) {
                if (e.getKey().startsWith("hw_numa_cpus.") || e.getKey().startsWith("hw_numa_mem.")) {
                    throw unsupportedLayout(e.getKey(), e.getValue());
                }
            }
        }

        private static InvalidInputException unsupportedLayout(String key, String value) {
            return new InvalidInputException("Unsupported", key, value, key + ": kvmtune does not plan"
                    + " hand-made guest NUMA layouts; use hw:numa_nodes alone (vCPUs split evenly)");
        }

        /** Nova's get_cpu_policy_constraint: a flavor policy wins, an image may only add one. */
        private Optional<CpuPolicy> cpuPolicy() {
            Optional<CpuPolicy> fromFlavor = flavor.get("hw:cpu_policy").map(v -> Policies.cpuPolicy("hw:cpu_policy", v));
            Optional<CpuPolicy> fromImage = image.cpuPolicy();
            if (fromFlavor.isPresent()) {
                CpuPolicy f = fromFlavor.get();
                CpuPolicy i = fromImage.orElse(null);
                boolean conflict = (f == CpuPolicy.MIXED && i == CpuPolicy.DEDICATED)
                        || (f == CpuPolicy.SHARED && (i == CpuPolicy.DEDICATED || i == CpuPolicy.MIXED));
                if (conflict) {
                    throw new InvalidInputException("ImageCPUPinningForbidden", "hw_cpu_policy", i.label(),
                            "hw_cpu_policy=" + i.label() + " conflicts with the flavor's hw:cpu_policy=" + f.label()
                                    + ": an image may not ask for more pinning than its flavor allows");
                }
                sources.put(RequestSetting.CPU_POLICY, "hw:cpu_policy=" + f.label());
                return fromFlavor;
            }
            fromImage.ifPresent(i -> sources.put(RequestSetting.CPU_POLICY, "hw_cpu_policy=" + i.label()));
            return fromImage;
        }

        /**
         * Nova's get_cpu_thread_policy_constraint: "flavor_policy or image_policy" when the flavor says
         * prefer or nothing, so the image decides only when the flavor is silent; a stricter flavor
         * policy and a different image policy conflict.
         */
        private Optional<CpuThreadPolicy> threadPolicy() {
            Optional<CpuThreadPolicy> fromFlavor = flavor.get("hw:cpu_thread_policy")
                    .map(v -> Policies.cpuThreadPolicy("hw:cpu_thread_policy", v));
            Optional<CpuThreadPolicy> fromImage = image.cpuThreadPolicy();
            if (fromFlavor.isEmpty() || fromFlavor.get() == CpuThreadPolicy.PREFER) {
                if (fromFlavor.isEmpty() && fromImage.isPresent()) {
                    sources.put(RequestSetting.CPU_THREAD_POLICY, "hw_cpu_thread_policy=" + fromImage.get().label());
                    return fromImage;
                }
            } else if (fromImage.isPresent() && fromImage.get() != fromFlavor.get()) {
                throw new InvalidInputException("ImageCPUThreadPolicyForbidden", "hw_cpu_thread_policy",
                        fromImage.get().label(), "hw_cpu_thread_policy=" + fromImage.get().label()
                                + " conflicts with the flavor's hw:cpu_thread_policy=" + fromFlavor.get().label());
            }
            fromFlavor.ifPresent(f -> sources.put(RequestSetting.CPU_THREAD_POLICY, "hw:cpu_thread_policy=" + f.label()));
            return fromFlavor;
        }

        /**
         * Nova's get_realtime_cpu_constraint (22.0.0+), except that no mask means {@code ^0}. The
         * checks and their order: empty set; the emulator policy value (already checked with the
         * flavor); all vCPUs realtime without an emulator policy; vCPUs outside the flavor.
         */
        private Optional<CpuSet> realtimeSet() {
            Optional<String> realtimeValue = flavor.get("hw:cpu_realtime");
            if (realtimeValue.isEmpty()) {
                return Optional.empty();
            }
            boolean enabled = NovaBoolean.parse(ExtraSpecs.VALIDATION_ERROR, "hw:cpu_realtime", realtimeValue.get());
            sources.put(RequestSetting.REALTIME, "hw:cpu_realtime=" + realtimeValue.get());
            if (!enabled) {
                return Optional.empty();
            }
            // An empty image mask falls back to the flavor's: "image is more specific" only when it says something.
            String key;
            String mask;
            if (image.realtimeMask().filter(m -> !m.isEmpty()).isPresent()) {
                key = "hw_cpu_realtime_mask";
                mask = image.realtimeMask().get();
            } else if (flavor.get("hw:cpu_realtime_mask").isPresent()) {
                key = "hw:cpu_realtime_mask";
                mask = flavor.get(key).get();
            } else {
                key = null;
                mask = "^0";
            }
            String source = key == null ? "default ^0: no hw:cpu_realtime_mask, vCPU 0 stays non-realtime"
                    : key + "=" + mask;
            sources.put(RequestSetting.REALTIME_MASK, source);
            String errorKey = key == null ? "hw:cpu_realtime_mask" : key;
            CpuSet set = VcpuMask.evaluate(errorKey, mask, vcpus);
            CpuSet all = CpuSet.firstN(vcpus);
            if (set.isEmpty()) {
                throw new InvalidInputException("RealtimeMaskNotFoundOrInvalid", errorKey, key == null ? null : mask,
                        source + " leaves no realtime vCPU among vCPUs " + all
                                + (key == null && vcpus == 1 ? "; a 1-vCPU realtime guest needs hw:cpu_realtime_mask=0"
                                        + " and hw:emulator_threads_policy" : ""));
            }
            if (set.equals(all) && flavor.get("hw:emulator_threads_policy").isEmpty()) {
                throw new InvalidInputException("RealtimeMaskNotFoundOrInvalid", errorKey, key == null ? null : mask,
                        source + " makes every vCPU realtime: realtime needs at least one non-realtime vCPU"
                                + " for the emulator threads, or hw:emulator_threads_policy=share|isolate");
            }
            if (!all.containsAll(set)) {
                throw new InvalidInputException("RealtimeMaskNotFoundOrInvalid", errorKey, mask,
                        source + " names vCPUs " + set.minus(all) + " outside the flavor's vCPUs " + all);
            }
            return Optional.of(set);
        }

        /** Nova's get_dedicated_cpu_constraint: at least one pinned and one floating vCPU, within the flavor. */
        private Optional<CpuSet> dedicatedMask() {
            Optional<String> mask = flavor.get("hw:cpu_dedicated_mask");
            if (mask.isEmpty()) {
                return Optional.empty();
            }
            String key = "hw:cpu_dedicated_mask";
            CpuSet pinned = VcpuMask.evaluate(key, mask.get(), vcpus);
            CpuSet all = CpuSet.firstN(vcpus);
            if (pinned.isEmpty() || all.minus(pinned).isEmpty()) {
                throw new InvalidInputException("InvalidMixedInstanceDedicatedMask", key, mask.get(),
                        key + "=" + mask.get() + " must leave at least one pinned and one floating vCPU among " + all);
            }
            if (!all.containsAll(pinned)) {
                throw new InvalidInputException("InvalidMixedInstanceDedicatedMask", key, mask.get(),
                        key + "=" + mask.get() + " names vCPUs " + pinned.minus(all) + " outside the flavor's vCPUs " + all);
            }
            return Optional.of(pinned);
        }

        /** Nova's resources:PCPU / resources:VCPU rules; they imply dedicated or shared. */
        private CpuPolicy resourcesPolicy(Optional<CpuPolicy> explicit, Optional<EmulatorThreadsPolicy> emulator) {
            Resource pcpu = resource("PCPU");
            Resource vcpu = resource("VCPU");
            if (explicit.isPresent() && (pcpu.given() || vcpu.given())) {
                Resource r = pcpu.given() ? pcpu : vcpu;
                throw new InvalidInputException("InvalidRequest", r.key(), r.value(), r.key() + "=" + r.value()
                        + " cannot be combined with " + sources.get(RequestSetting.CPU_POLICY) + "; use one or the other");
            }
            if (pcpu.given() && vcpu.given()) {
                throw new InvalidInputException("InvalidRequest", vcpu.key(), vcpu.value(),
                        "resources:VCPU and resources:PCPU cannot both be requested; use one or the other");
            }
            if (pcpu.given()) {
                boolean isolate = emulator.orElse(null) == EmulatorThreadsPolicy.ISOLATE;
                int expected = isolate ? vcpus + 1 : vcpus;
                if (pcpu.count() != expected) {
                    throw new InvalidInputException("InvalidRequest", pcpu.key(), pcpu.value(), pcpu.key() + "="
                            + pcpu.value() + " must be exactly " + expected + ": the flavor's " + vcpus + " vCPUs"
                            + (isolate ? " plus one for hw:emulator_threads_policy=isolate" : ""));
                }
                sources.put(RequestSetting.CPU_POLICY, pcpu.key() + "=" + pcpu.value() + " (implies dedicated)");
                return CpuPolicy.DEDICATED;
            }
            if (vcpu.given()) {
                sources.put(RequestSetting.CPU_POLICY, vcpu.key() + "=" + vcpu.value() + " (implies shared)");
                return CpuPolicy.SHARED;
            }
            if (explicit.isEmpty()) {
                sources.put(RequestSetting.CPU_POLICY, "default shared (no hw:cpu_policy)");
            }
            return explicit.orElse(CpuPolicy.SHARED);
        }

        /** The sum over {@code resources:RC} and numbered groups {@code resourcesN:RC}, as Nova counts it. */
        private Resource resource(String resourceClass) {
            String firstKey = null;
            String firstValue = null;
            long total = 0;
            for (var e : flavor.asMap().entrySet()) {
                if (isResourceKey(e.getKey(), resourceClass)) {
                    int n = ExtraSpecs.parseInt(ExtraSpecs.VALIDATION_ERROR, e.getKey(), e.getValue(), 0);
                    total += n;
                    if (firstKey == null) {
                        firstKey = e.getKey();
                        firstValue = e.getValue();
                    }
                }
            }
            return new Resource(firstKey, firstValue, total);
        }

        private static boolean isResourceKey(String key, String resourceClass) {
            String suffix = ":" + resourceClass;
            if (!key.startsWith("resources") || !key.endsWith(suffix)) {
                return false;
            }
            String group = key.substring("resources".length(), key.length() - suffix.length());
            if (group.isEmpty()) {
                return true;
            }
            if (group.charAt(0) < '1' || group.charAt(0) > '9') {
                return false;
            }
            return group.chars().allMatch(c -> c >= '0' && c <= '9');
        }

        /** {@code hw:cpu_thread_policy=isolate} and a required HW_CPU_HYPERTHREADING trait contradict. */
        private void checkHyperthreadingTrait(Optional<CpuThreadPolicy> threadPolicy) {
            if (threadPolicy.orElse(null) != CpuThreadPolicy.ISOLATE) {
                return;
            }
            String trait = "trait:HW_CPU_HYPERTHREADING";
            String value = flavor.get(trait).orElse(image.properties().get(trait));
            if ("required".equals(value)) {
                throw new InvalidInputException("InvalidRequest", trait, value, trait + "=required contradicts "
                        + sources.get(RequestSetting.CPU_THREAD_POLICY) + ", which forbids hosts' SMT siblings");
            }
        }

        /** The policy sanity checks of numa_get_constraints, then the pinned vCPUs they imply. */
        private CpuSet pinnedVcpus(CpuPolicy policy, Optional<CpuThreadPolicy> threadPolicy,
                Optional<EmulatorThreadsPolicy> emulator, Optional<CpuSet> realtime, Optional<CpuSet> dedicatedMask) {
            String policySource = sources.get(RequestSetting.CPU_POLICY);
            switch (policy) {
                case SHARED -> {
                    if (threadPolicy.isPresent()) {
                        String source = sources.get(RequestSetting.CPU_THREAD_POLICY);
                        throw new InvalidInputException("CPUThreadPolicyConfigurationInvalid",
                                source.substring(0, source.indexOf('=')), threadPolicy.get().label(),
                                source + " needs hw:cpu_policy=dedicated or mixed, not " + policySource);
                    }
                    if (emulator.orElse(null) == EmulatorThreadsPolicy.ISOLATE) {
                        throw new InvalidInputException("BadRequirementEmulatorThreadsPolicy",
                                "hw:emulator_threads_policy", "isolate", "hw:emulator_threads_policy=isolate"
                                        + " reserves a pCPU and needs hw:cpu_policy=dedicated or mixed, not " + policySource);
                    }
                    if (dedicatedMask.isPresent()) {
                        throw requiredMixed(policySource);
                    }
                    if (realtime.isPresent()) {
                        String value = flavor.get("hw:cpu_realtime").orElseThrow();
                        throw new InvalidInputException("RealtimeConfigurationInvalid", "hw:cpu_realtime", value,
                                "hw:cpu_realtime=" + value + " needs pinned vCPUs: set hw:cpu_policy=dedicated or"
                                        + " mixed (there is no implicit dedicated policy), not " + policySource);
                    }
                    return CpuSet.empty();
                }
                case DEDICATED -> {
                    if (dedicatedMask.isPresent()) {
                        throw requiredMixed(policySource);
                    }
                    sources.put(RequestSetting.PINNED_VCPUS, policySource);
                    return CpuSet.firstN(vcpus);
                }
                case MIXED -> {
                    if (realtime.isPresent() == dedicatedMask.isPresent()) {
                        throw new InvalidInputException("RequiredMixedOrRealtimeCPUMask", "hw:cpu_dedicated_mask",
                                flavor.get("hw:cpu_dedicated_mask").orElse(null), "hw:cpu_policy=mixed pins either"
                                        + " the realtime vCPUs (hw:cpu_realtime=yes with hw:cpu_realtime_mask, default ^0)"
                                        + " or hw:cpu_dedicated_mask: give exactly one of them"
                                        + (realtime.isPresent() ? ", not both" : ""));
                    }
                    sources.put(RequestSetting.PINNED_VCPUS, dedicatedMask.isPresent()
                            ? "hw:cpu_dedicated_mask=" + flavor.get("hw:cpu_dedicated_mask").orElseThrow()
                            : sources.get(RequestSetting.REALTIME_MASK));
                    return dedicatedMask.orElseGet(realtime::orElseThrow);
                }
                default -> throw new IllegalStateException(policy.toString());
            }
        }

        private InvalidInputException requiredMixed(String policySource) {
            String mask = flavor.get("hw:cpu_dedicated_mask").orElseThrow();
            return new InvalidInputException("RequiredMixedInstancePolicy", "hw:cpu_dedicated_mask", mask,
                    "hw:cpu_dedicated_mask=" + mask + " needs hw:cpu_policy=mixed, not " + policySource);
        }

        /** Flavor or image may set the node count, not both; without a manual layout vCPUs split evenly. */
        private OptionalInt numaNodes() {
            Optional<String> fromFlavor = flavor.get("hw:numa_nodes");
            if (fromFlavor.isPresent() && image.numaNodes().isPresent()) {
                throw new InvalidInputException("ImageNUMATopologyForbidden", "hw_numa_nodes",
                        Integer.toString(image.numaNodes().getAsInt()),
                        "hw_numa_nodes may not be set when the flavor sets hw:numa_nodes=" + fromFlavor.get());
            }
            String key = fromFlavor.isPresent() ? "hw:numa_nodes" : "hw_numa_nodes";
            OptionalInt nodes = fromFlavor
                    .map(v -> OptionalInt.of(ExtraSpecs.parseInt(ExtraSpecs.VALIDATION_ERROR, key, v, 1)))
                    .orElse(image.numaNodes());
            if (nodes.isEmpty()) {
                return nodes;
            }
            String source = key + "=" + nodes.getAsInt();
            if (vcpus % nodes.getAsInt() != 0) {
                throw new InvalidInputException("ImageNUMATopologyAsymmetric", key, Integer.toString(nodes.getAsInt()),
                        source + " does not divide the " + vcpus + " vCPUs evenly");
            }
            sources.put(RequestSetting.NUMA_NODES, source);
            return nodes;
        }

        /**
         * Nova's _get_numa_pagesize_constraint: the flavor decides; the image may choose only when the
         * flavor says large or any, and may not ask at all when the flavor is silent.
         */
        private Optional<MemPageSize> memPageSize() {
            Optional<String> fromFlavor = flavor.get("hw:mem_page_size");
            Optional<String> fromImage = image.memPageSize();
            if (fromFlavor.isEmpty()) {
                if (fromImage.isPresent()) {
                    throw forbidden(fromImage.get(), "<empty>");
                }
                return Optional.empty();
            }
            MemPageSize requested = MemPageSize.parse("hw:mem_page_size", fromFlavor.get());
            if (fromImage.isPresent()) {
                if (requested == null || requested.kind() == MemPageSize.Kind.SMALL
                        || requested.kind() == MemPageSize.Kind.SIZE) {
                    throw forbidden(fromImage.get(), fromFlavor.get());
                }
                MemPageSize chosen = MemPageSize.parse("hw_mem_page_size", fromImage.get());
                if (chosen != null) {
                    sources.put(RequestSetting.MEM_PAGE_SIZE, "hw_mem_page_size=" + fromImage.get()
                            + " (the flavor's hw:mem_page_size=" + fromFlavor.get() + " lets the image choose)");
                }
                return Optional.ofNullable(chosen);
            }
            if (requested != null) {
                sources.put(RequestSetting.MEM_PAGE_SIZE, "hw:mem_page_size=" + fromFlavor.get());
            }
            return Optional.ofNullable(requested);
        }

        private static InvalidInputException forbidden(String imageValue, String flavorValue) {
            return new InvalidInputException("MemoryPageSizeForbidden", "hw_mem_page_size", imageValue,
                    "Page size " + imageValue + " forbidden against '" + flavorValue + "': hw_mem_page_size may choose"
                            + " a page size only when the flavor's hw:mem_page_size is large or any");
        }

        /** Nova's _get_numa_topology_auto: every guest NUMA node gets the same whole number of MiB. */
        private void checkMemoryPerNode(OptionalInt numaNodes) {
            if (memoryMb.isEmpty()) {
                return;
            }
            sources.put(RequestSetting.MEMORY, "memory_mb=" + memoryMb.getAsLong());
            if (numaNodes.isPresent() && memoryMb.getAsLong() % numaNodes.getAsInt() != 0) {
                String key = sources.get(RequestSetting.NUMA_NODES);
                throw new InvalidInputException("ImageNUMATopologyAsymmetric", key.substring(0, key.indexOf('=')),
                        Integer.toString(numaNodes.getAsInt()), key + " does not divide the guest's memory_mb="
                                + memoryMb.getAsLong() + " evenly");
            }
        }

        /** Nova's get_locked_memory_constraint (26.0.0). */
        private boolean lockedMemory(boolean hasPageSize) {
            Optional<String> flavorValue = flavor.get("hw:locked_memory");
            Optional<Boolean> fromImage = image.lockedMemory();
            boolean locked;
            String source;
            if (flavorValue.isPresent()) {
                boolean f = NovaBoolean.parse(ExtraSpecs.VALIDATION_ERROR, "hw:locked_memory", flavorValue.get());
                if (fromImage.isPresent() && fromImage.get() != f) {
                    throw new InvalidInputException("FlavorImageLockedMemoryConflict", "hw_locked_memory",
                            image.properties().get("hw_locked_memory"), "hw_locked_memory="
                                    + image.properties().get("hw_locked_memory") + " contradicts the flavor's hw:locked_memory="
                                    + flavorValue.get());
                }
                locked = f;
                source = "hw:locked_memory=" + flavorValue.get();
            } else if (fromImage.isPresent()) {
                locked = fromImage.get();
                source = "hw_locked_memory=" + image.properties().get("hw_locked_memory");
            } else {
                return false;
            }
            if (locked && !hasPageSize) {
                String key = source.substring(0, source.indexOf('='));
                throw new InvalidInputException("LockMemoryForbidden", key, source.substring(key.length() + 1),
                        source + " needs an explicit page size (hw:mem_page_size): locked memory without one is refused");
            }
            sources.put(RequestSetting.LOCKED_MEMORY, source);
            return locked;
        }

        /** hw_emulation_architecture, else hw_architecture (or architecture), else the host's. */
        private String guestArch(String hostArch) {
            if (image.emulationArchitecture().isPresent()) {
                String arch = image.emulationArchitecture().get();
                sources.put(RequestSetting.GUEST_ARCH, "hw_emulation_architecture="
                        + image.properties().get("hw_emulation_architecture"));
                return arch;
            }
            if (image.architecture().isPresent()) {
                sources.put(RequestSetting.GUEST_ARCH, image.architecture().get().source());
                return image.architecture().get().value();
            }
            sources.put(RequestSetting.GUEST_ARCH, "host architecture " + hostArch);
            return hostArch;
        }

        /** kvmtune refuses an HPET it cannot give, where Nova only logs a warning. */
        /**
         * The image's {@code os_type}: Nova's enum (linux, windows) after lower-casing; another value
         * does not coerce, which Nova's API reports as "Invalid image metadata".
         */
        private boolean windows() {
            String value = image.properties().get("os_type");
            if (value == null) {
                return false;
            }
            String os = value.toLowerCase(java.util.Locale.ROOT);
            if (!os.equals("linux") && !os.equals("windows")) {
                throw new InvalidInputException("InvalidRequest", "os_type", value, "Invalid image metadata: os_type="
                        + value + " is not one of linux, windows");
            }
            sources.put(RequestSetting.OS_TYPE, "os_type=" + value);
            return os.equals("windows");
        }

        private boolean hpet(String guestArch) {
            if (image.hpet().isEmpty()) {
                sources.put(RequestSetting.HPET, "default off: no hw_time_hpet");
                return false;
            }
            String value = image.properties().get("hw_time_hpet");
            boolean hpet = image.hpet().get();
            if (hpet && !Architecture.isX86(guestArch)) {
                throw new InvalidInputException("HpetUnsupported", "hw_time_hpet", value, "hw_time_hpet=" + value
                        + " asks for an HPET, which only x86 guests (i686, x86_64) have; the guest architecture is "
                        + guestArch + " (" + sources.get(RequestSetting.GUEST_ARCH) + ")");
            }
            sources.put(RequestSetting.HPET, "hw_time_hpet=" + value);
            return hpet;
        }

        /** The scheduler's ImagePropertiesFilter: the image's domain type must be one this host runs. */
        private void checkHypervisorType(String virtType) {
            if (image.hypervisorType().isEmpty()) {
                return;
            }
            String wanted = image.hypervisorType().get();
            Set<String> offered = HYPERVISOR_TYPES_BY_VIRT_TYPE.getOrDefault(virtType, Set.of(virtType));
            if (!offered.contains(wanted)) {
                throw new DoesNotFitException("hypervisor_type", image.properties().get("hypervisor_type"),
                        "hypervisor_type=" + image.properties().get("hypervisor_type") + " needs a " + wanted
                                + " host; this host runs [libvirt] virt_type=" + virtType + " guests " + offered.stream().sorted().toList());
            }
        }
    }

    /** A summed resource request and the first key that contributed, for errors. */
    private record Resource(String key, String value, long count) {
        boolean given() {
            return key != null;
        }
    }
}
