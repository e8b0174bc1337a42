package dev.berth.faulttests;

import dev.berth.registry.RegistryPrerequisites;
import dev.berth.registry.TestImages;
import dev.berth.registry.TestRegistry;
import dev.berth.testfixtures.AgentPrerequisites;
import dev.berth.testfixtures.Await;
import dev.berth.testfixtures.GitCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * Everything a fault test breaks, as real processes: PostgreSQL the test can stop, platform
 * instances as JVMs of their own sharing that database, the hosted repositories and the audit key,
 * a loopback registry with a busybox image, and agent daemons each reaching the instances through a
 * {@link TcpProxy} of its own. A team with one hosted repository is ready. Closing it stops and
 * removes everything, failed test or not.
 */
final class FaultCluster implements AutoCloseable {
    static final String ADMIN_PASSWORD = "fault-test-admin-pw";
    static final String TEAM = "acme";
    static final String REPOSITORY = "apps";

    final Path work;
    final List<PlatformInstance> instances = new ArrayList<>();
    final List<AgentDaemon> agents = new ArrayList<>();
    final List<TcpProxy> agentLinks = new ArrayList<>();
    final Path checkout;
    TestPostgres postgres;
    TestRegistry registry;
    String image;
    private String authorization;
    private Duration heartbeatTimeout;

    private FaultCluster(Path work) throws Exception {
        this.work = work;
        this.checkout = Files.createDirectories(work.resolve("checkout"));
    }

    /** The agent daemon needs root and runc, the registry its tools: a skip without them, a failure in CI. */
    static void requireRuntime() {
        AgentPrerequisites.require();
        RegistryPrerequisites.require();
    }

