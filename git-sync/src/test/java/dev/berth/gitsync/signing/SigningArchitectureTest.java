package dev.berth.gitsync.signing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.berth.gitsync.signing", importOptions = ImportOption.DoNotIncludeTests.class)
class SigningArchitectureTest {
    @ArchTest
    static final ArchRule publicApiSpeaksInRecords = noClasses()
            .that().resideInAPackage("dev.berth.gitsync.signing..").and().arePublic()
            .should().dependOnClassesThat().resideInAnyPackage("org.bouncycastle..", "org.eclipse.jgit..")
            .because("signing exposes records; Bouncy Castle stays in package-private classes");

    @ArchTest
    static final ArchRule pure = noClasses()
            .that().resideInAPackage("dev.berth.gitsync.signing..")
            .should().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.net..", "java.security..")
            .because("verification is pure: no files, network or global security providers");
}
