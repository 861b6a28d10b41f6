package io.kvmtune.core.nova;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.core.KvmtuneException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.plan.Planner;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.plan.VcpuPlacement;
import io.kvmtune.core.spec.HostConfigReader;
import io.kvmtune.core.spec.HostPolicy;
import io.kvmtune.core.spec.RequestParser;
import io.kvmtune.core.spec.TuningRequest;
import io.kvmtune.core.topology.Core;
import io.kvmtune.core.topology.DeclaredTopology;
import io.kvmtune.core.topology.HostTopology;
import io.kvmtune.core.topology.NumaNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kvmtune's planner against Nova itself: random hosts (NUMA cells, SMT, CPU sets old and new,
 * pCPUs other guests hold) and random requests (CPU, thread and emulator policies, realtime masks,
 * NUMA nodes, image properties) go through both, and both must decide alike:
 * <ul>
 * <li>errors: both fit, or both refuse with the same exception name ({@code DoesNotFit} where
 *     Nova's {@code numa_fit_instance_to_host} finds no host cell);
 * <li>placement, where both fit a NUMA guest: the same host cell for every guest cell, the same
 *     core for every pinned vCPU and for the isolated emulator pCPU (which thread of a core comes
 *     from Python's set order in Nova, so only the core is compared), and the same huge page size
 *     (Nova's cell page size where it is above the base page, else none).
 * </ul>
 * Three hosts in four declare each node's memory and huge pages (2 MiB and 1 GiB pools, some
 * pages taken), and two requests in five ask for a page size ({@code hw:mem_page_size}, sometimes
 * narrowed by {@code hw_mem_page_size}); every request has a memory size.
 * Nova decides in {@code nova/nova_decide.py} (test resources) with Debian's python3-nova; the
 * cases are the same JSON for both. Cases on which kvmtune differs on purpose are counted apart,
 * each under the {@link Deliberate} difference it falls under; any other difference fails.
 * Seeds: {@code -Dnova.seeds=17,18,19} (default 17), {@code -Dnova.cases=300}.
 */
class NovaDifferentialIT {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    /** The differences REFERENCE.md and docs/nova-differences.md keep on purpose. */
    enum Deliberate {
        /** REFERENCE.md 1: realtime without a mask keeps vCPU 0 non-realtime ({@code ^0}). */
        REALTIME_WITHOUT_MASK,
        /**
         * docs/nova-differences.md: {@code hw:cpu_thread_policy=isolate} on an SMT cell with
         * {@code cpu_dedicated_set}: kvmtune holds the siblings idle where Nova refuses the host.
         */
        ISOLATE_ON_SMT_WITH_DEDICATED_SET,
        /**
         * docs/nova-differences.md: guest NUMA nodes that Nova backs with different page sizes
         * ({@code large} or {@code any} where the host nodes have different free pages); kvmtune
         * writes no guest NUMA cells, so one page size backs all guest memory, and it refuses.
         */
        ONE_PAGE_SIZE_PER_GUEST
    }

    @TempDir
    Path tmp;

    @Test
    void kvmtuneDecidesAsNovaOnRandomHostsAndRequests() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "no " + PYTHON + " to run Nova with");
        assumeTrue(run(List.of(PYTHON.toString(), "-c", "import nova.virt.hardware"), "").status == 0,
                "python3-nova is not installed (apt-get install python3-nova)");
        Path script = tmp.resolve("nova_decide.py");
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/nova/nova_decide.py"))) {
            Files.write(script, in.readAllBytes());
        }
        int cases = Integer.getInteger("nova.cases", 300);
        List<String> failures = new ArrayList<>();
        for (String seed : System.getProperty("nova.seeds", "17").split(",")) {
            Tally tally = compare(script, Long.parseLong(seed.strip()), cases, failures);
            System.out.println("Nova differential, seed " + seed.strip() + ": " + tally);
        }
        assertThat(failures).as("cases where kvmtune and Nova decide differently").isEmpty();
    }

    private Tally compare(Path script, long seed, int count, List<String> failures) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            cases.add(Case.random(rnd));
        }
        String input = Json.write(cases.stream().map(Case::toJson).toList());
        Result nova = run(List.of(PYTHON.toString(), script.toString()), input);
        assertThat(nova.status).as(nova.err).isZero();
        @SuppressWarnings("unchecked")
        List<Object> decisions = (List<Object>) Json.parse(nova.out);
        assertThat(decisions).hasSize(count);

        Tally tally = new Tally();
        for (int i = 0; i < count; i++) {
            Case c = cases.get(i);
            JsonObject novaSays = JsonObject.of(decisions.get(i), "$[" + i + "]");
            Decision ours = c.decideWithKvmtune();
            String novaError = novaSays.optString("error").orElse(null);
            Optional<Deliberate> deliberate = c.deliberate(novaError, ours);
            if (deliberate.isPresent()) {
                tally.deliberate.merge(deliberate.get(), 1, Integer::sum);
                continue;
            }
            tally.compared++;
            if (!Objects.equals(novaError, ours.error)) {
                failures.add("seed " + seed + " case " + i + ": Nova " + (novaError == null ? "fits" : novaError)
                        + ", kvmtune " + (ours.error == null ? "fits" : ours.error + " (" + ours.message + ")")
                        + "\n  " + Json.write(c.toJson()));
                continue;
            }
            tally.errorsAgree++;
            tally.outcomes.merge(novaError == null ? (novaSays.bool("numa") ? "fits, NUMA" : "fits, floating")
                    : novaError, 1, Integer::sum);
            if (novaError == null && novaSays.bool("numa") && hugePages(novaSays)) {
                tally.hugePagesPlaced++;
            }
            if (novaError == null && novaSays.bool("numa") && ours.plan != null) {
                tally.placed++;
                String diff = c.placementDifference(novaSays, ours.plan);
                if (diff == null) {
                    tally.placementsAgree++;
                } else {
                    failures.add("seed " + seed + " case " + i + ": " + diff + "\n  " + Json.write(c.toJson())
                            + "\n  Nova: " + Json.write(decisions.get(i)));
                }
            }
        }
        return tally;
    }

    private static boolean hugePages(JsonObject novaSays) {
        Object page = novaSays.objects("cells").getFirst().get("pagesize");
        return page instanceof Long kib && kib > 4;
    }

    /** What one seed gave. */
    private static final class Tally {
        int compared;
        int errorsAgree;
        int placed;
        int placementsAgree;
        int hugePagesPlaced;
        final Map<Deliberate, Integer> deliberate = new LinkedHashMap<>();
        final Map<String, Integer> outcomes = new java.util.TreeMap<>();

        @Override
        public String toString() {
            return String.format("errors agree on %d of %d (%.1f %%), placements agree on %d of %d (%.1f %%), %d of"
                    + " them in huge pages; left out as deliberate differences: %s; agreed outcomes: %s", errorsAgree,
                    compared, 100.0 * errorsAgree / compared, placementsAgree, placed,
                    placed == 0 ? 100.0 : 100.0 * placementsAgree / placed, hugePagesPlaced, deliberate, outcomes);
        }
    }

    /** kvmtune's decision: an error code, or a plan. */
    private record Decision(String error, String message, TuningPlan plan) {
    }

    /** One random host and request, as JSON for Nova and as inputs for kvmtune. */
    private record Case(HostTopology topology, String topologyJson, Map<String, String> conf, CpuSet claimed,
            int vcpus, long memoryMb, Map<String, String> flavor, Map<String, String> image) {

        static Case random(SplittableRandom rnd) {
            int nodes = 1 + rnd.nextInt(3);
            int coresPerNode = 1 + rnd.nextInt(6);
            int threads = 1 + rnd.nextInt(2);
            int cpus = nodes * coresPerNode * threads;
            // Siblings numbered as Linux numbers them on many hosts: core c's threads are c and c + cores.
            int cores = nodes * coresPerNode;
            StringBuilder nodeJson = new StringBuilder();
            StringBuilder coreJson = new StringBuilder();
            for (int n = 0; n < nodes; n++) {
                CpuSet nodeCpus = CpuSet.empty();
                for (int c = n * coresPerNode; c < (n + 1) * coresPerNode; c++) {
                    CpuSet core = CpuSet.empty();
                    for (int t = 0; t < threads; t++) {
                        core = core.with(c + t * cores);
                    }
                    nodeCpus = nodeCpus.union(core);
                    coreJson.append(coreJson.isEmpty() ? "" : ", ").append(core.stream().boxed().toList());
                }
                nodeJson.append(n == 0 ? "" : ", ").append("{\"id\": ").append(n).append(", \"cpus\": \"")
                        .append(nodeCpus.format()).append("\"%s}");
            }

            Map<String, String> conf = new LinkedHashMap<>();
            CpuSet all = CpuSet.range(0, cpus - 1);
            switch (rnd.nextInt(6)) {
                case 0 -> { // the modern split
                    CpuSet shared = randomSubset(rnd, all, 1 + rnd.nextInt(Math.max(1, cpus / 2)));
                    if (!all.minus(shared).isEmpty()) {
                        conf.put("cpu_dedicated_set", all.minus(shared).format());
                    }
                    conf.put("cpu_shared_set", shared.format());
                }
                case 1 -> conf.put("cpu_dedicated_set", randomSubset(rnd, all, 1 + rnd.nextInt(cpus)).format());
                case 2 -> conf.put("cpu_shared_set", randomSubset(rnd, all, 1 + rnd.nextInt(cpus)).format());
                case 3 -> conf.put("vcpu_pin_set", randomSubset(rnd, all, 1 + rnd.nextInt(cpus)).format());
                case 4 -> {
                    conf.put("vcpu_pin_set", randomSubset(rnd, all, 1 + rnd.nextInt(cpus)).format());
                    conf.put("cpu_shared_set", randomSubset(rnd, all, 1).format());
                }
                default -> {
                    // no set at all
                }
            }
            if (rnd.nextInt(5) == 0) {
                conf.put("packing", "true");
            }
            CpuSet claimed = rnd.nextInt(3) == 0 ? CpuSet.empty() : randomSubset(rnd, all, rnd.nextInt(cpus / 3 + 1));

            int vcpus = 1 + rnd.nextInt(6);
            Map<String, String> flavor = new LinkedHashMap<>();
            Map<String, String> image = new LinkedHashMap<>();
            String policy = switch (rnd.nextInt(5)) {
                case 0 -> null;
                case 1 -> "shared";
                case 2, 3 -> "dedicated";
                default -> vcpus > 1 ? "mixed" : "dedicated";
            };
            if (policy != null) {
                flavor.put("hw:cpu_policy", policy);
            } else if (rnd.nextInt(4) == 0) {
                image.put("hw_cpu_policy", rnd.nextInt(4) == 0 ? "exclusive" : "dedicated");
            }
            boolean pinned = "dedicated".equals(policy) || "mixed".equals(policy)
                    || "dedicated".equals(image.get("hw_cpu_policy"));
            if (pinned && rnd.nextInt(3) == 0) {
                flavor.put("hw:cpu_thread_policy", List.of("prefer", "isolate", "require").get(rnd.nextInt(3)));
            }
            if (pinned && rnd.nextInt(6) == 0) {
                image.put("hw_cpu_thread_policy", List.of("prefer", "isolate", "require", "Isolate").get(rnd.nextInt(4)));
            }
            if (rnd.nextInt(3) == 0) {
                flavor.put("hw:emulator_threads_policy", rnd.nextBoolean() ? "isolate" : "share");
            }
            boolean realtime = pinned && vcpus > 1 && rnd.nextInt(3) == 0;
            if (realtime) {
                flavor.put("hw:cpu_realtime", "yes");
                if (rnd.nextInt(6) != 0) {
                    flavor.put("hw:cpu_realtime_mask", "^0");
                }
            }
            if ("mixed".equals(policy) && !flavor.containsKey("hw:cpu_realtime_mask")) {
                CpuSet mask = randomSubset(rnd, CpuSet.range(0, vcpus - 1), 1 + rnd.nextInt(vcpus - 1));
                flavor.put("hw:cpu_dedicated_mask", mask.format());
            }
            if (rnd.nextInt(3) == 0) {
                int n = 1 + rnd.nextInt(3);
                if (vcpus % n == 0) {
                    flavor.put("hw:numa_nodes", Integer.toString(n));
                }
            }
            long memoryMb = List.of(256L, 512L, 1024L, 1536L, 2048L, 3072L, 8192L).get(rnd.nextInt(7));
            if (rnd.nextInt(5) < 2) {
                flavor.put("hw:mem_page_size", List.of("small", "large", "any", "2048", "2MB", "1GB", "1048576", "4",
                        "4096", "2M").get(rnd.nextInt(10)));
                if (rnd.nextInt(4) == 0) {
                    image.put("hw_mem_page_size", List.of("2048", "1GiB", "small", "large", "2M").get(rnd.nextInt(5)));
                }
            }
            // Memory and huge pages per node, or none declared (Nova: no page sizes, ample memory).
            Object[] nodeMemory = new Object[nodes];
            boolean declareMemory = rnd.nextInt(4) != 0;
            for (int n = 0; n < nodes; n++) {
                if (!declareMemory) {
                    nodeMemory[n] = "";
                    continue;
                }
                long mb = List.of(4096L, 8192L, 16384L).get(rnd.nextInt(3));
                StringBuilder pools = new StringBuilder();
                if (rnd.nextInt(5) != 0) {
                    long total = rnd.nextInt((int) (mb / 2 / 2) + 1); // at most half the node
                    long free = total == 0 ? 0 : total - rnd.nextInt((int) total + 1) / (1 + rnd.nextInt(4));
                    pools.append("{\"size_kb\": 2048, \"total\": ").append(total).append(", \"free\": ").append(free)
                            .append('}');
                }
                if (rnd.nextInt(5) < 2) {
                    long total = rnd.nextInt((int) (mb / 1024 / 4) + 1);
                    long free = total == 0 ? 0 : rnd.nextInt((int) total + 1);
                    pools.append(pools.isEmpty() ? "" : ", ").append("{\"size_kb\": 1048576, \"total\": ").append(total)
                            .append(", \"free\": ").append(free).append('}');
                }
                nodeMemory[n] = ", \"memory_mb\": " + mb + (pools.isEmpty() ? "" : ", \"hugepages\": [" + pools + "]");
            }
            String json = "{\"online\": \"0-" + (cpus - 1) + "\", \"nodes\": [" + nodeJson.toString().formatted(nodeMemory)
                    + "], \"cores\": [" + coreJson + "], \"arch\": \"x86_64\"}";
            return new Case(DeclaredTopology.parse(json), json, conf, claimed, vcpus, memoryMb, flavor, image);
        }

        private static CpuSet randomSubset(SplittableRandom rnd, CpuSet from, int size) {
            List<Integer> cpus = new ArrayList<>(from.stream().boxed().toList());
            CpuSet out = CpuSet.empty();
            for (int i = 0; i < size && !cpus.isEmpty(); i++) {
                out = out.with(cpus.remove(rnd.nextInt(cpus.size())));
            }
            return out;
        }

        Object toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            List<Object> cells = new ArrayList<>();
            for (NumaNode node : topology.nodes()) {
                List<Object> siblings = new ArrayList<>();
                for (Core core : topology.cores()) {
                    if (node.cpus().containsAll(core.threads())) {
                        siblings.add(core.threads().stream().boxed().toList());
                    }
                }
                Map<String, Object> cell = new LinkedHashMap<>();
                cell.put("id", node.id());
                cell.put("cpus", node.cpus().stream().boxed().toList());
                cell.put("siblings", siblings);
                node.memory().ifPresent(memory -> {
                    cell.put("memory_mb", memory.totalKib() / 1024);
                    cell.put("hugepages", memory.pages().subList(1, memory.pages().size()).stream()
                            .map(p -> List.of(p.sizeKib(), p.total(), p.free())).toList());
                });
                cells.add(cell);
            }
            m.put("cells", cells);
            m.put("online", topology.online().stream().boxed().toList());
            Map<String, Object> c = new LinkedHashMap<>(conf);
            c.put("packing", "true".equals(conf.get("packing")));
            m.put("conf", c);
            m.put("claimed", claimed.stream().boxed().toList());
            m.put("vcpus", vcpus);
            m.put("memory_mb", memoryMb);
            m.put("flavor", flavor);
            m.put("image", image);
            return m;
        }

        /** The same host configuration in nova.conf syntax, read by kvmtune's own reader. */
        String novaConf() {
            StringBuilder s = new StringBuilder();
            if (conf.containsKey("vcpu_pin_set")) {
                s.append("[DEFAULT]\nvcpu_pin_set = ").append(conf.get("vcpu_pin_set")).append('\n');
            }
            s.append("[compute]\n");
            for (String key : List.of("cpu_dedicated_set", "cpu_shared_set")) {
                if (conf.containsKey(key)) {
                    s.append(key).append(" = ").append(conf.get(key)).append('\n');
                }
            }
            if (conf.containsKey("packing")) {
                s.append("packing_host_numa_cells_allocation_strategy = True\n");
            }
            return s.toString();
        }

        Decision decideWithKvmtune() {
            try {
                HostPolicy policy = HostConfigReader.parse(novaConf(), "case.conf", topology.online());
                TuningRequest request = RequestParser.parse(flavor, image, vcpus, OptionalLong.of(memoryMb), "x86_64",
                        "kvm");
                return new Decision(null, null, Planner.plan(request, policy, topology, claimed));
            } catch (KvmtuneException e) {
                return new Decision(e.code(), e.getMessage(), null);
            }
        }

        /** The deliberate difference this case falls under, if the two disagree because of it. */
        Optional<Deliberate> deliberate(String novaError, Decision ours) {
            if ("yes".equals(flavor.get("hw:cpu_realtime")) && !flavor.containsKey("hw:cpu_realtime_mask")) {
                return Optional.of(Deliberate.REALTIME_WITHOUT_MASK);
            }
            boolean isolate = "isolate".equals(flavor.get("hw:cpu_thread_policy"))
                    || (!flavor.containsKey("hw:cpu_thread_policy") && "isolate".equals(image.get("hw_cpu_thread_policy")));
            if (isolate && "DoesNotFit".equals(novaError) && ours.error == null && splitSmtCell()) {
                return Optional.of(Deliberate.ISOLATE_ON_SMT_WITH_DEDICATED_SET);
            }
            if (novaError == null && "DoesNotFit".equals(ours.error) && ours.message.contains("one page size")) {
                return Optional.of(Deliberate.ONE_PAGE_SIZE_PER_GUEST);
            }
            return Optional.empty();
        }

        /**
         * Whether some cell has SMT and different dedicated and shared CPUs (Nova's bug 1889633
         * check), with the CPU sets as Nova's driver derives them from the configuration.
         */
        private boolean splitSmtCell() {
            CpuSet online = topology.online();
            CpuSet pinSet = set("vcpu_pin_set");
            CpuSet sharedSet = set("cpu_shared_set");
            CpuSet dedicatedSet = set("cpu_dedicated_set");
            CpuSet shared = pinSet != null ? pinSet : sharedSet != null ? sharedSet
                    : dedicatedSet != null ? CpuSet.empty() : online;
            CpuSet dedicated = dedicatedSet != null ? dedicatedSet
                    : sharedSet != null && pinSet == null ? CpuSet.empty() : shared;
            CpuSet usable = shared.union(dedicated);
            for (NumaNode node : topology.nodes()) {
                boolean smt = topology.cores().stream()
                        .anyMatch(c -> c.threads().intersect(node.cpus()).intersect(usable).size() > 1);
                if (smt && !node.cpus().intersect(shared).equals(node.cpus().intersect(dedicated))) {
                    return true;
                }
            }
            return false;
        }

        private CpuSet set(String key) {
            return conf.containsKey(key) ? CpuSet.parse(conf.get(key)) : null;
        }

        /** Null when Nova's cells and kvmtune's plan put every guest cell and pinned vCPU alike, else how they differ. */
        String placementDifference(JsonObject nova, TuningPlan plan) {
            List<JsonObject> cells = nova.objects("cells");
            int perCell = vcpus / cells.size();
            Object novaPage = cells.getFirst().get("pagesize");
            long novaHuge = novaPage instanceof Long kib && kib > 4 ? kib : 0;
            if (novaHuge != plan.memory().hugePageKib()) {
                return "huge pages: Nova " + novaHuge + " KiB, kvmtune " + plan.memory().hugePageKib() + " KiB";
            }
            for (int g = 0; g < cells.size(); g++) {
                JsonObject cell = cells.get(g);
                int novaNode = (int) cell.integer("host");
                VcpuPlacement first = plan.vcpus().get(g * perCell);
                int ourNode = nodeOf(first.pcpus().first());
                if (novaNode != ourNode) {
                    return "guest cell " + g + ": Nova host cell " + novaNode + ", kvmtune " + ourNode;
                }
                JsonObject pinning = cell.object("pinning");
                for (String vcpu : pinning.fields().keySet()) {
                    int novaPcpu = (int) pinning.integer(vcpu);
                    VcpuPlacement ours = plan.vcpus().get(Integer.parseInt(vcpu));
                    if (!ours.pinned() || coreOf(ours.pcpus().first()) != coreOf(novaPcpu)) {
                        return "vCPU " + vcpu + ": Nova pCPU " + novaPcpu + ", kvmtune " + ours.pcpus();
                    }
                }
                List<Object> reserved = cell.array("reserved");
                if (!reserved.isEmpty()) {
                    int novaEmulator = ((Number) reserved.getFirst()).intValue();
                    if (plan.isolatedEmulatorPcpu().isEmpty()
                            || coreOf(plan.isolatedEmulatorPcpu().getAsInt()) != coreOf(novaEmulator)) {
                        return "emulator: Nova pCPU " + novaEmulator + ", kvmtune " + plan.isolatedEmulatorPcpu();
                    }
                }
            }
            return null;
        }

        private int nodeOf(int cpu) {
            return topology.nodes().stream().filter(n -> n.cpus().contains(cpu)).findFirst().orElseThrow().id();
        }

        private int coreOf(int cpu) {
            List<Core> cores = topology.cores();
            for (int c = 0; c < cores.size(); c++) {
                if (cores.get(c).threads().contains(cpu)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("pCPU " + cpu + " is on no core");
        }
    }

    private record Result(int status, String out, String err) {
    }

    private Result run(List<String> command, String stdin) throws IOException {
        Path err = Files.createTempFile(tmp, "stderr", ".txt");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            return new Result(p.waitFor(), out, Files.readString(err));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
