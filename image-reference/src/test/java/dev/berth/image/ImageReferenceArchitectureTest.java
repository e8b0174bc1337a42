package dev.berth.image;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.berth.image", importOptions = ImportOption.DoNotIncludeTests.class)
class ImageReferenceArchitectureTest {
    @ArchTest
    static final ArchRule dependsOnTheJdkAlone = classes()
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.berth.image..", "java..")
            .because("git-sync, the registry client, the agent and the platform all parse references with it");
}
