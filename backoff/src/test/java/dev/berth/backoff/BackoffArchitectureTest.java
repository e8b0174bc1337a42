package dev.berth.backoff;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.berth.backoff", importOptions = ImportOption.DoNotIncludeTests.class)
class BackoffArchitectureTest {
    @ArchTest
    static final ArchRule dependsOnTheJdkAlone = classes()
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.berth.backoff..", "java..")
            .because("the agent and the registry client retry with it");
}
