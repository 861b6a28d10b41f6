package io.kvmtune.core.libvirt;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * kvmtune's tuning request as stored in a libvirt domain's {@code <metadata>}: flavor extra specs
 * and image properties as key/value entries, in the order written (CLI.md, "Tuning request in
 * libvirt domain metadata").
 *
 * <pre>{@code
 * <kvmtune:tuning xmlns:kvmtune="https://kvmtune.io/xmlns/tuning/1.0">
 *   <kvmtune:flavor-spec key="hw:cpu_policy">dedicated</kvmtune:flavor-spec>
 *   <kvmtune:image-prop key="hw_time_hpet">true</kvmtune:image-prop>
 * </kvmtune:tuning>
 * }</pre>
 */
public record TuningMetadata(Map<String, String> flavorSpecs, Map<String, String> imageProps) {

    /** The XML namespace of the metadata element; libvirt keys metadata by it. */
    public static final String NAMESPACE = "https://kvmtune.io/xmlns/tuning/1.0";
    /** What every version of the namespace starts with: another version is refused, not ignored. */
    public static final String NAMESPACE_PREFIX = "https://kvmtune.io/xmlns/tuning/";
    /** The conventional prefix ({@code virsh metadata --key kvmtune}). */
    public static final String PREFIX = "kvmtune";
    public static final String ELEMENT = "tuning";
    public static final String FLAVOR_SPEC = "flavor-spec";
    public static final String IMAGE_PROP = "image-prop";

    public TuningMetadata {
        flavorSpecs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(flavorSpecs));
        imageProps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(imageProps));
    }
}
