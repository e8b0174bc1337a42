package dev.berth.platform.deployments;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.berth.platform.hosts.HostStore;

/**
 * Each feature's store is used by that feature alone: others read deployments and replicas through
 * {@link AppDeployments}, and hosts through {@link dev.berth.platform.hosts.HostRecords}. (Tests may
 * seed through the stores.)
 */
@AnalyzeClasses(packages = "dev.berth.platform", importOptions = ImportOption.DoNotIncludeTests.class)
class StorePrivacyTest {

    @ArchTest
    static final ArchRule deploymentStoresStayInDeployments = noClasses()
            .that().resideOutsideOfPackage("dev.berth.platform.deployments..")
            .should().dependOnClassesThat().belongToAnyOf(DeploymentStore.class, ReplicaStore.class)
            .because("other features read deployments and replicas through AppDeployments");

    @ArchTest
    static final ArchRule hostStoreStaysInHosts = noClasses()
            .that().resideOutsideOfPackage("dev.berth.platform.hosts..")
            .should().dependOnClassesThat().belongToAnyOf(HostStore.class)
            .because("other features use hosts through HostRecords or HostService");
}
