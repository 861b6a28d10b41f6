package io.kvmtune.cli.hook;

import io.kvmtune.core.InvalidInputException;
import java.util.List;
import java.util.Optional;

/**
 * One call of the libvirt qemu hook: {@code DOMAIN OP SUBOP EXTRA}.
 *
 * @param domain the domain name as libvirt passed it; not yet checked for path safety
 * @param operation the operation, or empty for one this kvmtune does not know
 * @param rawOperation the operation argument as given
 * @param subOperation {@code begin}, {@code end} or {@code -}
 * @param extra {@code -}, or the shutoff reason for {@code release} (libvirt 10.5+)
 */
public record HookInvocation(String domain, Optional<HookOperation> operation, String rawOperation,
        String subOperation, String extra) {

    static HookInvocation parse(List<String> args) {
        if (args.size() != 4) {
            throw new InvalidInputException("Usage", null, null,
                    "hook takes DOMAIN OP SUBOP EXTRA (the libvirt qemu hook arguments), got " + args.size() + " arguments");
        }
        return new HookInvocation(args.get(0), HookOperation.of(args.get(1)), args.get(1), args.get(2), args.get(3));
    }
}
