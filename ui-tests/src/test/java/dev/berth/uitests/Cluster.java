package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.BerthApplication;
import dev.berth.platform.database.EmbeddedDataTemplate;
import dev.berth.registry.RegistryPrerequisites;
import dev.berth.registry.TestImages;
import dev.berth.registry.TestRegistry;
import dev.berth.testfixtures.AgentPrerequisites;
import dev.berth.testfixtures.Await;
import dev.berth.testfixtures.GitCli;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real everything, for the tests that follow a push to serving replicas: the platform on embedded
 * PostgreSQL, Debian's docker-registry on loopback holding a small busybox image, and host agents
 * as separate daemon JVMs with their own state directories and port ranges. Closing it stops the
 * agents, removes the containers they ran, and stops the platform and the registry.
 */
final class Cluster implements AutoCloseable {
    static final String ADMIN_PASSWORD = "cluster-test-admin-pw";
    static final String TEAM = "acme";
    static final String REPOSITORY = "apps";
    /**
     * For every platform a test starts: closing it stops at once. Spring Boot's default graceful
     * shutdown waits for requests in flight, and an agent's long poll held each close for about 15 s
     * after the agent was gone. No test here is about graceful shutdown.
     */
    static final String STOP_AT_ONCE = "--server.shutdown=immediate";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Path work;
    final ConfigurableApplicationContext platform;
    final String baseUrl;
    final TestRegistry registry;
    final String image;
    final String adminToken;
    private final ClusterAgents agents;
    private final Path checkout;
    private int commits;

    /** The daemon and the registry need root, runc, docker-registry and skopeo: skipped without them unless required. */
    static void requireRuntime() {
        AgentPrerequisites.require();
        RegistryPrerequisites.require();
    }

    /**
     * Starts the registry with the test image, the platform (heartbeat timeout {@code heartbeatTimeout})
     * and a team with one hosted repository.
     */
    static Cluster start(Duration heartbeatTimeout, String... platformArgs) throws Exception {
        requireRuntime();
        // Containers' user-namespaced root passes through here to reach the agents' state.
        Path work = Files.createTempDirectory("berth-cluster-");
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        return new Cluster(work, heartbeatTimeout, platformArgs);
    }

    /** A test registry holding busybox (command /bin/sh) as {@code repositoryAndTag}; its layout is built under {@code work}. */
    static TestRegistry registryWith(Path work, String repositoryAndTag) throws Exception {
        var started = TestRegistry.start();
        try {
            var built = TestImages.writeLayout(work.resolve("layout"), "1", TestImages.busybox().withCmd("/bin/sh"));
            TestImages.push(built.layout(), "1", started.host(), repositoryAndTag, null);
            return started;
        } catch (Exception | Error e) {
            started.close();
            throw e;
        }
    }

