package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.Await;
import dev.berth.agent.connect.RemoteReplicas;
import dev.berth.agent.containernet.NetworkSettings;
import dev.berth.agent.firewall.Firewall;
import dev.berth.agent.protocol.AssignedContainer;
import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.ConnectTarget;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.protocol.HealthCheck;
import dev.berth.agent.protocol.HealthTiming;
import dev.berth.agent.runtime.Runc;
import dev.berth.agent.runtime.RuntimePrerequisites;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import dev.berth.agent.net.NamespaceDialer;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import dev.berth.registry.network.Cidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * App-to-app connects with real containers: a consumer reaches {@code 127.0.0.1:15432} on its own
 * loopback and lands on a replica of acme.db (busybox httpd on its own loopback, port 5432), in
 * turn, as each assignment says; a backend on another host goes through {@link RemoteReplicas},
 * here a stand-in that reaches a loopback server of this test.
 */
class ConnectsAgentTest {
    static final String HOST = "h-000000000007";
    private static final String OTHER_HOST = "h-000000000008";
    static final int LOCAL = 15432;
    /** The benchmarks' /28 of TEST-NET-2: no other test that runs in CI uses it. */
    static final String SUBNET = "198.51.100.112/28";
    private Path work;
    private AgentService agent;
    private long generation;

    /** The peer link's stand-in for this test: a remote backend is "reached" at a loopback server the test runs. */
    static final class LoopbackRemoteReplicas implements RemoteReplicas {
        final List<String> opened = new CopyOnWriteArrayList<>();
        final int port;

        LoopbackRemoteReplicas(int port) {
            this.port = port;
        }

        @Override
        public ByteChannel open(ConnectTarget.Backend backend, String portName, String consumerApp, Duration timeout)
                throws IOException {
            opened.add(backend.container() + " " + portName + " " + consumerApp);
            if (backend.container().startsWith("refusing")) throw new IOException("peer refused " + backend.container());
            return SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        RuntimePrerequisites.require();
        work = Files.createTempDirectory("berth-connects-test");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        agent = AgentService.open(work.resolve("state"), RuntimePrerequisites.RUNC, options());
        BusyboxImage.importInto(agent, work);
    }

    /**
     * Loopback publishing, a short stop grace, and a container subnet from TEST-NET-2: the
     * containers get a network (their specs carry connects), and the default range is a real
     * private one.
     */
    static AgentOptions options() {
        return AgentOptions.defaults().withPublishAddress("127.0.0.1", null).withStopGrace(Duration.ofMillis(300))
                .withNetwork(new NetworkSettings(NetworkSettings.subnet(SUBNET), List.of()));
    }

