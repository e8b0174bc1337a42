package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import dev.berth.registry.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What tests of berth.yaml pushed over a real {@code git push} share: a registry with one image, a
 * scratch directory for working copies, the platform admin's API, teams and a member of one.
 */
public final class TeamPushes implements AutoCloseable {
    public static final String PASSWORD = "a-long-enough-password";

    public final Api root;
    public final String rootToken;
    public final String image;
    private final int port;
    private final TestRegistry registry;
    private final Path work;

    private TeamPushes(int port, RegistryWithImage images) {
        this.port = port;
        this.registry = images.registry();
        this.work = images.work();
        this.image = images.image();
        this.rootToken = Api.at(port).tokenFor("admin", PlatformTest.ADMIN_PASSWORD);
        this.root = Api.at(port).bearer(rootToken);
    }

    /** Starts the registry and creates {@code teams}. */
    public static TeamPushes start(int port, String workPrefix, String repositoryAndTag, List<String> teams) throws Exception {
        var pushes = new TeamPushes(port, RegistryWithImage.start(workPrefix, repositoryAndTag));
        for (String team : teams) assertThat(pushes.root.post("/api/v1/teams", Map.of("name", team)).status()).isEqualTo(201);
        return pushes;
    }

    /** Creates {@code username} as {@code role} of {@code team}; returns a token of theirs. */
    public String member(String team, String username, String role) {
        root.post("/api/v1/users", Map.of("username", username, "password", PASSWORD));
        root.post("/api/v1/teams/" + team + "/members", Map.of("username", username, "role", role));
        return Api.at(port).tokenFor(username, PASSWORD);
    }

    /** Creates the repository if needed, commits {@code apps} (YAML under {@code apps:}) as its berth.yaml and pushes it to main. */
    public GitCli.Result push(String team, String repository, String user, String secret, String apps) throws Exception {
        root.post("/api/v1/teams/" + team + "/repositories", Map.of("name", repository));
        var git = new GitCli(work);
        Path dir = work.resolve(team + "-" + repository);
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            git.ok(dir, "init", "-q");
        }
        Files.writeString(dir.resolve("berth.yaml"), "apiVersion: berth/v1\napps:\n" + apps);
        git.ok(dir, "add", "berth.yaml");
        git.ok(dir, "commit", "-q", "--allow-empty", "-m", "deploy " + apps.hashCode());
        return git.run(dir, "push", "http://" + user + ":" + secret + "@127.0.0.1:" + port + "/git/" + team + "/" + repository + ".git",
                "HEAD:refs/heads/main");
    }

    @Override
    public void close() throws Exception {
        registry.close();
        TestRegistry.deleteTree(work);
    }
}
