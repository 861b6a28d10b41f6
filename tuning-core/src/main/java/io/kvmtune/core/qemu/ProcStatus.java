package io.kvmtune.core.qemu;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The fields of {@code /proc/<pid>/status} that kvmtune reads.
 *
 * @param tgid the thread group (process) the task belongs to
 * @param cpusAllowed the affinity mask ({@code Cpus_allowed_list})
 * @param vmLckKb locked memory in kB ({@code VmLck}); empty for kernel threads, which have no
 *     address space and so no {@code Vm*} lines
 */
public record ProcStatus(int tgid, CpuSet cpusAllowed, OptionalLong vmLckKb) {

    /**
     * Parses status text ({@code Name:\tvalue} lines). Unknown lines are ignored: the kernel adds
     * new ones over time.
     *
     * @throws ProcFormatException when {@code Tgid} or {@code Cpus_allowed_list} is missing or
     *     malformed, or {@code VmLck} is not {@code <n> kB}
     */
    public static ProcStatus parse(String text) {
        Optional<String> tgid = Optional.empty();
        Optional<String> cpus = Optional.empty();
        Optional<String> vmLck = Optional.empty();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String value = line.substring(colon + 1).strip();
            switch (line.substring(0, colon)) {
                case "Tgid" -> tgid = Optional.of(value);
                case "Cpus_allowed_list" -> cpus = Optional.of(value);
                case "VmLck" -> vmLck = Optional.of(value);
                default -> { }
            }
        }
        return new ProcStatus(
                parseTgid(tgid.orElseThrow(() -> missing("Tgid"))),
                parseCpus(cpus.orElseThrow(() -> missing("Cpus_allowed_list"))),
                vmLck.map(ProcStatus::parseKb).map(OptionalLong::of).orElse(OptionalLong.empty()));
    }

    private static int parseTgid(String value) {
        try {
            int tgid = Integer.parseInt(value);
            if (tgid > 0) {
                return tgid;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ProcFormatException("status: Tgid is \"" + ProcStat.abbreviate(value) + "\", expected a positive number");
    }

    private static CpuSet parseCpus(String value) {
        try {
            return CpuSet.parse(value);
        } catch (InvalidInputException e) {
            throw new ProcFormatException("status: Cpus_allowed_list: " + e.getMessage(), e);
        }
    }

    private static long parseKb(String value) {
        if (value.endsWith(" kB")) {
            String digits = value.substring(0, value.length() - 3).strip();
            if (!digits.isEmpty() && digits.length() < 19 && digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Long.parseLong(digits);
            }
        }
        throw new ProcFormatException("status: VmLck is \"" + ProcStat.abbreviate(value) + "\", expected \"<n> kB\"");
    }

    private static ProcFormatException missing(String field) {
        return new ProcFormatException("status: no " + field + " line");
    }
}
