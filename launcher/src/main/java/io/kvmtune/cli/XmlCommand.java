package io.kvmtune.cli;

import io.kvmtune.core.json.Json;
import io.kvmtune.core.libvirt.DomainDescription;
import io.kvmtune.core.libvirt.DomainXmlPatcher;
import io.kvmtune.core.libvirt.DomainXmlReader;
import io.kvmtune.core.libvirt.PlanXml;
import io.kvmtune.core.libvirt.TuningMetadata;
import io.kvmtune.core.plan.TuningPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
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
            xml = PlanXml.render(plan(host, request.flavorSpecs(), request.imageProps(), request.vcpus()), virtType);
        } else {
            byte[] original = read(domainXml);
            DomainDescription domain = DomainXmlReader.read(original);
            TuningMetadata wanted = request.flavorSpecs().isEmpty() && request.imageProps().isEmpty()
                    ? domain.tuning().orElse(new TuningMetadata(Map.of(), Map.of()))
                    : new TuningMetadata(request.flavorSpecs(), request.imageProps());
            int vcpus = Optional.ofNullable(request.vcpus).map(v -> request.vcpus()).orElse(domain.vcpus());
            TuningPlan plan = plan(host, wanted.flavorSpecs(), wanted.imageProps(), vcpus);
            xml = DomainXmlPatcher.patch(original, plan, virtType, wanted);
        }
        if (format() == OutputFormat.JSON) {
            out().println(Json.write(Map.of("xml", xml)));
        } else {
            out().print(xml);
        }
        return ExitStatus.OK;
    }

    private TuningPlan plan(HostInputs host, Map<String, String> flavor, Map<String, String> image, int vcpus) {
        return host.plan(host.request(flavor, image, vcpus), request.claimedByOthers());
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("reading --domain-xml " + file, e);
        }
    }
}
