package io.kvmtune.core.cpumodel;

import java.util.Collections;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The host CPU as the libvirt model checks need it.
 *
 * @param vendor libvirt's vendor name ({@code Intel}, {@code AMD}, {@code Hygon}), or empty when
 *     the map does not know the host's vendor string
 * @param family the CPU family, extended family included ({@code cpu family} of /proc/cpuinfo)
 * @param model the CPU model number, extended model included
 * @param features the features every host CPU has, in libvirt's spelling
 * @param unmappedFlags kernel flags with no libvirt feature (reported, never compared)
 */
public record HostCpu(Optional<String> vendor, int family, int model, SortedSet<String> features,
        SortedSet<String> unmappedFlags) {

    public HostCpu {
        features = Collections.unmodifiableSortedSet(new TreeSet<>(features));
        unmappedFlags = Collections.unmodifiableSortedSet(new TreeSet<>(unmappedFlags));
    }
}
