package dev.berth.registry;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The modules the registry client shares with git-sync, the agent and the platform need nothing but the JDK. */
class StandaloneModulesArchitectureTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev.berth.image", "dev.berth.atomicfile", "dev.berth.backoff"})
    void dependsOnTheJdkAlone(String module) {
        var imported = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(module);
        assertThat(imported).as("classes of " + module).isNotEmpty();
        classes().should().onlyDependOnClassesThat().resideInAnyPackage(module + "..", "java..")
                .because("every Berth module may use it, so it may use no Berth module")
                .check(imported);
    }
}
