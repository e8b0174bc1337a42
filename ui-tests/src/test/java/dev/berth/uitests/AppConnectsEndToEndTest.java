package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.peer.PeerClient;
import dev.berth.agent.peer.PeerCredentials;
import dev.berth.agent.peer.PeerIdentityStore;
import dev.berth.agent.protocol.ConnectTarget;
import dev.berth.testfixtures.AgentPrerequisites;
import dev.berth.testfixtures.Await;
import dev.berth.testfixtures.GitCli;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * App-to-app connects across two real agents on this machine: {@code web} reaches {@code db} on its
 * own {@code 127.0.0.1:9000}, and its agent relays each connection round robin to the replica on
 * its own host (inside that container's namespace) or to the one on the other host through the
 * agents' peer link (mutual TLS with the certificates the platform issued at join). A rollout of
 * {@code db} under a running client loses no request; an app without connects reaches nothing,
 * and a peer asking for an app no grant names is refused.
 */
class AppConnectsEndToEndTest {
    private static Cluster cluster;
    /**
     * A shell function: one {@code GET /} to the consumer's {@code 127.0.0.1:9000}, printing the
     * answer's body (its last line) or FAILED. busybox nc, since the static busybox's wget crashes
     * without a resolver in the image.
     */
    private static final String GET = "get() { r=$(printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 127.0.0.1 9000 | tail -n 1); "
            + "if [ -n \"$r\" ]; then echo \"$r\"; else echo FAILED; fi; }; ";

    @BeforeAll
    static void start() throws Exception {
        cluster = Cluster.start(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) cluster.close();
    }

    /** db answers with its container's hostname (its container name) and {@code greeting}; web only sleeps. */
    static String definition(String image, String greeting) {
        return """
                apiVersion: berth/v1
                apps:
                  db:
                    image: %1$s
                    command: ["/bin/sh", "-c", "echo \\"$(hostname) $GREETING\\" > /tmp/index.html && exec httpd -f -p 8080 -h /tmp"]
                    env: {GREETING: %2$s}
                    replicas: 2
                    resources: {memory: 32Mi, cpu: 0.25, pids: 64}
                    ports: [{name: http, port: 8080}]
                    health: {http: {port: http, path: /index.html}, interval: 1s, timeout: 1s}
                    tmpfs: {/tmp: 1Mi}
                    deploy: {strategy: rolling, maxSurge: 1, maxUnavailable: 0, healthTimeout: 30s}
                  web:
                    image: %1$s
                    command: ["/bin/sh", "-c", "exec sleep 100000"]
                    resources: {memory: 32Mi, cpu: 0.25, pids: 64}
                    tmpfs: {/tmp: 1Mi}
                    connects: [{app: db, port: http, local: 9000}]
                  other:
                    image: %1$s
                    command: ["/bin/sh", "-c", "exec sleep 100000"]
                    resources: {memory: 32Mi, cpu: 0.25, pids: 64}
                """.formatted(image, greeting);
    }

    @Test
    void webReachesBothReplicasOfDbOneThroughThePeerLinkAndARolloutLosesNoRequest() throws Exception {
        int[] peerPorts = freePorts(2);
        var agents = cluster.startAgents(new AgentStart("a", "21200-21299", "--peer-listen", "127.0.0.1:" + peerPorts[0]),
                new AgentStart("b", "21300-21399", "--peer-listen", "127.0.0.1:" + peerPorts[1]));
        var a = agents.get(0);
        var b = agents.get(1);

        long rev1 = GitCli.revisionOf(cluster.push(definition(cluster.image, "one"), "db, web and other"));
        JsonNode db = awaitDb(rev1);
        assertThat(hosts(db)).as("db's replicas spread over both agents").containsExactlyInAnyOrder(a.hostId, b.hostId);
        JsonNode web = cluster.awaitApp("web", Duration.ofSeconds(60), "web running", v -> running(v) == 1);
        var webHost = replica(web).path("hostId").asString().equals(a.hostId) ? a : b;
        String webContainer = replica(web).path("id").asString();

        // 1. Round robin over both replicas: the one on web's host directly, the other through the peer link.
        List<String> answers = Await.until(Duration.ofSeconds(30), "answers from both db replicas", () -> loop(webHost, webContainer, 6),
                lines -> lines.stream().filter(l -> l.endsWith(" one")).map(l -> l.split(" ")[0]).distinct().count() == 2);
        TreeSet<String> answered = new TreeSet<>(answers.stream().map(l -> l.split(" ")[0]).toList());
        assertThat(answered).isEqualTo(new TreeSet<>(containers(db)));

        // 2. A rollout of db while web's client loop runs through 127.0.0.1:9000: not one request fails.
        var client = new ProcessBuilder(AgentPrerequisites.RUNC.toString(), "--root", webHost.runcRoot().toString(), "exec", webContainer,
                "/bin/sh", "-c", GET + "while [ ! -e /tmp/stop ]; do get; done")
                .redirectErrorStream(true).start();
        var lines = new ArrayList<String>();
        var reader = Thread.ofVirtual().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        long rev2 = GitCli.revisionOf(cluster.push(definition(cluster.image, "two"), "db says two"));
        awaitDb(rev2);
        // More than 20 requests too: a rollout faster than the loop's first 20 must not fail the count below.
        Await.until(Duration.ofSeconds(15), "answers of revision two through the loop, over 20 requests in all", () -> {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }, seen -> seen.size() > 20 && seen.stream().filter(l -> l.endsWith(" two")).map(l -> l.split(" ")[0]).distinct().count() == 2);
        String touched = exec(webHost, webContainer, "/bin/sh", "-c", "touch /tmp/stop");
        boolean stopped = client.waitFor(20, TimeUnit.SECONDS);
        if (!stopped) client.destroyForcibly();
        reader.join(5000);
        List<String> sent;
        synchronized (lines) {
            sent = List.copyOf(lines);
        }
        assertThat(stopped).as("the client loop ends once told (touch said '%s'); its last lines: %s", touched,
                sent.subList(Math.max(0, sent.size() - 10), sent.size())).isTrue();
        long failed = sent.stream().filter(l -> !l.endsWith(" one") && !l.endsWith(" two")).count();
        System.out.println("AppConnectsEndToEndTest: during the rollout of db, " + sent.size() + " requests through 127.0.0.1:9000, "
                + failed + " failed");
        assertThat(sent.stream().filter(l -> !l.endsWith(" one") && !l.endsWith(" two")).toList()).as("failed requests").isEmpty();
        assertThat(sent.size()).isGreaterThan(20);

        // 3. An app without connects has nothing at 127.0.0.1:9000.
        JsonNode other = cluster.awaitApp("other", Duration.ofSeconds(30), "other running", v -> running(v) == 1);
        var otherHost = replica(other).path("hostId").asString().equals(a.hostId) ? a : b;
        var refused = exec(otherHost, replica(other).path("id").asString(), "/bin/sh", "-c",
                GET + "get");
        assertThat(refused).contains("Connection refused");
        assertThat(refused.strip()).endsWith("FAILED");

        // 4. A valid agent certificate asking on behalf of an app no grant names is refused by the peer listener.
        JsonNode now = cluster.app("db");
        JsonNode remote = StreamSupport.stream(now.path("replicas").spliterator(), false)
                .filter(r -> !r.path("hostId").asString().equals(webHost.hostId)).findFirst().orElseThrow();
        var asker = webHost;
        var server = asker == a ? b : a;
        var credentials = new PeerCredentials(PeerIdentityStore.in(asker.state).read().orElseThrow());
        var backend = new ConnectTarget.Backend(server.hostId, remote.path("id").asString(), 8080, server.options.get(1));
        assertThatThrownBy(() -> new PeerClient(credentials).open(backend, "http", "acme.other", Duration.ofSeconds(5)).close())
                .isInstanceOf(IOException.class).hasMessageContaining("no grant lets app acme.other");
        // The same certificate for the granted app gets through.
        try (var granted = new PeerClient(credentials).open(backend, "http", "acme.web", Duration.ofSeconds(5))) {
            assertThat(granted.isOpen()).isTrue();
        }
    }

    private static JsonNode awaitDb(long revision) throws Exception {
        return cluster.awaitApp("db", Duration.ofSeconds(90), "2 healthy replicas of db revision " + revision + " and nothing else",
                v -> v.path("revision").asLong() == revision && v.path("replicas").size() == 2
                        && StreamSupport.stream(v.path("replicas").spliterator(), false)
                        .allMatch(r -> r.path("state").asString().equals("HEALTHY") && r.path("revision").asLong() == revision));
    }

    /** {@code count} requests from inside the consumer's container, each answer (or FAILED) a line. */
    private static List<String> loop(Agent host, String container, int count) {
        try {
            return exec(host, container, "/bin/sh", "-c", GET + "for i in $(seq 1 " + count + "); do get; done").lines().toList();
        } catch (Exception e) {
            return List.of(e.toString());
        }
    }

    private static String exec(Agent host, String container, String... command) throws Exception {
        var args = new ArrayList<>(List.of(AgentPrerequisites.RUNC.toString(), "--root", host.runcRoot().toString(), "exec", container));
        args.addAll(List.of(command));
        var process = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** {@code count} different free ports: each socket stays bound until all are chosen, so none is chosen twice. */
    private static int[] freePorts(int count) throws IOException {
        var sockets = new ArrayList<ServerSocket>();
        try {
            for (int i = 0; i < count; i++) sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (var socket : sockets) socket.close();
        }
    }

    private static long running(JsonNode app) {
        return StreamSupport.stream(app.path("replicas").spliterator(), false)
                .filter(r -> List.of("RUNNING", "HEALTHY").contains(r.path("state").asString())).count();
    }

    private static JsonNode replica(JsonNode app) {
        return app.path("replicas").get(0);
    }

    private static List<String> hosts(JsonNode app) {
        return StreamSupport.stream(app.path("replicas").spliterator(), false).map(r -> r.path("hostId").asString()).toList();
    }

    private static List<String> containers(JsonNode app) {
        return StreamSupport.stream(app.path("replicas").spliterator(), false).map(r -> r.path("id").asString()).toList();
    }
}
