package io.kvmtune.cli;

/** {@code --format}: table for people (default), json for scripts, xml for libvirt (plan and xml only). */
public enum OutputFormat {
    TABLE, JSON, XML
}