    /** Deletes the agent's firewall table, which outlives the agent on purpose (its containers could still run). */
    static void deleteFirewall(Path state) throws IOException {
        Firewall.open(Path.of("/usr/sbin/nft"), AgentTag.of(state.toAbsolutePath().normalize()).firewallTable(),
                List.of(Cidr.parse(SUBNET))).delete();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (agent != null) {
            agent.apply(new Assignment(Assignment.VERSION, HOST, Long.MAX_VALUE, List.of()));
            Await.until(() -> agent.assignmentsIdle() && agent.ps().isEmpty());
            agent.close();
            deleteFirewall(work.resolve("state"));
        }
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** A replica of acme.db: httpd answering its own name on 127.0.0.1:5432, health-checked, nothing published. */
    private static AssignedContainer db(String name) {
        return db(name, "", 64L << 20, 1L << 20);
    }

    /** A replica of acme.db that runs {@code prepare} first, with this much memory and /www. */
    static AssignedContainer db(String name, String prepare, long memory, long www) {
        var spec = new ContainerSpec(ContainerSpec.VERSION, name, "acme.db", null, BusyboxImage.REFERENCE,
                List.of("/bin/sh", "-c", prepare + "echo $HOSTNAME > /www/index.html; exec httpd -f -p 127.0.0.1:5432 -h /www"),
                Map.of(), null, "/", new ContainerSpec.Resources(memory, 500, 64), List.of(),
                List.of(new ContainerSpec.TmpfsMount("/www", www)), List.of(), List.of(),
                new HealthCheck.Http(5432, "/index.html"), new HealthTiming(200, 1000, 1, 3), ContainerSpec.RestartPolicy.ON_FAILURE,
                null);
        return new AssignedContainer(spec, 1, Map.of());
    }

    /**
     * A replica of acme.db with a network of its own whose httpd listens on every address
     * (0.0.0.0:5432): the kernel can forward connects to it.
     */
    static AssignedContainer dbOnItsInterface(String name) {
        var spec = db(name).spec();
        return new AssignedContainer(new ContainerSpec(spec.version(), name, spec.app(), null, spec.image(),
                List.of("/bin/sh", "-c", "echo $HOSTNAME > /www/index.html; exec httpd -f -p 5432 -h /www"),
                spec.env(), null, "/", spec.resources(), List.of(), spec.tmpfs(), List.of(), List.of(), spec.health(), spec.healthTiming(),
                spec.restart(), new ContainerSpec.Network(ContainerSpec.Egress.NONE, List.of(), List.of())), 1, Map.of());
    }

    /** A replica of acme.api that sleeps, and connects to acme.db's port pg at 127.0.0.1:15432. */
    static AssignedContainer api(String name) {
        var spec = new ContainerSpec(ContainerSpec.VERSION, name, "acme.api", null, BusyboxImage.REFERENCE,
                List.of("/bin/sleep", "600"), Map.of(), null, "/", new ContainerSpec.Resources(64L << 20, 500, 64), List.of(),
                List.of(), List.of(), List.of(), null, null, ContainerSpec.RestartPolicy.ON_FAILURE,
                new ContainerSpec.Network(ContainerSpec.Egress.NONE, List.of(), List.of(new ContainerSpec.Connect("acme.db", "pg", LOCAL))));
        return new AssignedContainer(spec, 1, Map.of());
    }

    static ConnectTarget.Backend here(String container) {
        return new ConnectTarget.Backend(HOST, container, 5432, null);
    }

    private static ConnectTarget.Backend elsewhere(String container) {
        return new ConnectTarget.Backend(OTHER_HOST, container, 5432, "203.0.113.12:7443");
    }

    private void assign(List<AssignedContainer> containers, ConnectTarget.Backend... backends) {
        agent.apply(new Assignment(Assignment.VERSION, HOST, ++generation, containers,
                List.of(new ConnectTarget("acme.db", "pg", List.of(backends))), List.of()));
    }

    /** What the consumer gets for {@code GET /index.html} through its connect (busybox nc: its static wget needs a resolver). */
    private Runc.ExecResult fetch() throws IOException {
        return fetch(agent, "api-1", LOCAL, "/index.html", "");
    }

    /** {@code GET path} from inside {@code container} to its {@code 127.0.0.1:port}, the answer piped through {@code filter}. */
    static Runc.ExecResult fetch(AgentService agent, String container, int port, String path, String filter) throws IOException {
        return agent.exec(container, List.of("/bin/sh", "-c",
                "printf 'GET " + path + " HTTP/1.0\\r\\n\\r\\n' | /bin/busybox nc -w 10 127.0.0.1 " + port + filter));
    }

    private String body() throws IOException {
        var r = fetch();
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).startsWith("HTTP/1.").contains(" 200 ");
        var lines = r.output().strip().lines().toList();
        return lines.getLast().strip();
    }

    private boolean serving(String name) throws IOException {
        return agent.statuses().stream().anyMatch(s -> s.name().equals(name) && "healthy".equals(s.health()));
    }

    @Test
    void theConsumerReachesTheAssignedReplicasInTurnAndFollowsNewAssignments() throws Exception {
        var all = List.of(db("db-1"), db("db-2"), api("api-1"));
        assign(all, here("db-1"), here("db-2"));
        Await.until(() -> agent.assignmentsIdle() && serving("db-1") && serving("db-2") && agent.connectsListening().contains("api-1"));

        var answers = new ArrayList<String>();
        for (int i = 0; i < 4; i++) answers.add(body());
        assertThat(answers).as("round robin").containsAnyOf("db-1", "db-2");
        assertThat(answers.get(0)).isNotEqualTo(answers.get(1));
        assertThat(answers.get(0)).isEqualTo(answers.get(2));
        assertThat(answers.get(1)).isEqualTo(answers.get(3));

        // A new assignment moves new connections without restarting the listener.
        assign(all, here("db-2"));
        for (int i = 0; i < 3; i++) assertThat(body()).isEqualTo("db-2");

        // A backend this agent does not hold, or holds out of traffic, is passed over.
        assign(all, here("db-9"), here("db-1"));
        for (int i = 0; i < 3; i++) assertThat(body()).isEqualTo("db-1");

        // No backend: the app hears at once, rather than hang.
        assign(all);
        long started = System.nanoTime();
        var refused = fetch();
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(refused.output()).as("nothing answered").doesNotContain("HTTP/1.");
        assertThat(millis).as("refused within (ms)").isLessThan(3000);
        System.out.println("connects: a connect without backend failed after " + millis + " ms (runc exec included)");
    }

