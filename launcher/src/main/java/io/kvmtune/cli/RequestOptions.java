package io.kvmtune.cli;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.claims.ClaimsLedger;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.spec.RequestSetting;
import io.kvmtune.core.spec.TuningRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine.Option;

/** The guest request and host inputs shared by plan, apply and xml (CLI.md, "Request options"). */
public final class RequestOptions {

    @Option(names = "--vcpus", paramLabel = "N", description = "Number of guest vCPUs.")
    Integer vcpus;

    @Option(names = "--memory-mb", paramLabel = "MIB",
            description = "Guest memory in MiB (the flavor's memory_mb); needed with hw:mem_page_size.")
    Long memoryMb;

    @Option(names = "--flavor-spec", paramLabel = "KEY=VALUE",
            description = "Flavor extra spec, e.g. hw:cpu_realtime=yes (repeatable).")
    List<String> flavorSpecs = new ArrayList<>();

    @Option(names = "--image-prop", paramLabel = "KEY=VALUE",
            description = "Image property, e.g. hw_time_hpet=true (repeatable).")
    List<String> imageProps = new ArrayList<>();

    @Option(names = "--topology", paramLabel = "sysfs|FILE.json", defaultValue = "sysfs",
            description = "Host topology: sysfs (this host, default) or a declared topology JSON file.")
    String topology;

    @Option(names = "--claims", paramLabel = "FILE|none",
            description = "Claims ledger of pCPUs already held by other guests (default /run/kvmtune/claims.json), or none.")
    String claims;

    /** @throws InvalidInputException when {@code --vcpus} is missing or not positive */
    public int vcpus() {
        if (vcpus == null) {
            throw InvalidInputException.invalid("--vcpus", null, "--vcpus N is required");
        }
        if (vcpus < 1) {
            throw InvalidInputException.invalid("--vcpus", vcpus.toString(), "--vcpus must be at least 1, not " + vcpus);
        }
        return vcpus;
    }

    /** {@code --vcpus} when given, else {@code fallback} (the vCPU count of a running guest or domain XML). */
    public int vcpusOr(int fallback) {
        return vcpus == null ? fallback : vcpus();
    }

    /** Whether any request option was given (they exclude {@code --plan FILE}). */
    public boolean given() {
        return vcpus != null || memoryMb != null || !flavorSpecs.isEmpty() || !imageProps.isEmpty();
    }

    /** {@code --memory-mb}, if given. */
    public OptionalLong memoryMb() {
        return memoryMb == null ? OptionalLong.empty() : OptionalLong.of(memoryMb);
    }

    /** {@code --memory-mb} when given, else {@code fallback} (a domain XML's {@code <memory>}). */
    public OptionalLong memoryMbOr(OptionalLong fallback) {
        return memoryMb == null ? fallback : memoryMb();
    }

    public Map<String, String> flavorSpecs() {
        return pairs("--flavor-spec", flavorSpecs);
    }

    public Map<String, String> imageProps() {
        return pairs("--image-prop", imageProps);
    }

    /** The declared topology file, or empty for this host's sysfs. */
    public Optional<Path> topologyFile() {
        return topology.equals("sysfs") ? Optional.empty() : Optional.of(Path.of(topology));
    }

    /** The claims ledger to respect, or empty for {@code --claims none}. */
    public Optional<Path> claimsFile() {
        if (claims == null) {
            return Optional.of(ClaimsLedger.DEFAULT_PATH);
        }
        return claims.equals("none") ? Optional.empty() : Optional.of(Path.of(claims));
    }

    /** The claims ledger to respect: {@code --claims}, else {@code fallback}; empty for {@code --claims none}. */
    public Optional<Path> claimsFileOr(Path fallback) {
        return claims == null ? Optional.of(fallback) : claimsFile();
    }

    /** The host this request is planned on: {@code --topology} and the configuration file. */
    public HostInputs host(Optional<Path> config) {
        return HostInputs.read(config, topologyFile(), Path.of("/"));
    }

    /**
     * The plan for the request these options give on {@code host}, around the pCPUs other guests
     * hold.
     *
     * @throws InvalidInputException when {@code --vcpus} is missing or the request is invalid
     */
    public TuningPlan plan(HostInputs host) {
        TuningRequest request = host.request(flavorSpecs(), imageProps(), vcpus(), memoryMb());
        if (request.memPageSize().isPresent() && memoryMb == null) {
            throw InvalidInputException.invalid("--memory-mb", null, request.source(RequestSetting.MEM_PAGE_SIZE)
                    + " needs the guest's memory size to check the host's free pages of that size: add --memory-mb MIB");
        }
        return host.plan(request, claimedByOthers());
    }

    /** The pCPUs other guests hold, from {@code --claims} (none for {@code --claims none}). */
    public CpuSet claimedByOthers() {
        return claimedByOthers(Optional.empty());
    }

    /** The pCPUs guests other than domain {@code ownUuid} hold (its own claim is not in the way of its plan). */
    public CpuSet claimedByOthers(Optional<String> ownUuid) {
        return claimsFile().map(f -> ClaimsLedger.at(f).claimedPcpus(ownUuid.orElse(null))).orElse(CpuSet.empty());
    }

    /** KEY=VALUE items split at the first '=', keeping their order; a key given twice is an error. */
    private static Map<String, String> pairs(String option, List<String> items) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : items) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw InvalidInputException.invalid(option, item, option + " takes KEY=VALUE, not '" + item + "'");
            }
            String key = item.substring(0, eq).strip();
            if (out.putIfAbsent(key, item.substring(eq + 1).strip()) != null) {
                throw InvalidInputException.invalid(key, item, option + " " + key + " is given twice");
            }
        }
        return out;
    }
}
