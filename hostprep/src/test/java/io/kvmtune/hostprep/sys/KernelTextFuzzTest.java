package io.kvmtune.hostprep.sys;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.hostprep.inventory.PreemptModel;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The text hostprep reads from /proc and /sys is the kernel's, but the boot loader and any root
 * process can write what ends up there: every parser must answer with a value or its documented
 * exception, nothing else, and what it accepts must mean what it says.
 */
class KernelTextFuzzTest {

    private static final Pattern MASK = Pattern.compile("(0[xX])?[0-9a-fA-F]{1,8}(,[0-9a-fA-F]{1,8})*");
    private static final List<String> CPU_LIST_PARAMS = List.of("nohz_full", "rcu_nocbs", "irqaffinity");

    @FuzzTest(maxDuration = "20s")
    void aCpumaskParsesToTheBitsItNamesOrIsInvalidInput(FuzzedDataProvider data) {
        String mask = data.consumeRemainingAsString();
        CpuSet cpus;
        try {
            cpus = CpuMasks.parse(mask);
        } catch (InvalidInputException expected) {
            return;
        }
        if (!MASK.matcher(mask.strip()).matches()) {
            throw new AssertionError("accepted a mask that is not comma-separated hex groups: '" + mask + "'");
        }
        if (!CpuMasks.parse(CpuMasks.format(cpus)).equals(cpus)) {
            throw new AssertionError("format does not read back: '" + mask + "' -> " + CpuMasks.format(cpus));
        }
    }

    @FuzzTest(maxDuration = "20s")
    void theKernelCommandLineAlwaysSplitsAndItsCpuParametersParseOrAreInvalidInput(FuzzedDataProvider data) {
        KernelCmdline cmdline = KernelCmdline.parse(data.consumeRemainingAsString());
        cmdline.has("nosoftlockup");
        cmdline.has("skew_tick=1");
        for (String param : CPU_LIST_PARAMS) {
            try {
                cmdline.cpus(param);
            } catch (InvalidInputException e) {
                if (!param.equals(e.key())) {
                    throw new AssertionError("error on " + param + " is keyed " + e.key(), e);
                }
            }
        }
        Optional<IsolCpus> isolcpus;
        try {
            isolcpus = cmdline.isolcpus();
        } catch (InvalidInputException e) {
            if (!"isolcpus".equals(e.key())) {
                throw new AssertionError("isolcpus error is keyed " + e.key(), e);
            }
            return;
        }
        isolcpus.ifPresent(iso -> {
            if (iso.flags().isEmpty() || !IsolCpus.parse(iso.format()).equals(iso)) {
                throw new AssertionError("isolcpus does not read back from its own format: " + iso.format());
            }
        });
    }

    @FuzzTest(maxDuration = "20s")
    void aKernelReleaseParsesOrIsAnIllegalArgumentAndThePreemptionModelIsAlwaysKnown(FuzzedDataProvider data) {
        boolean procVersion = data.consumeBoolean();
        String text = data.consumeRemainingAsString();
        try {
            KernelVersion v = procVersion ? KernelVersion.fromProcVersion(text) : KernelVersion.parse(text);
            if (v.major() < 0 || v.minor() < 0 || v.patch() < 0 || !v.atLeast(v.major(), v.minor())) {
                throw new AssertionError("nonsense version " + v.major() + "." + v.minor() + "." + v.patch() + " from " + text);
            }
        } catch (IllegalArgumentException expected) {
            if (expected instanceof NumberFormatException) {
                throw new AssertionError("a number escaped the release pattern: '" + text + "'", expected);
            }
        }
        if (PreemptModel.fromVersion(text) == null) {
            throw new AssertionError("no preemption model for '" + text + "'");
        }
    }

    /**
     * {@code /proc/irq/N/smp_affinity} and {@code default_smp_affinity} are masks,
     * {@code smp_affinity_list} and {@code effective_affinity_list} cpu lists: the inventory reads
     * each into a {@link Fact} that is known or says why not, and never throws.
     */
    @FuzzTest(maxDuration = "20s")
    void irqAffinityFilesBecomeAKnownOrUnknownFactAndNeverThrow(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        Fact<CpuSet> mask = Fact.parse("/proc/irq/24/smp_affinity", text, CpuMasks::parse);
        Fact<CpuSet> list = Fact.parse("/proc/irq/24/smp_affinity_list", text, CpuSet::parse);
        mask.describe();
        list.describe();
        list.value().ifPresent(cpus -> {
            if (!CpuMasks.parse(CpuMasks.format(cpus)).equals(cpus)) {
                throw new AssertionError("list " + cpus + " does not survive the mask format");
            }
        });
    }

    @FuzzTest(maxDuration = "20s")
    void theEffectiveUidIsTheSecondUidOrUnknown(FuzzedDataProvider data) {
        String status = data.consumeRemainingAsString();
        EffectiveUid.parse(status).ifPresent(uid -> {
            if (uid < 0) {
                throw new AssertionError("negative uid " + uid + " from " + status);
            }
        });
        try {
            SelectedWord.of(status);
        } catch (IllegalArgumentException expected) {
            // the documented answer when no word is bracketed
        }
    }
}
