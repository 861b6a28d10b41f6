package io.kvmtune.cli;

import io.kvmtune.cli.hook.HookSettings;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kvmtune}: the top-level command; it only dispatches to its subcommands, which {@link Cli} adds. */
@Command(name = "kvmtune",
        mixinStandardHelpOptions = true,
        versionProvider = KvmtuneCommand.VersionLine.class,
        scope = picocli.CommandLine.ScopeType.INHERIT,
        description = "Host-side tuning of KVM/QEMU guests: Nova-compatible realtime and pinning plans.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:a check or verify found a difference; restore could not put everything back",
            "2:invalid input: usage, flavor spec, configuration or XML",
            "3:apply failed and everything was rolled back",
            "4:missing permission or component",
            "5:the request does not fit the host",
            "70:internal error (a bug in kvmtune; the stack trace is on stderr)"})
final class KvmtuneCommand implements Runnable {

    @Spec
    CommandSpec spec;

    private final Supplier<HookSettings> hostState;

    /** @param hostState where the subcommands that act on running guests find the host's state, read when one asks */
    KvmtuneCommand(Supplier<HookSettings> hostState) {
        this.hostState = hostState;
    }

    HookSettings hostState() {
        return hostState.get();
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** {@code --version} on every command prints the same line as the fast path in {@link Main}. */
    static final class VersionLine implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {Version.line()};
        }
    }
}
