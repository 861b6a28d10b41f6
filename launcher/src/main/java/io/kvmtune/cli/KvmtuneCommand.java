package io.kvmtune.cli;

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
        description = "Host-side tuning of KVM/QEMU guests: Nova-compatible realtime and pinning plans.")
final class KvmtuneCommand implements Runnable {

    @Spec
    CommandSpec spec;

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
