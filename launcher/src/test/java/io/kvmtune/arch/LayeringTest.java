package io.kvmtune.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import io.kvmtune.linux.SchedPolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering rules of ARCHITECTURE.md and STYLE.md, checked on the compiled classes. */
class LayeringTest {

    static JavaClasses kvmtune;

    @BeforeAll
    static void importClasses() {
        kvmtune = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.kvmtune");
    }

    @Test
    void onlyTheLinuxBindingsUseTheForeignFunctionApi() {
        noClasses().that().resideOutsideOfPackage("io.kvmtune.linux..")
                .should().dependOnClassesThat().resideInAPackage("java.lang.foreign..")
                .check(kvmtune);
    }

    @Test
    void planningAndValidationDoNoIo() {
        noClasses().that().resideInAnyPackage("io.kvmtune.core.plan..", "io.kvmtune.core.spec..")
                .should().dependOnClassesThat().resideInAPackage("java.nio.file..")
                .orShould().dependOnClassesThat().belongToAnyOf(java.io.File.class, ProcessBuilder.class)
                .check(kvmtune);
    }

    @Test
    void planningAndValidationUseNothingNativeButSchedPolicy() {
        noClasses().that().resideInAnyPackage("io.kvmtune.core.plan..", "io.kvmtune.core.spec..")
                .should().dependOnClassesThat(DescribedPredicate.describe("io.kvmtune.linux other than SchedPolicy",
                        (JavaClass c) -> c.getPackageName().startsWith("io.kvmtune.linux")
                                && !c.isEquivalentTo(SchedPolicy.class)))
                .check(kvmtune);
    }

    @Test
    void theHookPathNeverLoadsPicocli() {
        noClasses().that().resideInAPackage("io.kvmtune.cli.hook..")
                .should().dependOnClassesThat().resideInAPackage("picocli..")
                .check(kvmtune);
    }

    @Test
    void theHookPathNeverLoadsTheAgentOrPrometheus() {
        noClasses().that().resideInAPackage("io.kvmtune.cli.hook..")
                .or().haveSimpleName("Main").or().haveSimpleName("LeanApply")
                .should().dependOnClassesThat().resideInAnyPackage("io.kvmtune.agent..", "io.prometheus..")
                .check(kvmtune);
    }

    @Test
    void onlyTheAgentUsesThePrometheusClient() {
        noClasses().that().resideOutsideOfPackage("io.kvmtune.agent..")
                .should().dependOnClassesThat().resideInAPackage("io.prometheus..")
                .check(kvmtune);
    }
}
