package dev.berth.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The agent stands alone: it shares only the protocol records with the platform. */
@AnalyzeClasses(packages = "dev.berth", importOptions = ImportOption.DoNotIncludeTests.class)
class AgentArchitectureTest {

    @ArchTest
    static final ArchRule agentNeedsNothingButTheProtocol = noClasses()
            .that().resideInAPackage("dev.berth.agent..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.berth.platform..", "dev.berth.gitsync..",
                    "dev.berth.deployer..", "org.springframework..", "com.vaadin..")
            .because("the host agent never depends on platform-web, git-sync or deployer");

    @ArchTest
    static final ArchRule noBouncyCastleInTheAgent = noClasses()
            .that().resideInAPackage("dev.berth.agent..")
            .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..")
            .because("the agent's keys, certificates and TLS use the JDK alone; the platform's pki issues the certificates");

    @ArchTest
    static final ArchRule bundleBuildingIsPure = noClasses()
            .that().resideInAPackage("dev.berth.agent.bundle..").and().doNotHaveSimpleName("HostProbe")
            .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.sql..")
            .orShould().callMethod(ProcessBuilder.class, "start")
            .because("the bundle builder is pure; HostProbe is its one I/O edge");

    @ArchTest
    static final ArchRule nativeCallsLiveInSys = noClasses()
            .that().resideOutsideOfPackage("dev.berth.agent.sys")
            .should().dependOnClassesThat().resideInAPackage("jnr..")
            .because("jnr-ffi lives behind the sys package: SyscallPort (libc) and NftablesLibrary (libnftables)");

    @ArchTest
    static final ArchRule protocolIsPlainRecords = noClasses()
            .that().resideInAPackage("dev.berth.agent.protocol..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.berth.agent.bundle..", "tools.jackson..")
            .because("the protocol package carries values only");

    @ArchTest
    static final ArchRule applyingAssignmentsHasPureCores = noClasses()
            .that().haveNameMatching("dev\\.berth\\.agent\\.(daemon\\.AssignmentPlan|daemon\\.HealthTracker|state\\.PortRange"
                    + "|net\\.BackendPool|connect\\.RoundRobin|link\\.LogCursor"
                    + "|edge\\.CaddyConfig|edge\\.EdgeChecks|edge\\.RouteTable|edge\\.AccessLog|edge\\.AccessLine)(\\$.*)?")
            .should().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.net..", "java.nio.channels..")
            .orShould().callMethod(ProcessBuilder.class, "start")
            .because("the plan, health counting, port choice, backend choice, log cursors and the edge's configuration, checks,"
                    + " route matching and access entries are pure and table-tested");

    @ArchTest
    static final ArchRule agentPackagesAreFreeOfCycles = slices().matching("dev.berth.agent.(**)")
            .should().beFreeOfCycles()
            .because("each agent package can be read, tested and changed from the bottom up");

    @ArchTest
    static final ArchRule runcHasOneDoor = noClasses()
            .that().resideInAPackage("dev.berth.agent..")
            .and().doNotHaveFullyQualifiedName("dev.berth.agent.runtime.Runc")
            .and().doNotHaveFullyQualifiedName("dev.berth.agent.state.VolumeManager")
            .and().doNotHaveFullyQualifiedName("dev.berth.agent.cni.CniPlugins")
            .and().doNotHaveFullyQualifiedName("dev.berth.agent.firewall.Nft")
            .and().doNotHaveFullyQualifiedName("dev.berth.agent.containernet.NetworkNamespaces")
            .and().doNotHaveFullyQualifiedName("dev.berth.agent.edge.CaddyProcess")
            .should().callMethod(ProcessBuilder.class, "start")
            .orShould().callMethod(Runtime.class, "exec", String[].class)
            .orShould().callMethod(Runtime.class, "exec", String.class)
            .because("only Runc knows runc's binary and --root and starts it (VolumeManager runs mkfs and mount helpers,"
                    + " CniPlugins the CNI plugins, Nft nft, NetworkNamespaces unshare, CaddyProcess caddy)");

    @ArchTest
    static final ArchRule onlyTheDaemonDrivesTheEdge = noClasses()
            .that().resideInAPackage("dev.berth.agent.edge..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.berth.agent.daemon..", "dev.berth.agent.link..",
                    "dev.berth.agent.peer..", "dev.berth.agent.connect..", "dev.berth.agent.firewall..")
            .because("the edge gets its assignment, key and status hook from AgentService; it knows no other agent package");

    @ArchTest
    static final ArchRule theApplierSeesOnlyPlatformContainers = noClasses()
            .that().haveNameMatching("dev\\.berth\\.agent\\.daemon\\.AssignmentApplier(\\$.*)?")
            .should().dependOnClassesThat().haveNameMatching(
                    "dev\\.berth\\.agent\\.daemon\\.(AgentService|HeldContainers|ContainerLauncher|ManagedContainer)(\\$.*)?")
            .orShould().dependOnClassesThat().resideInAnyPackage("dev.berth.agent.image..")
            .because("the assignment applier reaches the agent through PlatformContainers alone");
}