    /**
     * {@code instances} platform instances (heartbeat timeout {@code heartbeatTimeout}) and
     * {@code agents} agents with port ranges from {@code firstPort}, 100 ports each.
     */
    static FaultCluster start(int instances, int agents, Duration heartbeatTimeout, int firstPort) throws Exception {
        requireRuntime();
        Path work = Files.createTempDirectory("berth-faults-");
        // Containers' user-namespaced root passes through here to reach the agents' state.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        var cluster = new FaultCluster(work);
        try {
            cluster.startAll(instances, agents, heartbeatTimeout, firstPort);
            return cluster;
        } catch (Throwable e) {
            try {
                cluster.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void startAll(int instanceCount, int agentCount, Duration heartbeatTimeout, int firstPort) throws Exception {
        registry = TestRegistry.start();
        var built = TestImages.writeLayout(work.resolve("layout"), "1", TestImages.busybox().withCmd("/bin/sh"));
        TestImages.push(built.layout(), "1", registry.host(), "acme/web:1", null);
        image = registry.host() + "/acme/web:1";
        postgres = TestPostgres.create(work.resolve("postgres"));
        this.heartbeatTimeout = heartbeatTimeout;
        var args = platformArgs(postgres, work.resolve("git"));
        for (int i = 0; i < instanceCount; i++) {
            instances.add(new PlatformInstance(String.valueOf((char) ('a' + i)), work.resolve("platform-" + (char) ('a' + i)), args));
        }
        instances.getFirst().start();
        // The first instance made the audit key; every instance on this database needs the same one.
        for (var other : instances.subList(1, instances.size())) {
            Files.createDirectories(other.dir);
            Files.copy(instances.getFirst().dir.resolve("audit.key"), other.dir.resolve("audit.key"), StandardCopyOption.COPY_ATTRIBUTES);
            other.start();
        }
        var basic = new Api(instances.getFirst().baseUrl(), "Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        authorization = "Bearer " + basic.call("POST", "/api/v1/tokens", "{\"name\":\"faults\"}", 201).path("token").asString();
        api().call("POST", "/api/v1/teams", "{\"name\":\"" + TEAM + "\"}", 201);
        api().call("POST", "/api/v1/teams/" + TEAM + "/repositories", "{\"name\":\"" + REPOSITORY + "\"}", 201);
        GitCli.run(work, checkout, "init", "-q");
        var ports = instances.stream().map(i -> i.port).toList();
        for (int i = 0; i < agentCount; i++) {
            var link = new TcpProxy(ports);
            agentLinks.add(link);
            Path token = work.resolve("join-token-" + i);
            Files.writeString(token, api().call("POST", "/api/v1/hosts/join-tokens", "{}", 201).path("token").asString());
            int from = firstPort + 100 * i;
            agents.add(AgentDaemon.join(work, String.valueOf(i + 1), link.url(), registry.host(), from + "-" + (from + 99), token));
        }
    }

    /**
     * The command-line settings of an instance on {@code database} with its hosted repositories in
     * {@code repositories} (and the key sealing their secrets beside it, {@code secret.key}).
     */
    List<String> platformArgs(TestPostgres database, Path repositories) {
        var args = new ArrayList<>(database.platformArgs());
        // Closing the cluster stops each instance with SIGTERM: at once, not after the graceful
        // shutdown's wait for requests in flight (agents' long polls). The faults themselves are SIGKILLs.
        args.addAll(List.of("--server.shutdown=immediate", "--berth.admin.password=" + ADMIN_PASSWORD,
                "--berth.git.repositories-dir=" + repositories,
                "--berth.git.insecure-registries=127.0.0.1:*",
                "--berth.network.allowed-private-targets=127.0.0.0/8",
                "--berth.hosts.heartbeat-timeout=" + heartbeatTimeout.toSeconds() + "s"));
        return args;
    }

    /** The API at the first instance that is alive. */
    Api api() {
        var alive = instances.stream().filter(PlatformInstance::alive).findFirst()
                .orElseThrow(() -> new AssertionError("no platform instance is alive"));
        return api(alive);
    }

    Api api(PlatformInstance instance) {
        return new Api(instance.baseUrl(), authorization);
    }

    /** Commits {@code berthYaml} on the deploy branch as it is now and pushes it through {@code via}; what git printed. */
    String push(PlatformInstance via, String berthYaml, String message) throws Exception {
        commit(berthYaml, message);
        return GitCli.run(work, checkout, "push", remote(via), "HEAD:refs/heads/main");
    }

    /** A commit of {@code berthYaml} on top of the repository's deploy branch (or on nothing, before the first push). */
    String commit(String berthYaml, String message) throws Exception {
        var fetched = GitCli.start(work, checkout, "fetch", "-q", remote(instances.stream().filter(PlatformInstance::alive)
                .findFirst().orElseThrow()), "main");
        new String(fetched.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (fetched.waitFor() == 0) GitCli.run(work, checkout, "reset", "-q", "--hard", "FETCH_HEAD");
        Files.writeString(checkout.resolve("berth.yaml"), berthYaml);
        GitCli.run(work, checkout, "add", "berth.yaml");
        GitCli.run(work, checkout, "commit", "-q", "--allow-empty", "-m", message);
        return GitCli.run(work, checkout, "rev-parse", "HEAD").strip();
    }

    String remote(PlatformInstance via) {
        return via.baseUrl().replace("http://", "http://admin:" + ADMIN_PASSWORD + "@") + "/git/" + TEAM + "/" + REPOSITORY + ".git";
    }

    JsonNode app(String app) throws Exception {
        return api().get("/api/v1/teams/" + TEAM + "/apps/" + app);
    }

    /** Waits until {@code condition} holds for the app's API view, failing with the last view seen. */
    JsonNode awaitApp(String app, Duration within, String what, Predicate<JsonNode> condition) throws Exception {
        // Any live instance answers; a view it could not give (not 200) is no answer, not a failure.
        return Await.until(within, what, () -> {
            try {
                var answer = api().send("GET", "/api/v1/teams/" + TEAM + "/apps/" + app, null);
                return answer.status() == 200 ? answer.json() : null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, view -> view != null && condition.test(view));
    }

    @Override
    public void close() throws Exception {
        var failures = new ArrayList<Exception>();
        for (var agent : agents) closeQuietly(agent, failures);
        for (var link : agentLinks) closeQuietly(link, failures);
        for (var instance : instances) closeQuietly(instance, failures);
        closeQuietly(postgres, failures);
        closeQuietly(registry, failures);
        ProcessLogs.clear();
        // BERTH_KEEP_WORK=1 keeps the processes' logs and state for a look after a failure.
        if ("1".equals(System.getenv("BERTH_KEEP_WORK"))) System.err.println("kept the fault cluster's files in " + work);
        else TestRegistry.deleteTree(work);
        if (!failures.isEmpty()) throw failures.getFirst();
    }

    private static void closeQuietly(AutoCloseable closeable, List<Exception> failures) {
        if (closeable == null) return;
        try {
            closeable.close();
        } catch (Exception e) {
            failures.add(e);
        }
    }
}
