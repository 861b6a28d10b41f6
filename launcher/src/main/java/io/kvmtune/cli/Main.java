package io.kvmtune.cli;

import io.kvmtune.cli.hook.HookMain;
import io.kvmtune.cli.hook.HookSettings;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The {@code kvmtune} entry point. Three calls never touch picocli, because picocli alone costs
 * 150–200 ms of start-up: {@code --version}; the libvirt hook protocol
 * ({@code kvmtune hook DOMAIN OP SUBOP EXTRA}), which runs in the window where a just-started
 * realtime guest is still untuned; and {@code kvmtune apply --pid PID --plan FILE}
 * ({@link LeanApply}), which scripts run in that same window. Everything else goes through
 * {@link Cli}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Optional<LeanApply> lean = LeanApply.parse(args);
        int status = run(args, lean, System.in, System.out, System.err);
        System.out.flush();
        System.err.flush();
        // System.exit logs the exit through System.Logger (JDK 21+), which brings up the logging
        // backend: a few ms that the lean calls save by returning when they succeed. They start
        // no non-daemon thread, so the JVM ends right after main.
        if (status != ExitStatus.OK.code() || !(isVersion(args) || HookMain.isProtocolCall(args) || lean.isPresent())) {
            System.exit(status);
        }
    }

    private static boolean isVersion(String[] args) {
        return args.length == 1 && args[0].equals("--version");
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return run(args, LeanApply.parse(args), in, out, err);
    }

    private static int run(String[] args, Optional<LeanApply> lean, InputStream in, PrintStream out, PrintStream err) {
        if (isVersion(args)) {
            out.println(Version.line());
            return ExitStatus.OK.code();
        }
        if (HookMain.isProtocolCall(args)) {
            return HookMain.run(Arrays.asList(args).subList(1, args.length), in, out, err,
                    HookSettings.fromSystemProperties());
        }
        PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        int status = lean.isPresent() ? lean.get().run(o, e) : Cli.forArguments(args, o, e).execute(args);
        o.flush();
        e.flush();
        return status;
    }
}
