package io.kvmtune.cli.hook;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.libvirt.StartSettingsCheck.Difference;
import io.kvmtune.core.libvirt.StartSettingsCheck.Setting;
import io.kvmtune.core.spec.IniConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the {@code prepare} hook does when the domain XML would start QEMU otherwise than the plan
 * (HPET, guest CPU, locked memory): refuse the start, unless the host configuration lets that
 * setting through with a logged warning: {@code [hook] start_settings_warn_only = hpet, cpu,
 * locked_memory}, {@code hugepages} (any of them, or {@code all}).
 *
 * @param warnOnly the settings that only warn
 * @param source the configuration file, for messages
 */
record StartSettingsPolicy(Set<Setting> warnOnly, String source) {

    static final String SECTION = "hook";
    static final String KEY = "start_settings_warn_only";

    /** @throws InvalidInputException (key {@code start_settings_warn_only}) naming an unknown setting */
    static StartSettingsPolicy read(Optional<Path> configFile) {
        if (configFile.isEmpty()) {
            return new StartSettingsPolicy(Set.of(), "(no configuration file)");
        }
        String text;
        try {
            text = Files.readString(configFile.get());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + configFile.get(), e);
        }
        IniConfig config = IniConfig.parse(text, configFile.get().toString());
        Set<Setting> warnOnly = EnumSet.noneOf(Setting.class);
        for (String item : config.get(SECTION, KEY).orElse("").split(",")) {
            String word = item.strip().toLowerCase(Locale.ROOT);
            if (word.isEmpty()) {
                continue;
            }
            if (word.equals("all")) {
                warnOnly.addAll(EnumSet.allOf(Setting.class));
                continue;
            }
            warnOnly.add(EnumSet.allOf(Setting.class).stream().filter(s -> s.key().equals(word)).findFirst()
                    .orElseThrow(() -> InvalidInputException.invalid(KEY, item.strip(), config.where(SECTION, KEY)
                            + ": '" + item.strip() + "' is not one of hpet, cpu, locked_memory, hugepages, all")));
        }
        return new StartSettingsPolicy(warnOnly, configFile.get().toString());
    }

    /**
     * Logs the differences this policy lets through and refuses the rest.
     *
     * @throws InvalidInputException (code {@code StartSettingsDiffer}, exit 2) naming each refused
     *     difference and the fix
     */
    void check(List<Difference> differences, HookLog log) {
        List<Difference> refused = differences.stream().filter(d -> !warnOnly.contains(d.setting())).toList();
        differences.stream().filter(d -> warnOnly.contains(d.setting())).forEach(d -> log.action("warning: " + d
                + " (the guest starts so: " + KEY + " in " + source + ")"));
        if (!refused.isEmpty()) {
            throw new InvalidInputException("StartSettingsDiffer", refused.getFirst().setting().key(), null,
                    "the domain XML would start QEMU otherwise than the plan, and a hook cannot change it: "
                            + refused.stream().map(Difference::message).collect(Collectors.joining("; "))
                            + ". Write the plan's settings into the domain with `kvmtune xml --domain-xml FILE` and"
                            + " `virsh define`, or let them through with a warning: [" + SECTION + "] " + KEY + " = "
                            + refused.stream().map(d -> d.setting().key()).distinct().collect(Collectors.joining(", "))
                            + " in " + source);
        }
    }
}
