package dev.berth.platform;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The module and package boundaries (docs/architecture.md), checked over every Berth class on the
 * platform's classpath (platform-web, git-sync, deployer, registry, the agent protocol).
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
            .that().resideInAnyPackage("dev.berth.gitsync..", "dev.berth.deployer..", "dev.berth.agent..",
                    "dev.berth.registry..", "dev.berth.image..", "dev.berth.atomicfile..", "dev.berth.backoff..")
            .should().dependOnClassesThat().resideInAPackage("dev.berth.platform..")
            .allowEmptyShould(true)
            .because("platform-web depends on the libraries (git-sync, deployer, registry, the agent protocol and the"
                    + " dependency-free modules); none depend back");

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
    static final ArchRule bouncyCastleStaysInSigningAndPki = noClasses()
            .that().resideOutsideOfPackages("dev.berth.gitsync.signing..", "dev.berth.platform.pki..")
            .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..")
            .because("Bouncy Castle checks OpenPGP signatures in git-sync's signing and builds the agents' certificates in"
                    + " the platform's pki; nothing else sees it");

    @ArchTest
    static final ArchRule acme4jStaysInCertificates = noClasses()
            .that().resideOutsideOfPackage("dev.berth.platform.certificates")
            .should().dependOnClassesThat().resideInAPackage("org.shredzone.acme4j..")
            .because("the platform is the only ACME client, and acme4j is confined to its certificates package");

    @ArchTest
    static final ArchRule oauth2ClientStaysInSso = noClasses()
            .that().resideOutsideOfPackages("dev.berth.platform.sso..", "dev.berth.platform.web.security.ui..")
            .should().dependOnClassesThat().resideInAPackage("org.springframework.security.oauth2.client..")
            .because("single sign-on's OAuth2 client is confined to the sso feature and the dashboard's chain");

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

    /** Every sub-package is its own slice: {@code apps} and {@code apps.ui} may not import each other both ways. */
    @ArchTest
    static final ArchRule platformPackagesAreFreeOfCycles = slices().matching("dev.berth.platform.(**)")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule registryPackagesAreFreeOfCycles = slices().matching("dev.berth.registry.(**)")
            .should().beFreeOfCycles();

    /** The API controllers, the other edge, may map the body caps' exceptions; nothing else sees the edge. */
    @ArchTest
    static final ArchRule noFeatureDependsOnTheWebEdge = noClasses()
            .that().resideOutsideOfPackages("dev.berth.platform.web..", "dev.berth.platform.api..")
            .should().dependOnClassesThat().resideInAPackage("dev.berth.platform.web..")
            .because("the body caps, security chains and filters import the features they guard, never the other way round");

    @ArchTest
    static final ArchRule nothingDependsOnTheSecurityChains = noClasses()
            .that().resideOutsideOfPackage("dev.berth.platform.web.security..")
            .should().dependOnClassesThat().resideInAPackage("dev.berth.platform.web.security..")
            .because("the security chains are configuration: Spring wires them, no class calls them");

    @ArchTest
    static final ArchRule accessDecisionsKnowNoFeature = noClasses()
            .that().resideInAPackage("dev.berth.platform.access..")
            .should().dependOnClassesThat(resideInAPackage("dev.berth.platform..")
                    .and(resideOutsideOfPackages("dev.berth.platform.access..", "dev.berth.platform.problem..")))
            .because("every feature decides access with Role, Caller, Permission and AccessPolicy; they answer only with a Problem");

    @ArchTest
    static final ArchRule theFrameKnowsNoFeatureView = noClasses()
            .that().resideInAPackage("dev.berth.platform.ui")
            .should().dependOnClassesThat().resideInAPackage("dev.berth.platform.*.ui..")
            .because("the main layout builds its navigation from the views' @Menu annotations");

    /** A class named {@code *Store} reads and writes its feature's tables; only its own package uses it. */
    private static final ArchCondition<JavaClass> BE_USED_ONLY_IN_THEIR_OWN_PACKAGE =
            new ArchCondition<>("be used only by classes of their own package") {
                @Override
                public void check(JavaClass store, ConditionEvents events) {
                    for (Dependency d : store.getDirectDependenciesToSelf()) {
                        JavaClass user = d.getOriginClass();
                        if (!user.getPackageName().equals(store.getPackageName())) {
                            events.add(SimpleConditionEvent.violated(d, user.getName() + " uses " + store.getSimpleName()
                                    + ", the store of " + store.getPackageName()));
                        }
                    }
                }
            };

    @ArchTest
    static final ArchRule eachStoreServesItsOwnFeature = classes()
            .that().resideInAPackage("dev.berth.platform..").and().haveSimpleNameEndingWith("Store")
            .should(BE_USED_ONLY_IN_THEIR_OWN_PACKAGE)
            .because("other features go through the owning feature's service or a read-only lookup (TeamLookup,"
                    + " UserAccounts, HostRecords, AppDeployments)");
}
