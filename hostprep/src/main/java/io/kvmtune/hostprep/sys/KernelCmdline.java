package io.kvmtune.hostprep.sys;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kernel command line ({@code /proc/cmdline}) as the kernel itself splits it: parameters
 * separated by spaces, double quotes protecting spaces, everything after a lone {@code --}
 * belonging to init. The last occurrence of a parameter wins, as it does in the kernel.
 *
 * @param text the line as read
 * @param params the kernel's parameters in order, init's arguments removed
 */
public record KernelCmdline(String text, List<String> params) {

    public KernelCmdline {
        params = List.copyOf(params);
    }

    public static KernelCmdline parse(String text) {
        List<String> params = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean inToken = false;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            if (c == '"') {
                quoted = !quoted;
                inToken = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (inToken) {
                    String token = current.toString();
                    if (token.equals("--")) {
                        break;
                    }
                    params.add(token);
                    current.setLength(0);
                    inToken = false;
                }
            } else {
                current.append(c);
                inToken = true;
            }
        }
        return new KernelCmdline(text, params);
    }

    /** The value of the last {@code name=value}; empty when absent or given without a value. */
    public Optional<String> value(String name) {
        String prefix = name + "=";
        for (int i = params.size() - 1; i >= 0; i--) {
            if (params.get(i).startsWith(prefix)) {
                return Optional.of(params.get(i).substring(prefix.length()));
            }
        }
        return Optional.empty();
    }

    /** True when the exact parameter (such as {@code nosoftlockup} or {@code skew_tick=1}) is present. */
    public boolean has(String param) {
        if (param.contains("=")) {
            String name = param.substring(0, param.indexOf('='));
            return value(name).map(v -> param.equals(name + "=" + v)).orElse(false);
        }
        return params.contains(param) || value(param).isPresent();
    }

    /**
     * A cpu-list parameter such as {@code nohz_full}, {@code rcu_nocbs}, {@code irqaffinity}.
     * Empty when absent.
     *
     * @throws InvalidInputException keyed by the parameter when its value is not a cpu list
     */
    public Optional<CpuSet> cpus(String name) {
        return value(name).map(v -> parseList(name, v));
    }

    /** {@code isolcpus=[flag,...,]list}, or empty when absent. */
    public Optional<IsolCpus> isolcpus() {
        return value("isolcpus").map(IsolCpus::parse);
    }

    static CpuSet parseList(String name, String value) {
        try {
            return CpuSet.parse(value);
        } catch (InvalidInputException e) {
            throw e.withKey(name);
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
