package dev.berth.platform;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module boundaries of shared/DESIGN.md, checked over every Berth class on the platform's
 * classpath (platform-web, git-sync, deployer, the agent protocol).
 */
@AnalyzeClasses(packages = "dev.berth", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule vaadinStaysInUiPackages = noClasses()
            .that().resideOutsideOfPackage("..ui..")
            .should().dependOnClassesThat().resideInAPackage("com.vaadin..")
            .because("Vaadin types never leave ..ui.. packages");

    @ArchTest
    static final ArchRule servicesDoNotReachIntoTheUi = noClasses()
            .that().resideInAPackage("dev.berth.platform..").and().resideOutsideOfPackage("..ui..")
            .should().dependOnClassesThat().resideInAPackage("..ui..")
            .because("views call services, never the other way round");

    @ArchTest
    static final ArchRule librariesDoNotDependOnThePlatform = noClasses()
            .that().resideInAnyPackage("dev.berth.gitsync..", "dev.berth.deployer..", "dev.berth.agent..")
            .should().dependOnClassesThat().resideInAPackage("dev.berth.platform..")
            .allowEmptyShould(true)
            .because("platform-web depends on git-sync, deployer and the agent protocol; none depend back");

    @ArchTest
    static final ArchRule agentIsIndependent = noClasses()
            .that().resideInAPackage("dev.berth.agent..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.berth.gitsync..", "dev.berth.deployer..")
            .allowEmptyShould(true)
            .because("the host agent never depends on platform-web, git-sync or deployer");

    @ArchTest
    static final ArchRule jgitStaysInGitSync = noClasses()
            .that().resideOutsideOfPackage("dev.berth.gitsync..")
            .should().dependOnClassesThat().resideInAPackage("org.eclipse.jgit..")
            .because("JGit types never leave git-sync; it exposes records");

    @ArchTest
    static final ArchRule nativeCallsStayInTheAgent = noClasses()
            .that().resideOutsideOfPackage("dev.berth.agent..")
            .should().dependOnClassesThat().resideInAPackage("jnr..")
            .because("jnr-ffi is imported by exactly one class, the agent's syscall port");

    @ArchTest
    static final ArchRule deployerIsPure = noClasses()
            .that().resideInAPackage("dev.berth.deployer..")
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "java.net..", "java.nio.file..",
                    "org.springframework..", "com.vaadin..")
            .allowEmptyShould(true)
            .because("the deployer is a pure planner: values in, values out");
}