    private Cluster(Path work, Duration heartbeatTimeout, String... platformArgs) throws Exception {
        this.work = work;
        // The registry and its image (other processes: docker-registry, skopeo) get ready while the
        // platform starts, rather than before it; nothing of the platform's start needs them.
        var registryReady = SideBySide.begin(() -> registryWith(work, "acme/web:1"));
        EmbeddedDataTemplate.copyTo(work.resolve("postgres"));
        var args = new ArrayList<>(List.of("--server.port=0",
                "--server.address=127.0.0.1",
                "--berth.database.embedded.data-dir=" + work.resolve("postgres"),
                "--berth.admin.password=" + ADMIN_PASSWORD,
                "--berth.admin.password-file=" + work.resolve("pw"),
                "--berth.git.repositories-dir=" + work.resolve("git"),
                "--berth.git.insecure-registries=127.0.0.1:*",
                "--berth.network.allowed-private-targets=127.0.0.0/8",
                "--berth.hosts.heartbeat-timeout=" + heartbeatTimeout.toSeconds() + "s", STOP_AT_ONCE));
        args.addAll(List.of(platformArgs));
        try {
            this.platform = new SpringApplicationBuilder(BerthApplication.class).run(args.toArray(String[]::new));
        } catch (RuntimeException e) {
            SideBySide.closeWhenDone(registryReady);
            throw e;
        }
        try {
            this.registry = SideBySide.result(registryReady);
        } catch (Exception | Error e) {
            platform.close();
            throw e;
        }
        this.image = registry.host() + "/acme/web:1";
        this.baseUrl = "http://127.0.0.1:" + platform.getEnvironment().getProperty("local.server.port");
        this.agents = new ClusterAgents(work, registry.host(), baseUrl);
        this.adminToken = send("POST", "/api/v1/tokens", "Basic " + Base64.getEncoder().encodeToString(
                ("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)), "{\"name\":\"cluster\"}", 201)
                .path("token").asString();
        api("POST", "/api/v1/teams", "{\"name\":\"" + TEAM + "\"}", 201);
        api("POST", "/api/v1/teams/" + TEAM + "/repositories", "{\"name\":\"" + REPOSITORY + "\"}", 201);
        this.checkout = Files.createDirectories(work.resolve("checkout"));
        GitCli.run(work, checkout, "init", "-q");
    }

    /**
     * Starts a second platform instance in this JVM on the first one's database (by JDBC URL, with
     * the embedded server's passwords), its git directory and a copy of its audit key; the caller
     * closes it, before this cluster. Both contexts share Spring Security's JVM-wide holder of the
     * current caller, which separate processes would each have (Vaadin replaces it when a context starts).
     *
     * @return the instance and its base URL
     */
    SecondPlatform startSecondPlatform() throws IOException {
        Path data = work.resolve("postgres");
        var credentials = dev.berth.platform.database.EmbeddedCredentials.forDataDir(data);
        int port = platform.getBean(dev.berth.platform.database.DatabaseConfig.EmbeddedServer.class).postgres().getPort();
        Path key = Files.createDirectories(work.resolve("second")).resolve("audit.key");
        Files.copy(data.resolveSibling("audit.key"), key);
        var holder = platform.getBean(org.springframework.security.core.context.SecurityContextHolderStrategy.class);
        var second = new SpringApplicationBuilder(BerthApplication.class)
                .initializers(c -> c.getBeanFactory().registerSingleton("vaadinAwareSecurityContextHolderStrategy", holder))
                .run("--server.port=0", "--server.address=127.0.0.1", STOP_AT_ONCE,
                        "--berth.database.url=jdbc:postgresql://localhost:" + port + "/postgres",
                        "--berth.database.user=" + dev.berth.platform.database.DatabaseRoles.EMBEDDED_APP_ROLE,
                        "--berth.database.password=" + credentials.app(),
                        "--berth.database.migration-user=postgres", "--berth.database.migration-password=" + credentials.superuser(),
                        "--berth.audit.key-file=" + key,
                        "--berth.admin.password-file=" + work.resolve("pw"),
                        "--berth.git.repositories-dir=" + work.resolve("git"),
                        "--berth.git.insecure-registries=127.0.0.1:*",
                        "--berth.network.allowed-private-targets=127.0.0.0/8");
        return new SecondPlatform(second, "http://127.0.0.1:" + second.getEnvironment().getProperty("local.server.port"));
    }

    /** A second platform instance on the cluster's database; closing it stops it. */
    record SecondPlatform(ConfigurableApplicationContext context, String baseUrl) implements AutoCloseable {
        @Override
        public void close() {
            context.close();
        }
    }

    /**
     * Starts the agents side by side and returns them in the order given: each one's start is
     * mostly a JVM starting and a join's round trips, which need not wait for the other's.
     */
    List<Agent> startAgents(AgentStart... starts) throws Exception {
        var started = new ArrayList<java.util.concurrent.Future<Agent>>();
        for (var start : starts) started.add(SideBySide.begin(() -> startAgent(start.name(), start.portRange(), start.options())));
        var out = new ArrayList<Agent>();
        for (var agent : started) out.add(SideBySide.result(agent));
        return out;
    }

    /**
     * Starts an agent daemon that joins with a fresh join token and publishes from {@code portRange};
     * {@code options} go to its daemon command line too.
     */
    Agent startAgent(String name, String portRange, String... options) throws Exception {
        return agents.start(name, portRange, api("POST", "/api/v1/hosts/join-tokens", "{}", 201).path("token").asString(), options);
    }

    /** Starts {@code agent} again on its state directory and stored credential. */
    void restart(Agent agent) throws Exception {
        agents.restart(agent);
    }

    /** SIGKILL, as a crash or an OOM kill of the agent would: its containers keep running under runc. */
    void kill(Agent agent) throws InterruptedException {
        agents.kill(agent);
    }

    /** Commits {@code berthYaml} and pushes it as the admin; returns what git printed. */
    String push(String berthYaml, String message) throws Exception {
        return push(checkout, TEAM, REPOSITORY, berthYaml, message);
    }

    /**
     * Commits {@code berthYaml} in a checkout of its own for {@code team/repository} and pushes it
     * to the deploy branch as the admin; returns what git printed.
     */
    String push(String team, String repository, String berthYaml, String message) throws Exception {
        Path dir = work.resolve("checkout-" + team + "-" + repository);
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            GitCli.run(work, dir, "init", "-q");
        }
        return push(dir, team, repository, berthYaml, message);
    }

    private String push(Path dir, String team, String repository, String berthYaml, String message) throws Exception {
        Files.writeString(dir.resolve("berth.yaml"), berthYaml);
        GitCli.run(work, dir, "add", "berth.yaml");
        GitCli.run(work, dir, "commit", "-q", "--allow-empty", "-m", message + " (" + (++commits) + ")");
        String remote = baseUrl.replace("http://", "http://admin:" + ADMIN_PASSWORD + "@") + "/git/" + team + "/"
                + repository + ".git";
        return GitCli.run(work, dir, "push", remote, "HEAD:refs/heads/main");
    }

    /** One app as the API shows it. */
    JsonNode app(String app) throws Exception {
        return api("GET", "/api/v1/teams/" + TEAM + "/apps/" + app, null, 200);
    }

    /** Waits until {@code condition} holds for the app's API view, failing with the last view seen. */
    JsonNode awaitApp(String app, Duration within, String what, Predicate<JsonNode> condition) throws Exception {
        return Await.until(within, what, () -> {
            try {
                return app(app);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, condition);
    }

    /** The commit the checkout's HEAD points at: the last one pushed. */
    String headCommit() throws Exception {
        return GitCli.run(work, checkout, "rev-parse", "HEAD").strip();
    }

    /** A GET as the admin whose body is not one JSON document (the audit export is JSON Lines). */
    String raw(String method, String path) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken).method(method, HttpRequest.BodyPublishers.noBody()).build();
        var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    JsonNode api(String method, String path, String body, int expected) throws Exception {
        return send(method, path, "Bearer " + adminToken, body, expected);
    }

    JsonNode send(String method, String path, String authorization, String body, int expected) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization).header("Accept", "application/json");
        if (body != null) builder.header("Content-Type", "application/json");
        builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        var response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    Agent agent(String name) {
        return agents.get(name);
    }

    @Override
    public void close() throws Exception {
        if (agents != null) agents.close();
        if (platform != null) platform.close();
        if (registry != null) registry.close();
        // BERTH_KEEP_WORK=1 keeps the agents' logs and state for a look after a failure.
        if ("1".equals(System.getenv("BERTH_KEEP_WORK"))) System.err.println("kept the cluster's files in " + work);
        else TestRegistry.deleteTree(work);
    }
}
