package io.kvmtune.hostprep.inventory;

import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.hostprep.sys.Fact;
import io.kvmtune.hostprep.sys.KernelCmdline;
import io.kvmtune.hostprep.sys.KernelVersion;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The running kernel: release, preemption model, command line and build configuration.
 *
 * @param procVersion {@code /proc/version}
 * @param version the release, from OSHI or {@code /proc/sys/kernel/osrelease}
 * @param preemption the model named in {@code /proc/version}
 * @param realtimeFile {@code /sys/kernel/realtime}: exists (= 1) only on kernels with the RT patch set
 * @param dynamicPreempt the current mode of a {@code PREEMPT_DYNAMIC} kernel (debugfs {@code sched/preempt})
 * @param cmdline {@code /proc/cmdline}
 * @param config the build configuration ({@code /proc/config.gz} or {@code /boot/config-RELEASE}),
 *     option name (with {@code CONFIG_}) to value; unset options are absent
 */
public record KernelInfo(Fact<String> procVersion, Fact<KernelVersion> version, PreemptModel preemption,
        Fact<String> realtimeFile, Fact<String> dynamicPreempt, Fact<KernelCmdline> cmdline,
        Fact<Map<String, String>> config) implements JsonWritable {

    /** True on a {@code PREEMPT_RT} kernel, mainline (6.12+) or patched. */
    public boolean preemptRt() {
        return preemption == PreemptModel.RT || realtimeFile.value().map("1"::equals).orElse(false);
    }

    /** A config option's value ({@code y}, {@code m}, a number); empty when unset or the config is unknown. */
    public Optional<String> configOption(String name) {
        return config.value().map(c -> c.get(name));
    }

    /** The command line, or an empty one when it could not be read. */
    public KernelCmdline cmdlineOrEmpty() {
        return cmdline.value().orElse(KernelCmdline.parse(""));
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("release", version);
        m.put("version", procVersion);
        m.put("preemption", preemption);
        m.put("preempt_rt", preemptRt());
        m.put("dynamic_preempt", dynamicPreempt);
        m.put("cmdline", cmdline.value().<Object>map(KernelCmdline::text).orElse(cmdline));
        m.put("config", config.value().<Object>map(c -> "read (" + c.size() + " options)").orElse(config));
        return m;
    }
}
