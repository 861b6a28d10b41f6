package io.kvmtune.cli;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kvmtune xml}: the plan as libvirt XML fragments, or a given domain XML patched to match it. */
@Command(name = "xml", description = "libvirt XML fragments of the plan, or the given domain XML patched.")
final class XmlCommand extends Subcommand {

    @Mixin
    RequestOptions request;

    @Option(names = "--domain-xml", paramLabel = "FILE",
            description = "A domain XML to patch (cputune, memoryBacking, clock, cpu, kvmtune metadata).")
    Path domainXml;

    @Override
    Set<OutputFormat> formats() {
        return EnumSet.allOf(OutputFormat.class);
    }

    @Override
    ExitStatus run() {
        request.vcpus();
        throw NotAvailable.yet("xml: the planner and its libvirt XML fragments (issue 3)");
    }
}
