package dev.berth.gitsync;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.berth.gitsync", importOptions = ImportOption.DoNotIncludeTests.class)
class GitSyncArchitectureTest {
    @ArchTest
    static final ArchRule definitionsArePure = noClasses()
            .that().resideInAPackage("dev.berth.gitsync.definition..")
            .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jgit..", "java.nio.file..", "java.net..",
                    "dev.berth.gitsync.hosted..")
            .because("berth.yaml parsing is pure: bytes in, a definition or problems out");

    @ArchTest
    static final ArchRule hostedApiSpeaksInRecords = noClasses()
            .that().resideInAPackage("dev.berth.gitsync.hosted..").and().arePublic()
            .and().doNotHaveSimpleName("GitHttpService").and().doNotHaveSimpleName("HostedRepositories")
            .should().dependOnClassesThat().resideInAPackage("org.eclipse.jgit..")
            .because("git-sync exposes records and interfaces, not JGit types");
}
