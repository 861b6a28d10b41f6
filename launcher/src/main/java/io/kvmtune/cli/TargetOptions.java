package io.kvmtune.cli;

import picocli.CommandLine.Option;

/** Which running guest a command acts on: {@code --pid PID} or {@code --domain NAME}, exactly one. */
public final class TargetOptions {

    @Option(names = "--pid", paramLabel = "PID", required = true, description = "The QEMU process id.")
    Integer pid;

    @Option(names = "--domain", paramLabel = "NAME", required = true, description = "The libvirt domain name.")
    String domain;
}
