package io.kvmtune.cli;

import io.kvmtune.cli.hook.HookMain;
import io.kvmtune.cli.hook.HookSettings;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@code kvmtune} entry point. Two calls never touch picocli, because picocli alone costs
 * 150–200 ms of start-up: {@code --version}, and the libvirt hook protocol
 * ({@code kvmtune hook DOMAIN OP SUBOP EXTRA}), which runs in the window where a just-started
 * realtime guest is still untuned. Everything else goes through {@link Cli}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, System.in, System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 1 && args[0].equals("--version")) {
            out.println(Version.line());
            return ExitStatus.OK.code();
        }
        if (HookMain.isProtocolCall(args)) {
            return HookMain.run(Arrays.asList(args).subList(1, args.length), in, out, err,
                    HookSettings.fromSystemProperties());
        }
        PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        int status = Cli.create(o, e).execute(args);
        o.flush();
        e.flush();
        return status;
    }
}
