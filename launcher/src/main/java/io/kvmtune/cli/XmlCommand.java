package io.kvmtune.cli;

import io.kvmtune.core.json.Json;
import io.kvmtune.core.libvirt.DomainDescription;
import io.kvmtune.core.libvirt.DomainXmlPatcher;
import io.kvmtune.core.libvirt.DomainXmlReader;
import io.kvmtune.core.libvirt.PlanXml;
import io.kvmtune.core.libvirt.TuningMetadata;
import io.kvmtune.core.plan.TuningPlan;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kvmtune xml}: the plan as libvirt XML fragments, or a given domain XML patched to match
 * it. With {@code --domain-xml}, a request the domain already carries in its kvmtune metadata (and
 * its {@code <vcpu>} count) is used unless request options are given.
 */
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
        HostInputs host = request.host(global.configFile());
        String virtType = host.policy().virtType();
        String xml;
        if (domainXml == null) {
            xml = PlanXml.render(request.plan(host), virtType);
        } else {
            byte[] original = InputFiles.bytes("--domain-xml", domainXml);
            DomainDescription domain = DomainXmlReader.read(original);
            TuningMetadata wanted = request.flavorSpecs().isEmpty() && request.imageProps().isEmpty()
                    ? domain.tuning().orElse(new TuningMetadata(Map.of(), Map.of()))
                    : new TuningMetadata(request.flavorSpecs(), request.imageProps());
            int vcpus = request.vcpusOr(domain.vcpus());
            TuningPlan plan = host.plan(host.request(wanted.flavorSpecs(), wanted.imageProps(), vcpus,
                    request.memoryMbOr(domain.memoryMb())),
                    request.claimedByOthers());
            xml = DomainXmlPatcher.patch(original, plan, virtType, wanted);
        }
        if (format() == OutputFormat.JSON) {
            out().println(Json.write(Map.of("xml", xml)));
        } else {
            out().print(xml);
        }
        return ExitStatus.OK;
    }
}
