package io.kvmtune.core.cpumodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.MissingComponentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuMapReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsVendorsFeaturesWithTheirBitsAndAliasesInMapOrder() {
        CpuMap map = CpuMapReader.read(FakeCpuMap.standard(dir), "x86");

        assertThat(map.arch()).isEqualTo("x86");
        assertThat(map.vendors()).containsEntry("Intel", "GenuineIntel").containsEntry("AMD", "AuthenticAMD");
        assertThat(map.features().get("avx2").bits()).containsExactly(
                new CpuRegisterBits(CpuRegisterBits.Source.CPUID, 7, 0, "ebx", 0x20));
        assertThat(map.features().get("mds-no").bits()).containsExactly(
                new CpuRegisterBits(CpuRegisterBits.Source.MSR, 0x10a, 0, "eax", 0x20));
        assertThat(map.features().get("avx2").bits().getFirst()).hasToString("cpuid 0x7.0 ebx 0x00000020");
        assertThat(map.features().get("invtsc").migratable()).isFalse();
        assertThat(map.features().get("fpu").migratable()).isTrue();
        assertThat(map.canonicalFeature("sse4_1")).contains("sse4.1");
        assertThat(map.canonicalFeature("sse4.1")).contains("sse4.1");
        assertThat(map.canonicalFeature("sse4_2")).isEmpty();
        assertThat(map.models().keySet()).containsExactly("basic", "Oldlake", "Newlake", "Newlake-IBRS", "Zen");
    }

    @Test
    void aModelInheritsItsAncestorsVendorSignaturesAndFeaturesAndItsOwnSignaturesReplaceThem() {
        CpuMap map = CpuMapReader.read(FakeCpuMap.standard(dir), "x86");

        CpuModelDefinition newlake = map.models().get("Newlake");
        assertThat(newlake.vendor()).contains("Intel");
        assertThat(newlake.features()).containsExactly("avx2", "fpu", "pni", "sse2", "sse4.1");
        assertThat(newlake.signatures()).containsExactly(new CpuModelDefinition.Signature(6, 85));
        CpuModelDefinition ibrs = map.models().get("Newlake-IBRS");
        assertThat(ibrs.signatures()).containsExactly(new CpuModelDefinition.Signature(6, 85));
        assertThat(ibrs.features()).contains("spec-ctrl", "avx2", "pni");
        assertThat(map.models().get("basic").vendor()).isEmpty();
    }

    @Test
    void removedFeaturesAreNotPartOfTheModelButAreRecorded() {
        CpuModelDefinition zen = CpuMapReader.read(FakeCpuMap.standard(dir), "x86").models().get("Zen");

        assertThat(zen.features()).doesNotContain("monitor");
        assertThat(zen.removedFeatures()).containsExactly("monitor");
    }

    @Test
    void decodeHostOffIsKept() {
        FakeCpuMap.write(dir, "<model name='rhel'><decode host='off' guest='off'/><feature name='fpu'/></model>");

        assertThat(CpuMapReader.read(dir, "x86").models().get("rhel").decodeHost()).isFalse();
    }

    @Test
    void definitionsWrittenInsideArchAreReadLikeTheOldSingleFileLayout() {
        FakeCpuMap.file(dir, "index.xml", """
                <cpus><arch name='x86'>
                  <vendor name='Intel' string='GenuineIntel'/>
                  <feature name='fpu'><cpuid eax_in='0x01' edx='0x00000001'/></feature>
                  <model name='tiny'><feature name='fpu'/></model>
                </arch></cpus>
                """);

        assertThat(CpuMapReader.read(dir, "x86").models().get("tiny").features()).containsExactly("fpu");
    }

    @Test
    void ppc64ModelsAreReadWithoutFeatures() {
        CpuMap ppc = CpuMapReader.read(FakeCpuMap.standard(dir), "ppc64");

        assertThat(ppc.models().get("POWER9").vendor()).contains("IBM");
        assertThat(ppc.models().get("POWER9").features()).isEmpty();
    }

    @Test
    void aMissingMapOrArchitectureIsAMissingComponent() {
        assertThatThrownBy(() -> CpuMapReader.read(dir.resolve("nothing"), "x86"))
                .isInstanceOf(MissingComponentException.class)
                .hasMessageContaining("index.xml");
        assertThatThrownBy(() -> CpuMapReader.read(FakeCpuMap.standard(dir), "s390"))
                .isInstanceOf(MissingComponentException.class)
                .hasMessageContaining("no models for architecture s390");
    }

    @Test
    void aModelNamingAnUnknownFeatureIsRejectedNamingFileAndFeature() {
        FakeCpuMap.write(dir, "<model name='bad'><feature name='warp-drive'/></model>");

        assertThatThrownBy(() -> CpuMapReader.read(dir, "x86"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.code()).isEqualTo("InvalidCpuMap");
                    assertThat(e.key()).endsWith("x86_model0.xml");
                    assertThat(e.value()).isEqualTo("warp-drive");
                })
                .hasMessageContaining("CPU model bad names unknown feature warp-drive");
    }

    @Test
    void anUnknownAncestorVendorOrADuplicateModelIsRejected() {
        FakeCpuMap.write(dir, "<model name='child'><model name='parent'/></model>");
        assertThatThrownBy(() -> CpuMapReader.read(dir, "x86")).hasMessageContaining("ancestor model parent");

        FakeCpuMap.write(dir, "<model name='m'><vendor name='Cyrix'/></model>");
        assertThatThrownBy(() -> CpuMapReader.read(dir, "x86")).hasMessageContaining("unknown vendor Cyrix");

        FakeCpuMap.write(dir, "<model name='twice'/>", "<model name='twice'/>");
        assertThatThrownBy(() -> CpuMapReader.read(dir, "x86")).hasMessageContaining("twice is defined twice");
    }

    @Test
    void badRegisterValuesAreRejected() {
        FakeCpuMap.file(dir, "index.xml", "<cpus><arch name='x86'><feature name='f'><cpuid eax_in='0xZZ' eax='1'/>"
                + "</feature></arch></cpus>");

        assertThatThrownBy(() -> CpuMapReader.read(dir, "x86"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("eax_in='0xZZ' is not a hexadecimal number");
    }

    @Test
    void doctypesAndExternalEntitiesAreRefused() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "fpu");
        FakeCpuMap.file(dir, "index.xml", "<?xml version='1.0'?>\n<!DOCTYPE cpus [<!ENTITY x SYSTEM '"
                + secret.toUri() + "'>]>\n<cpus><arch name='x86'><model name='&x;'/></arch></cpus>");

        assertThatThrownBy(() -> CpuMapReader.read(dir, "x86"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo("InvalidCpuMap"))
                .hasMessageContaining("not well-formed XML")
                .hasMessageContaining("DOCTYPE");
    }

    @Test
    void includesMustStayInsideTheMapDirectory() {
        for (String name : List.of("../etc/passwd", "/etc/passwd", "..", "sub/x.xml")) {
            FakeCpuMap.file(dir, "index.xml", "<cpus><arch name='x86'><include filename='" + name + "'/></arch></cpus>");
            assertThatThrownBy(() -> CpuMapReader.read(dir, "x86"))
                    .as(name)
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("plain file name");
        }
    }

    @Test
    void malformedXmlNamesTheFile() {
        FakeCpuMap.write(dir, "<model name='m'>");

        assertThatThrownBy(() -> CpuMapReader.read(dir, "x86"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("x86_model0.xml: not well-formed XML");
    }

    @Test
    void machineNamesMapToCpuMapArchitectures() {
        assertThat(CpuMapReader.mapArch("x86_64")).contains("x86");
        assertThat(CpuMapReader.mapArch("i686")).contains("x86");
        assertThat(CpuMapReader.mapArch("ppc64le")).contains("ppc64");
        assertThat(CpuMapReader.mapArch("aarch64")).contains("arm");
        assertThat(CpuMapReader.mapArch("s390x")).isEqualTo(Optional.empty());
    }

    /** A planning run reads only the configured models, matched ignoring case, and what they build on. */
    @Test
    void onlyTheWantedModelsAndTheirAncestorsAreRead() {
        Path map = FakeCpuMap.standard(dir);

        CpuMap wanted = CpuMapReader.read(map, "x86", java.util.List.of("newlake-ibrs", "NoSuchLake"));

        assertThat(wanted.models().keySet()).containsExactly("Oldlake", "Newlake", "Newlake-IBRS");
        assertThat(wanted.models().get("Newlake-IBRS")).isEqualTo(CpuMapReader.read(map, "x86").models().get("Newlake-IBRS"));
        assertThat(wanted.features()).isEqualTo(CpuMapReader.read(map, "x86").features());
    }

    /**
     * With libvirt's file names (x86_NAME.xml) only the wanted models' files are opened: another
     * model's file, here not even XML, is neither scanned nor parsed. A name whose file is not
     * NAME's (or is missing) makes the reader scan the whole map.
     */
    @Test
    void withLibvirtsFileNamesOnlyTheWantedModelsFilesAreOpened() {
        Path map = dir;
        FakeCpuMap.file(map, "x86_vendors.xml", FakeCpuMap.VENDORS);
        FakeCpuMap.file(map, "x86_features.xml", FakeCpuMap.FEATURES);
        FakeCpuMap.file(map, "x86_Oldlake.xml", "<cpus><model name='Oldlake'><vendor name='Intel'/>"
                + "<feature name='fpu'/><feature name='sse2'/></model></cpus>");
        FakeCpuMap.file(map, "x86_Newlake.xml", "<cpus><model name='Newlake'><model name='Oldlake'/>"
                + "<feature name='avx2'/></model></cpus>");
        FakeCpuMap.file(map, "x86_Broken.xml", "this is not <xml");
        FakeCpuMap.file(map, "x86_elsewhere.xml", "<cpus><model name='Hidden'><feature name='fpu'/></model></cpus>");
        FakeCpuMap.file(map, "index.xml", "<cpus><arch name='x86'><include filename='x86_vendors.xml'/>"
                + "<include filename='x86_features.xml'/><include filename='x86_Oldlake.xml'/>"
                + "<include filename='x86_Broken.xml'/><include filename='x86_Newlake.xml'/>"
                + "<include filename='x86_elsewhere.xml'/></arch></cpus>");

        CpuMap wanted = CpuMapReader.read(map, "x86", java.util.List.of("NEWLAKE"));
        assertThat(wanted.models().keySet()).containsExactlyInAnyOrder("Oldlake", "Newlake");
        assertThat(wanted.models().get("Newlake").features()).containsExactlyInAnyOrder("fpu", "sse2", "avx2");

        // "hidden" has no x86_hidden.xml: the whole map is scanned, which meets the broken file
        assertThatThrownBy(() -> CpuMapReader.read(map, "x86", java.util.List.of("hidden")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("x86_Broken.xml");
    }
}
