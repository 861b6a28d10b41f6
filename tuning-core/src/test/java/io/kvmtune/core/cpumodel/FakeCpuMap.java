package io.kvmtune.core.cpumodel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Small libvirt-style cpu_map directories for unit tests: a handful of x86 features with their
 * real CPUID bits and a few models, never libvirt's own files.
 */
final class FakeCpuMap {

    static final String VENDORS = """
            <cpus>
              <vendor name='Intel' string='GenuineIntel'/>
              <vendor name='AMD' string='AuthenticAMD'/>
            </cpus>
            """;

    static final String FEATURES = """
            <cpus>
              <feature name='fpu'><cpuid eax_in='0x01' edx='0x00000001'/></feature>
              <feature name='sse2'><cpuid eax_in='0x01' edx='0x04000000'/></feature>
              <feature name='pni'>
                <alias name='sse3' source='qemu'/>
                <cpuid eax_in='0x01' ecx='0x00000001'/>
              </feature>
              <feature name='sse4.1'>
                <alias name='sse4-1' source='qemu'/>
                <alias name='sse4_1' source='qemu'/>
                <cpuid eax_in='0x01' ecx='0x00080000'/>
              </feature>
              <feature name='tsc-deadline'><cpuid eax_in='0x01' ecx='0x01000000'/></feature>
              <feature name='avx2'><cpuid eax_in='0x07' ecx_in='0x00' ebx='0x00000020'/></feature>
              <feature name='sha-ni'><cpuid eax_in='0x07' ecx_in='0x00' ebx='0x20000000'/></feature>
              <feature name='avx512vnni'><cpuid eax_in='0x07' ecx_in='0x00' ecx='0x00000800'/></feature>
              <feature name='spec-ctrl'><cpuid eax_in='0x07' ecx_in='0x00' edx='0x04000000'/></feature>
              <feature name='cr8legacy'><cpuid eax_in='0x80000001' ecx='0x00000010'/></feature>
              <feature name='invtsc' migratable='no'><cpuid eax_in='0x80000007' edx='0x00000100'/></feature>
              <feature name='ibpb'><cpuid eax_in='0x80000008' ebx='0x00001000'/></feature>
              <feature name='amd-stibp'><cpuid eax_in='0x80000008' ebx='0x00008000'/></feature>
              <feature name='monitor'><cpuid eax_in='0x01' ecx='0x00000008'/></feature>
              <feature name='arch-capabilities'>
                <alias name='arch_capabilities' source='linux'/>
                <cpuid eax_in='0x07' ecx_in='0x00' edx='0x20000000'/>
              </feature>
              <feature name='mds-no'><msr index='0x10a' edx='0x00000000' eax='0x00000020'/></feature>
            </cpus>
            """;

    private FakeCpuMap() {
    }

    /** Writes {@code index.xml} including the vendor and feature files and one file per model. */
    static Path write(Path dir, String... models) {
        StringBuilder index = new StringBuilder("<cpus>\n  <arch name='x86'>\n")
                .append("    <include filename='x86_vendors.xml'/>\n    <include filename='x86_features.xml'/>\n");
        file(dir, "x86_vendors.xml", VENDORS);
        file(dir, "x86_features.xml", FEATURES);
        for (int i = 0; i < models.length; i++) {
            String name = "x86_model" + i + ".xml";
            file(dir, name, "<cpus>\n" + models[i] + "\n</cpus>\n");
            index.append("    <include filename='").append(name).append("'/>\n");
        }
        index.append("  </arch>\n  <arch name='ppc64'>\n    <vendor name='IBM'/>\n")
                .append("    <model name='POWER9'><vendor name='IBM'/><pvr value='0x004e0000' mask='0xffff0000'/></model>\n")
                .append("  </arch>\n</cpus>\n");
        file(dir, "index.xml", index.toString());
        return dir;
    }

    /** The default test map: a generic model, two vendor models with signatures, one inheriting. */
    static Path standard(Path dir) {
        return write(dir,
                "<model name='basic'><feature name='fpu'/><feature name='sse2'/></model>",
                "<model name='Oldlake'><signature family='6' model='15'/><vendor name='Intel'/>"
                        + "<feature name='fpu'/><feature name='sse2'/><feature name='pni'/></model>",
                "<model name='Newlake'><model name='Oldlake'/><signature family='6' model='85'/>"
                        + "<feature name='sse4.1'/><feature name='avx2'/></model>",
                "<model name='Newlake-IBRS'><model name='Newlake'/><feature name='spec-ctrl'/></model>",
                "<model name='Zen'><signature family='23' model='1'/><vendor name='AMD'/>"
                        + "<feature name='fpu'/><feature name='sse2'/><feature name='pni'/><feature name='sha-ni'/>"
                        + "<feature name='monitor' removed='yes'/></model>");
    }

    static void file(Path dir, String name, String text) {
        try {
            Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A /proc/cpuinfo tree under {@code root} with one block per flags line. */
    static Path cpuinfo(Path root, String vendorId, int family, int model, String... flagLines) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < flagLines.length; i++) {
            text.append("processor\t: ").append(i).append('\n')
                    .append("vendor_id\t: ").append(vendorId).append('\n')
                    .append("cpu family\t: ").append(family).append('\n')
                    .append("model\t\t: ").append(model).append('\n')
                    .append("model name\t: Test CPU\n")
                    .append("flags\t\t: ").append(flagLines[i]).append('\n')
                    .append("bugs\t\t: spectre_v1\n\n");
        }
        try {
            Files.createDirectories(root.resolve("proc"));
            Files.writeString(root.resolve("proc/cpuinfo"), text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }
}
