package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.cli.RunArguments;
import dev.berth.agent.containernet.NetworkSettings;
import dev.berth.agent.firewall.Firewall;
import dev.berth.agent.inspect.IsolationReport;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.runtime.Busybox;
import dev.berth.agent.runtime.RuntimePrerequisites;
import dev.berth.registry.network.Cidr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Containers with a network, end to end on real runc, CNI plugins and nftables: attached before
 * their process runs, reaching "the internet" (a namespace on TEST-NET-3 this test creates) only as
 * their egress allows, with the agent's resolv.conf, and leaving nothing behind when removed or
 * when the agent dies during the setup. Container subnets are 198.51.100.64/28, .80/28 and .96/28,
 * "the internet" is in 203.0.113.16-.63: the firewall's own packet tests take 198.51.100.32-.63
 * and 203.0.113.0-.15, the ui-tests' agents 198.51.100.128/25.
 */
class ContainerNetworkingTest {
    private static final Path NFT = Path.of("/usr/sbin/nft");
    private Path work;
    private Path state;
    private Path rootfs;
    private final List<AgentService> agents = new ArrayList<>();
    private TestInternet internet;
    private String subnet;

    @BeforeEach
    void setUp() throws Exception {
        RuntimePrerequisites.require();
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/ptp")) && Files.isExecutable(NFT),
                "needs containernetworking-plugins and nftables");
        work = Files.createTempDirectory("berth-net-test");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        state = work.resolve("state");
        rootfs = Busybox.tree(work.resolve("busybox"), "sh", "sleep", "cat", "nc", "touch", "ls", "kill");
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            for (AgentService agent : agents) {
                for (var c : agent.ps()) {
                    try {
                        agent.stop(c.name(), Duration.ofSeconds(1));
                        agent.remove(c.name());
                    } catch (IOException gone) {
                        // another agent of this test removed it
                    }
                }
                try {
                    agent.removeVolume("net", "data");
                } catch (IOException none) {
                    // not created by this test, or by another agent of it
                }
                agent.close();
            }
        } finally {
            if (subnet != null) firewall().delete();
            if (internet != null) internet.close();
            try (Stream<Path> paths = Files.walk(work)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private AgentService agent(String containerSubnet, int slot) throws Exception {
        if (internet == null) {
            subnet = containerSubnet;
            internet = new TestInternet(slot, containerSubnet);
        }
        var settings = new NetworkSettings(NetworkSettings.subnet(containerSubnet), List.of(NetworkSettings.resolver(internet.address)));
        var agent = AgentService.open(state, RuntimePrerequisites.RUNC, AgentOptions.defaults().withNetwork(settings));
        agents.add(agent);
        return agent;
    }

    /** An agent on 198.51.100.64/28 with "the internet" serving a page. */
    private AgentService agentWithTheInternetServing() throws Exception {
        var agent = agent("198.51.100.64/28", 1);
        TestInternet.writeIndex(work.resolve("www"), "hello from the test internet");
        internet.serve(work.resolve("www"));
        return agent;
    }

    private Firewall firewall() throws IOException {
        return Firewall.open(NFT, AgentTag.of(state.toAbsolutePath().normalize()).firewallTable(), List.of(Cidr.parse(subnet)));
    }

    private ContainerSpec sleeper(String name, ContainerSpec.Network network) {
        return sleeper(name, "net", network);
    }

    private ContainerSpec sleeper(String name, String app, ContainerSpec.Network network) {
        return RunArguments.parse(List.of("--name", name, "--app", app, "--rootfs", rootfs.toString(), "--memory", "32Mi",
                "--", "/bin/sleep", "600")).withNetwork(network);
    }

    private static ContainerSpec.Network egress(ContainerSpec.Egress egress) {
        return new ContainerSpec.Network(egress, List.of(), List.of());
    }

    private String fetch(AgentService agent, String name) throws IOException {
        // busybox's static wget crashes without NSS libraries; nc speaks HTTP well enough.
        var result = agent.exec(name, List.of("/bin/sh", "-c",
                "printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc -w 3 " + internet.address + " 8080"));
        return result.exitCode() == 0 ? result.output() : "failed: " + result.output();
    }

    @Test
    void publicEgressReachesTheInternetNoneDoesNotAndRemovalLeavesNothing() throws Exception {
        var agent = agentWithTheInternetServing();

        agent.run(sleeper("open", egress(ContainerSpec.Egress.PUBLIC)));
        agent.run(sleeper("closed", ContainerSpec.Network.NONE));
        agent.run(sleeper("loopback", null));

        assertThat(awaitFetch(agent, "open")).contains("hello from the test internet");
        assertThat(fetch(agent, "closed")).startsWith("failed");
        // The page crossed the container's eth0: its resource sample counts the bytes, loopback's left out.
        agent.samples().sampleAll();
        var sampled = agent.statuses().stream().filter(s -> s.name().equals("open")).findFirst().orElseThrow().metrics();
        assertThat(sampled.rxBytes()).as(sampled.toString()).isGreaterThan("hello from the test internet".length());
        assertThat(sampled.txBytes()).as(sampled.toString()).isPositive();

        assertThat(agent.exec("open", List.of("/bin/cat", "/etc/resolv.conf")).output()).contains("nameserver " + internet.address);
        assertThat(agent.exec("closed", List.of("/bin/cat", "/etc/resolv.conf")).output()).doesNotContainPattern("(?m)^nameserver");
        assertThat(agent.exec("loopback", List.of("/bin/cat", "/proc/net/dev")).output()).contains("lo:").doesNotContain("eth0");
        assertThat(agent.exec("open", List.of("/bin/cat", "/proc/net/dev")).output()).contains("lo:", "eth0:");
        // The namespaces are the agent's: loopback up with its address, sysfs of the container's network, low ports open.
        assertThat(agent.exec("open", List.of("/bin/cat", "/sys/class/net/lo/flags")).output().strip()).isEqualTo("0x9");
        assertThat(agent.exec("open", List.of("/bin/cat", "/proc/net/fib_trie")).output()).contains("127.0.0.1");
        assertThat(agent.exec("open", List.of("/bin/ls", "/sys/class/net")).output().split("\\s+")).containsExactlyInAnyOrder("eth0", "lo");
        assertThat(agent.exec("open", List.of("/bin/cat", "/sys/class/net/eth0/mtu")).output().strip()).as("the veth's MTU").isEqualTo("65535");
        assertThat(agent.exec("open", List.of("/bin/sh", "-c", "nc -l -p 80 & sleep 0.3; cat /proc/net/tcp /proc/net/tcp6; kill %1"))
                .output()).as("listening on port 80 (0050)").containsPattern(":0050 [0-9A-F:]+ 0A");

        for (String name : List.of("open", "closed", "loopback")) {
            var report = agent.inspect(name).isolation();
            assertThat(report.items()).as(name + ": " + report).allSatisfy(i -> assertThat(i.pass()).as(i.toString()).isTrue());
        }
        assertThat(agent.inspect("open").isolation().items()).extracting(IsolationReport.Item::name)
                .contains("network interfaces", "network addresses", "default route", "resolvers", "firewall");
        assertThat(agent.inspect("loopback").isolation().items()).extracting(IsolationReport.Item::name)
                .contains("network interfaces").doesNotContain("resolvers", "firewall");

        var veths = new ArrayList<String>();
        for (String name : List.of("open", "closed")) {
            veths.add(hostInterface(agent, name));
        }
        assertThat(veths).allSatisfy(v -> assertThat(TestInternet.linkExists(v)).as(v).isTrue());
        assertThat(firewall().containers()).containsExactlyInAnyOrder("open", "closed");

        // A restarted agent adopts running containers with their network as it is.
        agent.close();
        agents.remove(agent);
        var successor = agent("198.51.100.64/28", 1);
        assertThat(veths).allSatisfy(v -> assertThat(TestInternet.linkExists(v)).as(v).isTrue());
        assertThat(firewall().containers()).containsExactlyInAnyOrder("open", "closed");
        assertThat(fetch(successor, "open")).contains("hello from the test internet");
        assertThat(fetch(successor, "closed")).startsWith("failed");

        stopAndRemove(successor, "open", "closed", "loopback");
        assertNothingLeft(veths);
    }

    @Test
    void anAgentDyingBetweenAddAndAnswerLeavesNothingAfterItsRestart() throws Exception {
        var agent = agent("198.51.100.80/28", 2);
        var added = new CountDownLatch(1);
        var veth = new CompletableFuture<String>();
        afterAdd(agent, "doomed", veth, () -> {
            added.countDown();
            throw new AgentCrash();
        });
        var run = new CompletableFuture<Void>();
        Thread.ofPlatform().start(() -> {
            try {
                agent.run(sleeper("doomed", egress(ContainerSpec.Egress.PUBLIC)));
                run.complete(null);
            } catch (Throwable e) {
                run.completeExceptionally(e);
            }
        });
        assertThat(added.await(30, TimeUnit.SECONDS)).as(() -> "the setup reached ADD; the run: " + (run.isCompletedExceptionally() ? run.exceptionNow() : "running")).isTrue();
        String link = veth.get(5, TimeUnit.SECONDS);
        assertThat(TestInternet.linkExists(link)).as("CNI ADD made " + link).isTrue();

        // The dead agent's successor takes over the same state directory while runc still waits in the hook.
        var successor = agent("198.51.100.80/28", 2);
        assertThatThrownBy(() -> run.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(AgentCrash.class);
        assertThat(successor.ps()).extracting(ContainerInfo::name).containsExactly("doomed");
        assertThat(successor.ps().getFirst().status()).isEqualTo("exited");
        assertNothingLeft(List.of(link));

        successor.remove("doomed");
        assertNothingLeft(List.of(link));
    }

    @Test
    void anAgentDyingRightAfterMakingTheNamespaceLeavesNothingAfterItsRestart() throws Exception {
        var agent = agent("198.51.100.80/28", 2);
        Path netns = state.resolve("network/netns/early");
        agent.launcherForTests().afterNetworkNamespace = () -> {
            assertThat(mounted(netns)).as("the namespace is pinned before runc starts").isTrue();
            throw new AgentCrash();
        };
        assertThatThrownBy(() -> agent.run(sleeper("early", egress(ContainerSpec.Egress.PUBLIC)))).isInstanceOf(AgentCrash.class);
        assertThat(state.resolve("containers/early/network.json")).as("recorded before it was made").exists();

        var successor = agent("198.51.100.80/28", 2);
        assertThat(successor.ps()).extracting(ContainerInfo::name).containsExactly("early");
        assertNothingLeft(List.of());
        successor.remove("early");
        assertNothingLeft(List.of());
    }

    @Test
    void aCreationTheAgentDidNotFinishIsUndoneByItsSuccessor() throws Exception {
        var agent = agent("198.51.100.80/28", 2);
        agent.run(sleeper("half", egress(ContainerSpec.Egress.PUBLIC)));
        String veth = hostInterface(agent, "half");
        agent.stop("half", Duration.ZERO);
        agent.close();
        agents.remove(agent);
        // As an agent dying before the spec is written leaves it (the network began before the bundle was written).
        Files.delete(state.resolve("containers/half/spec.json"));

        var successor = agent("198.51.100.80/28", 2);
        assertThat(successor.ps()).isEmpty();
        assertThat(state.resolve("containers/half")).doesNotExist();
        assertNothingLeft(List.of(veth));
        successor.run(sleeper("half", egress(ContainerSpec.Egress.PUBLIC)));
        assertThat(successor.ps()).extracting(ContainerInfo::name).containsExactly("half");
        successor.stop("half", Duration.ZERO);
        successor.remove("half");
        assertNothingLeft(List.of());
    }

    @Test
    void aBundleRefusedAfterTheNetworkBeganLeavesNoNetworkBehind() throws Exception {
        var agent = agent("198.51.100.80/28", 2);
        // The namespace and the setup begin before the bundle is written; the bundle's checks then refuse it.
        var spec = RunArguments.parse(List.of("--name", "refused", "--app", "net", "--rootfs", rootfs.toString(), "--memory", "32Mi",
                "--cap", "CAP_SYS_ADMIN", "--", "/bin/sleep", "600")).withNetwork(egress(ContainerSpec.Egress.PUBLIC));
        assertThatThrownBy(() -> agent.run(spec)).hasMessageContaining("CAP_SYS_ADMIN");
        assertThat(agent.ps()).isEmpty();
        assertThat(state.resolve("containers/refused")).doesNotExist();
        assertNothingLeft(List.of());
        // It begins before the root filesystem is even looked for (an image would be pulled then).
        var missing = RunArguments.parse(List.of("--name", "missing", "--app", "net", "--rootfs", rootfs.resolve("no-such-dir").toString(),
                "--memory", "32Mi", "--", "/bin/sleep", "600")).withNetwork(egress(ContainerSpec.Egress.PUBLIC));
        assertThatThrownBy(() -> agent.run(missing)).hasMessageContaining("is not a directory");
        assertThat(agent.ps()).isEmpty();
        assertNothingLeft(List.of());
    }

    @Test
    void aRestartedRunIsAttachedAgainWithItsOldLeaseReleased() throws Exception {
        var agent = agent("198.51.100.96/28", 3);
        agent.run(failingOnce("flaky", ""));
        awaitRestarted(agent);
        assertThat(agent.ps().getFirst().restarts()).isEqualTo(1);
        assertThat(agent.ps().getFirst().status()).isEqualTo("running");
        String veth = hostInterface(agent, "flaky");
        assertThat(TestInternet.linkExists(veth)).isTrue();
        String holder = agent.launcherForTests().network().attached(state.resolve("containers/flaky")).orElseThrow().cniIdOr("flaky");
        String spare = awaitSpare(agent, "net", holder).cniId();
        assertThat(leaseHolders()).as("one lease, beside the app's spare network's").containsExactlyInAnyOrder(holder, spare);
        assertThat(firewall().containers()).containsExactly("flaky");
        assertThat(agent.inspect("flaky").isolation().items()).allSatisfy(i -> assertThat(i.pass()).as(i.toString()).isTrue());

        agent.stop("flaky", Duration.ZERO);
        agent.remove("flaky");
        assertNothingLeft(List.of(veth));
    }

    @Test
    void aContainerWhoseBundleAnOlderAgentWroteIsAttachedThroughItsProcessAndDetachedCleanly() throws Exception {
        var agent = agent("198.51.100.96/28", 3);
        agent.run(failingOnce("older", "sleep 4; "));
        agent.close();
        agents.remove(agent);
        // Its bundle as an agent before the agent's own namespaces wrote it: runc makes them, the hook names the process.
        Path config = new ContainerDir(state.resolve("containers/older")).config();
        var json = (tools.jackson.databind.node.ObjectNode) tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(Files.readString(config));
        for (var ns : json.path("linux").path("namespaces")) ((tools.jackson.databind.node.ObjectNode) ns).remove("path");
        Files.writeString(config, json.toString());

        var successor = agent("198.51.100.96/28", 3);
        awaitRestarted(successor);
        assertThat(successor.ps().getFirst().status()).isEqualTo("running");
        var attached = successor.launcherForTests().network().attached(state.resolve("containers/older")).orElseThrow();
        assertThat(attached.process()).as("attached through its process").isNotNull();
        assertThat(attached.netns()).isNull();
        assertThat(successor.exec("older", List.of("/bin/cat", "/proc/net/dev")).output()).contains("eth0:");
        assertThat(firewall().containers()).containsExactly("older");

        successor.stop("older", Duration.ZERO);
        successor.remove("older");
        assertNothingLeft(List.of(attached.hostInterface()));
    }

    @Test
    void aFailedSetupFailsTheStartWithItsReasonAndLeavesNothing() throws Exception {
        var agent = agent("198.51.100.80/28", 2);
        var veth = new CompletableFuture<String>();
        afterAdd(agent, "refused", veth, () -> {
            throw new IllegalStateException("no rules for you");
        });
        assertThatThrownBy(() -> agent.run(sleeper("refused", egress(ContainerSpec.Egress.PUBLIC))))
                .hasMessageContaining("network setup of refused failed: no rules for you");
        assertThat(agent.ps()).isEmpty();
        assertThat(state.resolve("containers/refused")).doesNotExist();
        assertNothingLeft(List.of(veth.get(5, TimeUnit.SECONDS)));
        assertThat(state.resolve("network/resolv/refused")).doesNotExist();

        agent.afterNetworkAdd(() -> { });
        agent.run(sleeper("refused", egress(ContainerSpec.Egress.PUBLIC)));
        assertThat(agent.ps().getFirst().status()).as("the name is free again").isEqualTo("running");
    }

    @Test
    void whatAVanishedContainerLeftIsRemovedWhenTheAgentStarts() throws Exception {
        var agent = agent("198.51.100.96/28", 3);
        agent.run(sleeper("vanished", egress(ContainerSpec.Egress.PUBLIC)));
        String veth = hostInterface(agent, "vanished");
        agent.close();
        agents.remove(agent);
        // Gone behind the agent's back (a removal cut short): runc's record and the directory, not the lease or rules.
        TestInternet.run(List.of(RuntimePrerequisites.RUNC.toString(), "--root", state.resolve("runc").toString(), "delete", "--force",
                "vanished"));
        try (Stream<Path> paths = Files.walk(state.resolve("containers/vanished"))) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
        assertThat(firewall().containers()).containsExactly("vanished");

        var successor = agent("198.51.100.96/28", 3);
        assertThat(successor.ps()).isEmpty();
        assertNothingLeft(List.of(veth));
        assertThat(state.resolve("network/resolv/vanished")).doesNotExist();
    }

    @Test
    void theAppsNextContainersTakeTheSpareMadeAfterTheLastStartAndTheLastRemovalRemovesIt() throws Exception {
        var agent = agentWithTheInternetServing();
        agent.run(sleeper("first", egress(ContainerSpec.Egress.PUBLIC)));
        var network = agent.launcherForTests().network();
        assertThat(network.attached(state.resolve("containers/first")).orElseThrow().cniId()).as("no spare before the first start").isNull();

        var veths = new ArrayList<String>(List.of(hostInterface(agent, "first")));
        var spare = awaitSpare(agent, "net", null);
        veths.add(spare.hostInterface());
        assertThat(spare.cniId()).startsWith("Spare-");
        assertThat(firewall().containers()).as("a spare has no rules").containsExactly("first");
        assertThat(mounted(Path.of(spare.netns()))).isTrue();
        // Nothing passes from a spare before it is taken: no rules, so the host's table drops what its interface sends.
        assertThat(awaitFetch(agent, "first")).contains("hello from the test internet");
        assertThat(TestInternet.run(List.of("nsenter", "--net=" + spare.netns(), "timeout", "3", "bash", "-c",
                "exec 3<>/dev/tcp/" + internet.address + "/8080 && echo reached"))).doesNotContain("reached");

        agent.run(sleeper("second", egress(ContainerSpec.Egress.PUBLIC)));
        var second = network.attached(state.resolve("containers/second")).orElseThrow();
        assertThat(second.cniId()).as("took the spare").isEqualTo(spare.cniId());
        assertThat(second.hostInterface()).isEqualTo(spare.hostInterface());
        assertThat(second.netns()).isEqualTo(state.resolve("network/netns/second").toString());
        assertThat(mounted(Path.of(spare.netns()))).as("the spare's own pin is gone").isFalse();
        assertThat(awaitFetch(agent, "second")).contains("hello from the test internet");
        assertThat(firewall().containers()).containsExactlyInAnyOrder("first", "second");

        var next = awaitSpare(agent, "net", spare.cniId());
        veths.add(next.hostInterface());
        agent.run(sleeper("third", ContainerSpec.Network.NONE));
        assertThat(network.attached(state.resolve("containers/third")).orElseThrow().cniId()).isEqualTo(next.cniId());
        assertThat(fetch(agent, "third")).startsWith("failed");
        for (String name : List.of("second", "third")) {
            var report = agent.inspect(name).isolation();
            assertThat(report.items()).as(name + ": " + report).allSatisfy(i -> assertThat(i.pass()).as(i.toString()).isTrue());
        }
        veths.add(awaitSpare(agent, "net", next.cniId()).hostInterface());

        stopAndRemove(agent, "first", "second", "third");
        assertThat(network.spare("net")).as("the app's last container took its spare along").isEmpty();
        assertNothingLeft(veths);
        assertThat(state.resolve("network/spare/records")).isEmptyDirectory();
    }

    @Test
    void aSpareOfAnotherAppIsNotTaken() throws Exception {
        var agent = agent("198.51.100.80/28", 2);
        agent.run(sleeper("mine", egress(ContainerSpec.Egress.PUBLIC)));
        var spare = awaitSpare(agent, "net", null);
        agent.run(sleeper("theirs", "other", egress(ContainerSpec.Egress.PUBLIC)));
        var network = agent.launcherForTests().network();
        assertThat(network.attached(state.resolve("containers/theirs")).orElseThrow().cniId()).as("made its own").isNull();
        assertThat(network.spare("net").orElseThrow().cniId()).isEqualTo(spare.cniId());
        var veths = List.of(hostInterface(agent, "mine"), hostInterface(agent, "theirs"), spare.hostInterface(),
                awaitSpare(agent, "other", null).hostInterface());
        assertThat(agent.inspect("theirs").isolation().items()).allSatisfy(i -> assertThat(i.pass()).as(i.toString()).isTrue());
        stopAndRemove(agent, "mine", "theirs");
        assertNothingLeft(veths);
    }

    @Test
    void sparesAnAgentLeftAreRemovedByItsSuccessorAndContainersInTakenOnesKeepTheirNetwork() throws Exception {
        var agent = agent("198.51.100.96/28", 3);
        agent.run(sleeper("one", egress(ContainerSpec.Egress.PUBLIC)));
        var first = awaitSpare(agent, "net", null);
        agent.run(sleeper("two", egress(ContainerSpec.Egress.PUBLIC)));
        var second = awaitSpare(agent, "net", first.cniId());
        var veths = List.of(hostInterface(agent, "one"), first.hostInterface(), second.hostInterface());
        agent.close();
        agents.remove(agent);

        var successor = agent("198.51.100.96/28", 3);
        var deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (TestInternet.linkExists(second.hostInterface()) && Instant.now().isBefore(deadline)) Thread.sleep(50);
        assertThat(TestInternet.linkExists(second.hostInterface())).as("the spare left is gone").isFalse();
        assertThat(TestInternet.linkExists(first.hostInterface())).as("the taken one stays").isTrue();
        assertThat(leaseHolders()).containsExactlyInAnyOrder("one", first.cniId());
        assertThat(state.resolve("network/spare/records")).isEmptyDirectory();
        assertThat(firewall().containers()).containsExactlyInAnyOrder("one", "two");
        assertThat(successor.exec("two", List.of("/bin/cat", "/proc/net/dev")).output()).contains("eth0:");

        stopAndRemove(successor, "one", "two");
        assertNothingLeft(veths);
    }

    @Test
    void anAgentDyingDuringASparesAddLeavesNothingAfterItsSuccessorsRepair() throws Exception {
        var agent = agent("198.51.100.80/28", 2);
        var added = new CountDownLatch(1);
        agent.launcherForTests().network().afterSpareAdd(() -> {
            added.countDown();
            throw new AgentCrash();
        });
        agent.run(sleeper("lonely", egress(ContainerSpec.Egress.PUBLIC)));
        assertThat(added.await(30, TimeUnit.SECONDS)).isTrue();
        Path records = state.resolve("network/spare/records");
        String spareVeth;
        try (Stream<Path> files = Files.list(records)) {
            var record = tools.jackson.databind.json.JsonMapper.builder().build().readTree(Files.readString(files.findFirst().orElseThrow()));
            spareVeth = record.path("attached").path("hostInterface").asString();
        }
        assertThat(TestInternet.linkExists(spareVeth)).as("CNI ADD made " + spareVeth).isTrue();
        var veths = List.of(hostInterface(agent, "lonely"), spareVeth);

        var successor = agent("198.51.100.80/28", 2); // the first agent is dead: never closed
        assertThat(successor.ps()).extracting(ContainerInfo::name).containsExactly("lonely");
        successor.stop("lonely", Duration.ZERO);
        successor.remove("lonely");
        assertNothingLeft(veths);
        assertThat(records).isEmptyDirectory();
    }

    private static void stopAndRemove(AgentService agent, String... names) throws IOException {
        for (String name : names) {
            agent.stop(name, Duration.ZERO);
            agent.remove(name);
        }
    }

    /** The spare network of {@code app} once it is ready, other than {@code not} (10 s at most). */
    private dev.berth.agent.containernet.Attached awaitSpare(AgentService agent, String app, String not) throws Exception {
        var deadline = Instant.now().plus(Duration.ofSeconds(10));
        var network = agent.launcherForTests().network();
        while (Instant.now().isBefore(deadline)) {
            var spare = network.spare(app);
            if (spare.isPresent() && !spare.get().cniId().equals(not)) return spare.get();
            Thread.sleep(20);
        }
        throw new AssertionError("no spare network for " + app + " after 10 s");
    }

    /** Who holds each lease of the agent (host-local's files name their holder first). */
    private List<String> leaseHolders() throws IOException {
        Path leases = state.resolve("network/leases/berth");
        try (Stream<Path> files = Files.exists(leases) ? Files.list(leases) : Stream.empty()) {
            var out = new ArrayList<String>();
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("198.51.100.")).toList()) {
                out.add(Files.readString(f).lines().findFirst().orElse("").strip());
            }
            return out;
        }
    }

    /** Fails once after {@code firstRun} (a volume remembers), then sleeps: the supervisor restarts it after a second. */
    private ContainerSpec failingOnce(String name, String firstRun) {
        return RunArguments.parse(List.of("--name", name, "--app", "net", "--rootfs", rootfs.toString(), "--memory", "32Mi",
                "--volume", "data:/data:8Mi", "--restart", "on-failure", "--", "/bin/sh", "-c",
                "if [ -e /data/failed ]; then exec sleep 600; fi; touch /data/failed; " + firstRun + "exit 1"))
                .withNetwork(egress(ContainerSpec.Egress.PUBLIC));
    }

    /** Until the agent's one container runs again after a restart (30 s at most). */
    private static void awaitRestarted(AgentService agent) throws Exception {
        var deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            var info = agent.ps().getFirst();
            if (info.restarts() >= 1 && info.status().equals("running")) return;
            Thread.sleep(100);
        }
    }

    /** The host end of the container's veth, as the agent keeps it. */
    private String hostInterface(AgentService agent, String name) throws IOException {
        return agent.launcherForTests().network().attached(state.resolve("containers").resolve(name)).orElseThrow().hostInterface();
    }

    /** Right after the container's CNI ADD: its veth into {@code veth}, then {@code then} (which may throw). */
    private void afterAdd(AgentService agent, String name, CompletableFuture<String> veth, Runnable then) {
        agent.afterNetworkAdd(() -> {
            try {
                veth.complete(hostInterface(agent, name));
            } catch (IOException e) {
                veth.completeExceptionally(e);
            }
            then.run();
        });
    }

    /** Thrown where the agent would have died. */
    private static final class AgentCrash extends Error {
    }

    private String awaitFetch(AgentService agent, String name) throws Exception {
        // The firewall and routes are in place before the process runs; httpd may still be starting.
        var deadline = Instant.now().plus(Duration.ofSeconds(10));
        String last = fetch(agent, name);
        while (last.startsWith("failed") && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            last = fetch(agent, name);
        }
        return last;
    }

    private void assertNothingLeft(List<String> veths) throws Exception {
        var deadline = Instant.now().plus(Duration.ofSeconds(10));
        // A veth goes with its namespace, which the kernel dismantles a moment after the last process left.
        while (veths.stream().anyMatch(TestInternet::linkExists) && Instant.now().isBefore(deadline)) Thread.sleep(50);
        assertThat(veths).allSatisfy(v -> assertThat(TestInternet.linkExists(v)).as(v + " is gone").isFalse());
        Path leases = state.resolve("network/leases/berth");
        try (Stream<Path> files = Files.exists(leases) ? Files.list(leases) : Stream.empty()) {
            assertThat(files.map(f -> f.getFileName().toString())).as("leases").noneMatch(f -> f.startsWith("198.51.100."));
        }
        assertThat(firewall().containers()).as("firewall chains").isEmpty();
        String agentNetwork = state.resolve("network").toAbsolutePath().normalize() + "/";
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo"))).as("the agent's namespace mounts")
                .noneMatch(line -> line.contains(agentNetwork));
        for (String dir : List.of("netns", "userns", "spare/netns", "spare/userns")) {
            Path d = state.resolve("network").resolve(dir);
            try (Stream<Path> files = Files.exists(d) ? Files.list(d) : Stream.empty()) {
                assertThat(files).as(dir + " files").isEmpty();
            }
        }
    }

    private static boolean mounted(Path file) {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .anyMatch(line -> line.contains(" " + file.toAbsolutePath().normalize() + " "));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
