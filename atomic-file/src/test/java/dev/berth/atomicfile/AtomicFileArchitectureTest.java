package dev.berth.atomicfile;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.berth.atomicfile", importOptions = ImportOption.DoNotIncludeTests.class)
class AtomicFileArchitectureTest {
    @ArchTest
    static final ArchRule dependsOnTheJdkAlone = classes()
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.berth.atomicfile..", "java..")
            .because("the agent, the registry client and the platform all write files with it");
}
