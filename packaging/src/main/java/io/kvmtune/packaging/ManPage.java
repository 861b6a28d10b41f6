package io.kvmtune.packaging;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * kvmtune(1) in roff, written from the picocli command model, so that the page lists exactly the
 * commands, options and exit codes the command line accepts. (picocli's own generator writes
 * AsciiDoc, which would need Asciidoctor on JRuby in the build to become a man page.)
 */
final class ManPage {

    /** The name under which every subcommand mixes in the global options ({@code Subcommand.global}). */
    private static final String GLOBAL_MIXIN = "global";

    private final CommandLine root;
    private final String version;
    private final String date;

    /**
     * @param date the page's date, {@code YYYY-MM-DD}
     */
    ManPage(CommandLine root, String version, String date) {
        this.root = root;
        this.version = version;
        this.date = date;
    }

    String render() {
        CommandSpec spec = root.getCommandSpec();
        StringBuilder out = new StringBuilder();
        out.append(".TH KVMTUNE 1 \"").append(date).append("\" \"kvmtune ").append(escape(version))
                .append("\" \"kvmtune manual\"\n");
        out.append(".SH NAME\nkvmtune \\- ").append(escape(lowerFirst(String.join(" ", spec.usageMessage().description()))))
                .append('\n');
        out.append(".SH SYNOPSIS\n.B kvmtune\n.I COMMAND\n[\\fIOPTIONS\\fR]\n.br\n.B kvmtune\n\\-\\-version | \\-\\-help\n");
        out.append(".SH DESCRIPTION\n")
                .append("kvmtune reads a guest's request in OpenStack Nova's vocabulary (hw:cpu_policy, hw:cpu_realtime, ...)\n"
                        + "and the host's settings, validates them with Nova's rules, computes an explainable plan and applies it\n"
                        + "to a running QEMU through Linux system calls and libvirt's cgroups: verified, and rolled back on any\n"
                        + "failure. It runs as a libvirt hook, as a command on a bare QEMU, and as a Java library.\n");
        // The options every command mixes in (--format, --config) once, not under each command.
        Set<String> global = new HashSet<>();
        spec.subcommands().values().stream().map(c -> c.getCommandSpec().mixins().get(GLOBAL_MIXIN))
                .filter(Objects::nonNull).findFirst().ifPresent(mixin -> {
                    out.append(".SH OPTIONS\nEvery command takes:\n");
                    for (OptionSpec o : mixin.options()) {
                        option(o, out);
                        global.add(o.longestName());
                    }
                });
        out.append(".SH COMMANDS\n");
        for (CommandLine sub : spec.subcommands().values()) {
            command(sub, global, out);
        }
        out.append(".SH EXIT STATUS\n");
        for (Map.Entry<String, String> code : spec.usageMessage().exitCodeList().entrySet()) {
            out.append(".TP\n.B ").append(code.getKey().strip()).append('\n').append(escape(code.getValue())).append('\n');
        }
        out.append(".SH FILES\n");
        file(out, "/etc/kvmtune/kvmtune.conf", "host configuration in nova.conf syntax ([compute] cpu_dedicated_set, "
                + "cpu_shared_set, ...; [agent]); else /etc/nova/nova.conf is read");
        file(out, "/etc/libvirt/hooks/qemu.d/50-kvmtune", "the libvirt hook: tunes guests whose domain XML carries "
                + "kvmtune metadata and leaves all others alone");
        file(out, "/run/kvmtune", "claims of pCPUs, prepared plans and apply records of running guests");
        file(out, "/usr/lib/kvmtune", "the command's jar, its own Java runtime and the AOT cache made for both");
        out.append(".SH SEE ALSO\n.BR virsh (1),\n.BR chrt (1),\n.BR taskset (1),\n.BR cyclictest (8)\n");
        return out.toString();
    }

    private static void command(CommandLine command, Set<String> global, StringBuilder out) {
        CommandSpec spec = command.getCommandSpec();
        if (spec.usageMessage().hidden()) {
            return;
        }
        out.append(".SS \"").append(escape(spec.qualifiedName(" "))).append("\"\n");
        out.append(escape(String.join(" ", spec.usageMessage().description()))).append('\n');
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (!p.hidden()) {
                out.append(".TP\n\\fI").append(escape(p.paramLabel())).append("\\fR\n").append(description(p)).append('\n');
            }
        }
        for (OptionSpec o : spec.options()) {
            if (!o.hidden() && !o.usageHelp() && !o.versionHelp() && !global.contains(o.longestName())) {
                option(o, out);
            }
        }
        for (CommandLine sub : spec.subcommands().values()) {
            command(sub, global, out);
        }
    }

    private static void option(OptionSpec o, StringBuilder out) {
        out.append(".TP\n");
        List<String> names = List.of(o.names());
        for (int i = 0; i < names.size(); i++) {
            out.append(i == 0 ? "" : ", ").append("\\fB").append(escape(names.get(i))).append("\\fR");
        }
        if (o.arity().max() > 0) {
            out.append(" \\fI").append(escape(o.paramLabel())).append("\\fR");
        }
        out.append('\n').append(description(o)).append('\n');
    }

    private static String description(ArgSpec arg) {
        String text = String.join(" ", arg.description())
                .replace("${DEFAULT-VALUE}", String.valueOf(arg.defaultValue()))
                .replace("%n", "\n");
        return escape(text);
    }

    private static void file(StringBuilder out, String path, String what) {
        out.append(".TP\n.I ").append(path).append('\n').append(escape(what)).append('\n');
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }

    /** Text as roff reads it literally: backslashes, minus signs, and lines starting with a control character. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.replace("\\", "\\e").replace("-", "\\-").split("\n", -1)) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            if (line.startsWith(".") || line.startsWith("'")) {
                out.append("\\&");
            }
            out.append(line);
        }
        return out.toString();
    }
}