    @Test
    void aBackendOnAnotherHostGoesThroughThePeerLinkAndARefusalFallsThrough() throws Exception {
        try (var server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> answer(server, "remote db-5"));
            var remote = new LoopbackRemoteReplicas(server.getLocalPort());
            agent.remoteReplicas(remote);
            var all = List.of(db("db-1"), api("api-1"));
            assign(all, elsewhere("db-5"));
            Await.until(() -> agent.assignmentsIdle() && serving("db-1") && agent.connectsListening().contains("api-1"));
            assertThat(body()).isEqualTo("remote db-5");
            assertThat(remote.opened).containsExactly("db-5 pg acme.api");

            assign(all, elsewhere("refusing-db-6"), here("db-1"));
            assertThat(body()).isEqualTo("db-1");
            assertThat(body()).isEqualTo("db-1");
            assertThat(remote.opened).contains("refusing-db-6 pg acme.api");

            // The consumer leaves: its listener closes with it.
            agent.apply(new Assignment(Assignment.VERSION, HOST, ++generation, List.of(db("db-1")), List.of(), List.of()));
            Await.until(() -> agent.assignmentsIdle() && !agent.connectsListening().contains("api-1"));
        }
    }

    @Test
    void aLocalReplicaOnItsInterfaceIsReachedThroughTheKernelAndARemoteOneStillThroughThePeerLink() throws Exception {
        try (var server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> answer(server, "remote db-5"));
            var remote = new LoopbackRemoteReplicas(server.getLocalPort());
            agent.remoteReplicas(remote);
            var all = List.of(dbOnItsInterface("db-1"), api("api-1"));
            assign(all, here("db-1"), elsewhere("db-5"));
            Await.until(() -> agent.assignmentsIdle() && serving("db-1") && !agent.connectsForwarded("api-1").isEmpty());
            assertThat(agent.connectsForwarded("api-1")).singleElement()
                    .satisfies(f -> assertThat(f.slots()).isEqualTo(2))
                    .satisfies(f -> assertThat(f.kernel()).singleElement().satisfies(a -> assertThat(a.getPort()).isEqualTo(5432)));

            var answers = new ArrayList<String>();
            for (int i = 0; i < 4; i++) answers.add(body());
            // Every backend keeps its turn: the kernel's to db-1, the listener's (relayed) to the remote one.
            assertThat(answers).containsExactlyInAnyOrder("db-1", "db-1", "remote db-5", "remote db-5");
            assertThat(remote.opened).as("the listener relayed only the remote turns").hasSize(2);
            long pid = agent.ps().stream().filter(c -> c.name().equals("api-1")).findFirst().orElseThrow().pid();
            assertThat(nftInside(pid)).contains("dnat ip to numgen inc mod 2 map { 0 : ").containsPattern("counter packets [1-9]");

            // The replica leaves the assignment: every connect is relayed again, to the remote one.
            assign(all, elsewhere("db-5"));
            Await.until(() -> agent.connectsForwarded("api-1").isEmpty());
            assertThat(body()).isEqualTo("remote db-5");
            assertThat(nftInside(pid)).contains("berth_connects").doesNotContain("dnat ip to");
        }
    }

    /** The consumer's nftables ruleset, as its own namespace lists it. */
    private static String nftInside(long pid) throws Exception {
        var p = new ProcessBuilder("nsenter", "--net=/proc/" + pid + "/ns/net", "/usr/sbin/nft", "list", "ruleset")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void aRestartedConsumerListensInItsNewNamespace() throws Exception {
        var all = List.of(db("db-1"), api("api-1"));
        assign(all, here("db-1"));
        Await.until(() -> agent.assignmentsIdle() && serving("db-1") && agent.connectsListening().contains("api-1"));
        assertThat(body()).isEqualTo("db-1");
        long before = agent.ps().stream().filter(c -> c.name().equals("api-1")).findFirst().orElseThrow().pid();

        // Its process dies; the supervisor starts it again, in a new network namespace.
        ProcessHandle.of(before).orElseThrow().destroyForcibly();
        Await.until(() -> agent.ps().stream().anyMatch(c -> c.name().equals("api-1") && c.status().equals("running")
                && c.pid() != before && c.pid() != 0));
        Await.until(() -> fetch().output().contains(" 200 "));
        assertThat(body()).isEqualTo("db-1");
    }

    @Test
    void anOpenConnectionFinishesWhereItIsWhenItsBackendLeavesTheAssignment() throws Exception {
        var all = List.of(db("db-1"), api("api-1"));
        assign(all, here("db-1"));
        Await.until(() -> agent.assignmentsIdle() && serving("db-1") && agent.connectsListening().contains("api-1"));
        long pid = agent.ps().stream().filter(c -> c.name().equals("api-1")).findFirst().orElseThrow().pid();
        // As the app would: a connection to its own 127.0.0.1:15432, from inside its namespace.
        try (var inside = new NamespaceDialer(Path.of("/proc", Long.toString(pid), "ns", "net"), "connects-test");
             var open = inside.dial(LOCAL)) {
            open.write(ByteBuffer.wrap("GET /index.html HTTP/1.0\r\n".getBytes(StandardCharsets.US_ASCII)));
            // The listener takes its backend when it accepts, on its own thread; let it, before the assignment changes.
            Thread.sleep(500);
            assign(all);
            open.write(ByteBuffer.wrap("\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertThat(readAll(open)).startsWith("HTTP/1.").endsWith("db-1\n");

            try (var late = inside.dial(LOCAL)) {
                String answer;
                try {
                    late.write(ByteBuffer.wrap("GET /index.html HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                    answer = readAll(late);
                } catch (IOException reset) {
                    answer = "";
                }
                assertThat(answer).as("a new connection has no backend").isEmpty();
            }
        }
    }

    @Test
    void aConnectionTheKernelForwardedIsCountedAndFinishesWhereItIsWhenItsReplicaLeavesTheAssignment() throws Exception {
        var all = List.of(dbOnItsInterface("db-1"), api("api-1"));
        assign(all, here("db-1"));
        Await.until(() -> agent.assignmentsIdle() && serving("db-1") && !agent.connectsForwarded("api-1").isEmpty());
        long pid = agent.ps().stream().filter(c -> c.name().equals("api-1")).findFirst().orElseThrow().pid();
        // Connection tracking is the host's: entries of earlier tests' containers at the same address may linger.
        int before = agent.connectsActive("db-1");
        try (var inside = new NamespaceDialer(Path.of("/proc", Long.toString(pid), "ns", "net"), "connects-test");
             var open = inside.dial(LOCAL)) {
            open.write(ByteBuffer.wrap("GET /index.html HTTP/1.0\r\n".getBytes(StandardCharsets.US_ASCII)));
            // What a drain waits for: the host's connection tracking sees it, addressed to db-1 itself.
            Await.until(() -> agent.connectsActive("db-1") == before + 1);

            // db-1 leaves the assignment but runs on: the rule forgets it, the path stays open for what was forwarded.
            assign(all);
            Await.until(() -> agent.connectsForwarded("api-1").isEmpty());
            open.write(ByteBuffer.wrap("\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertThat(readAll(open)).startsWith("HTTP/1.").endsWith("db-1\n");
        }
        Await.until(() -> agent.connectsActive("db-1") == before);
        var refused = fetch();
        assertThat(refused.output()).as("a new connection has no backend").doesNotContain("HTTP/1.");
    }

    /** Everything until the other side closes; what came before a reset. */
    static String readAll(SocketChannel channel) {
        var out = new java.io.ByteArrayOutputStream();
        var buffer = ByteBuffer.allocate(64 * 1024);
        try {
            while (channel.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
        } catch (IOException reset) {
            // the connect refused it
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** A tiny HTTP server: every connection gets {@code text}. */
    private static void answer(ServerSocket server, String text) {
        while (!server.isClosed()) {
            try (var s = server.accept()) {
                s.getInputStream().read(new byte[4096]);
                s.getOutputStream().write(("HTTP/1.0 200 OK\r\nContent-Length: " + (text.length() + 1) + "\r\n\r\n" + text + "\n")
                        .getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                return;
            }
        }
    }
}
