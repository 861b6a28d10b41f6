package io.kvmtune.cli.hook;

import io.kvmtune.cli.Failure;
import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.libvirt.DomainDescription;
import io.kvmtune.core.libvirt.DomainXmlReader;
import io.kvmtune.core.qemu.DomainName;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/**
 * The libvirt qemu hook: {@code kvmtune hook DOMAIN OP SUBOP EXTRA}, domain XML on stdin.
 *
 * <p>This path runs inside a guest's start, so it is lean on purpose: no picocli, the JDK's StAX
 * for the XML, and only the native functions the operation calls. A domain without a kvmtune
 * request is left alone (exit 0, no output). {@code migrate} and {@code restore} are XML filters
 * and pass the document through unchanged. Failures print CLI.md's error line and exit with its
 * code; libvirt aborts a {@code prepare} and kills a guest whose {@code started} hook failed.
 */
public final class HookMain {

    private static final Set<String> PICOCLI_SUBCOMMANDS = Set.of("install", "uninstall");

    private HookMain() {
    }

    /**
     * Whether {@code args} is the libvirt protocol ({@code hook} + four arguments) rather than
     * {@code hook install|uninstall|--help}.
     */
    public static boolean isProtocolCall(String[] args) {
        return args.length == 5 && args[0].equals("hook") && !PICOCLI_SUBCOMMANDS.contains(args[1])
                && !args[1].startsWith("-");
    }

    /**
     * Runs one hook call.
     *
     * @param args DOMAIN OP SUBOP EXTRA
     * @return the exit status
     */
    public static int run(List<String> args, InputStream stdin, PrintStream stdout, PrintStream stderr,
            HookSettings settings) {
        HookInvocation call;
        try {
            call = HookInvocation.parse(args);
        } catch (InvalidInputException e) {
            Failure f = Failure.of(e);
            stderr.println(f.line());
            return f.status().code();
        }
        HookLog log = new HookLog(stderr, new Syslog(settings.syslogSocket()), call);
        try {
            if (call.operation().isEmpty()) {
                return 0; // an operation from a newer libvirt: nothing of ours to do
            }
            HookOperation op = call.operation().get();
            if (op == HookOperation.MIGRATE || op == HookOperation.RESTORE) {
                stdin.transferTo(stdout); // XML filters: unchanged
                stdout.flush();
                return 0;
            }
            if (op == HookOperation.START || op == HookOperation.ATTACH) {
                return 0;
            }
            // One byte past the limit, so that DomainXmlReader names an oversized document.
            byte[] xml = stdin.readNBytes(DomainXmlReader.MAX_BYTES + 1);
            DomainDescription domain = DomainXmlReader.read(xml);
            if (domain.tuning().isEmpty()) {
                if (op == HookOperation.PREPARE && domain.novaFlavor().isPresent()) {
                    log.action("left alone: Nova's instance metadata (flavor " + domain.novaFlavor().get()
                            + ") carries no flavor extra specs; add kvmtune metadata to tune this guest");
                }
                return 0;
            }
            if (op == HookOperation.STARTED || op == HookOperation.RECONNECT) {
                NativeWarmup.start();
            }
            checkIdentity(call, domain);
            new HookRunner(settings, log).run(op, domain, xml);
            return 0;
        } catch (RuntimeException | IOException | Error e) {
            Failure f = Failure.of(e instanceof IOException io ? new UncheckedIOException("reading the domain XML", io) : e);
            log.failure(f);
            return f.status().code();
        }
    }

    /** The argument and the XML must name the same domain, and that name must be safe in a path. */
    private static void checkIdentity(HookInvocation call, DomainDescription domain) {
        new DomainName(call.domain());
        if (!call.domain().equals(domain.name())) {
            throw new InvalidInputException("InvalidDomainXml", "domain", call.domain(), "the hook was called for domain '"
                    + call.domain() + "' but the XML on stdin describes '" + domain.name() + "'");
        }
        if (domain.uuid().isEmpty()) {
            throw new InvalidInputException("InvalidDomainXml", "uuid", null,
                    "the domain XML has no <uuid>; kvmtune keys its claims by it");
        }
    }
}
