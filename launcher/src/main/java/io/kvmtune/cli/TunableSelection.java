package io.kvmtune.cli;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.hostprep.HostPrep;
import io.kvmtune.hostprep.check.Partition;
import io.kvmtune.hostprep.tune.TunableOptions;
import io.kvmtune.hostprep.tune.TunablePlan;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** Which runtime settings {@code hostprep plan} and {@code apply} take on: all by default, or those named. */
final class TunableSelection {

    /** A cgroup below the v2 mount: absolute, no empty, {@code .} or {@code ..} component. */
    private static final Pattern CGROUP = Pattern.compile("(/(?!\\.{1,2}(?:/|$))[^/\\s]+)+");

    @Option(names = "--only", paramLabel = "ID",
            description = "Only this setting, by the id plan prints (repeatable), e.g. sysctl.kernel.timer_migration.")
    List<String> only = List.of();

    @Option(names = "--isolate-cgroup", paramLabel = "GROUP",
            description = "Also make this existing cgroup v2 group (e.g. /rt.slice) an isolated cpuset partition of "
                    + "the dedicated CPUs; its CPUs leave every other cgroup, so the guests must run inside it.")
    String isolateCgroup;

    /** The settings that differ from what {@code partition} wants, narrowed to {@code --only}. */
    TunablePlan plan(HostPrep host, Partition partition) {
        if (isolateCgroup != null && !CGROUP.matcher(isolateCgroup).matches()) {
            throw InvalidInputException.invalid("--isolate-cgroup", isolateCgroup, "--isolate-cgroup must be a cgroup path "
                    + "below the cgroup v2 mount such as /rt.slice, not '" + isolateCgroup + "'");
        }
        TunablePlan plan = host.plan(partition, new TunableOptions(Optional.ofNullable(isolateCgroup)));
        return only.isEmpty() ? plan : plan.only(new LinkedHashSet<>(only));
    }
}
