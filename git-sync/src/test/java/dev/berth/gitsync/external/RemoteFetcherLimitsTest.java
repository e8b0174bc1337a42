package dev.berth.gitsync.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RemoteFetcher} against a bare repository served by git http-backend on 127.0.0.1. */
class RemoteFetcherLimitsTest {
    private static final String SETTING = "berth.git.max-fetch-bytes";
    private static final FetchLimits.HostCheck LOOPBACK_ONLY = host -> {
        if (!host.equals("127.0.0.1")) throw new IOException("'" + host + "' is not allowed");
    };

    @TempDir
    Path work;
    GitHttpBackend server;
    String tip;

    @BeforeEach
    void serveARepositoryWithABigFile() throws Exception {
        Path checkout = Files.createDirectories(work.resolve("checkout"));
        git(checkout, "init", "-q");
        Files.writeString(checkout.resolve("berth.yaml"), "apiVersion: berth/v1\napps: {}\n");
        byte[] noise = new byte[600 * 1024];
        new Random(1).nextBytes(noise);
        Files.write(checkout.resolve("big.bin"), noise);
        git(checkout, "add", ".");
        git(checkout, "commit", "-q", "-m", "big");
        tip = git(checkout, "rev-parse", "HEAD").strip();
        Files.createDirectories(work.resolve("served"));
        git(work, "clone", "-q", "--bare", checkout.toString(), work.resolve("served/big.git").toString());
        server = GitHttpBackend.start(work.resolve("served"), work);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void aRemoteSendingMoreThanTheLimitIsRefusedAndLeavesNoBranch() throws Exception {
        var source = new RemoteSource(server.url("big.git"), "main", null, null);
        Path mirror = work.resolve("mirror");
        assertThatThrownBy(() -> RemoteFetcher.fetch(mirror, source, "berth.yaml", 1 << 16,
                new FetchLimits(256 * 1024, LOOPBACK_ONLY, SETTING)))
                .isInstanceOf(IOException.class)
                .hasMessage("fetching " + source + " failed: the remote sent more than 262144 bytes, the limit for one fetch ("
                        + SETTING + ")");
        try (var repo = new FileRepositoryBuilder().setGitDir(mirror.toFile()).build()) {
            assertThat(repo.resolve("refs/remotes/origin/main")).isNull();
        }

        var fetched = RemoteFetcher.fetch(mirror, source, "berth.yaml", 1 << 16, new FetchLimits(4 << 20, LOOPBACK_ONLY, SETTING));
        assertThat(fetched.commit().id().hex()).isEqualTo(tip);
    }

    @Test
    void aRefusedHostIsNeverContacted() {
        var source = new RemoteSource(server.url("big.git"), "main", null, null);
        FetchLimits.HostCheck nothing = host -> {
            throw new IOException("'" + host + "' resolves to 127.0.0.1, a loopback address");
        };
        assertThatThrownBy(() -> RemoteFetcher.fetch(work.resolve("mirror"), source, "berth.yaml", 1 << 16,
                new FetchLimits(4 << 20, nothing, SETTING)))
                .hasMessage("fetching " + source + " failed: '127.0.0.1' resolves to 127.0.0.1, a loopback address");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void redirectsAreCheckedAgain() {
        server.redirectTo("127.0.0.2:9");
        var source = new RemoteSource(server.url("moved/big.git"), "main", null, null);
        assertThatThrownBy(() -> RemoteFetcher.fetch(work.resolve("mirror"), source, "berth.yaml", 1 << 16,
                new FetchLimits(4 << 20, LOOPBACK_ONLY, SETTING)))
                .hasMessage("fetching " + source + " failed: '127.0.0.2' is not allowed");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void otherTransportsAreRefused() {
        var source = new RemoteSource("git://127.0.0.1:9/x.git", "main", null, null);
        assertThatThrownBy(() -> RemoteFetcher.fetch(work.resolve("mirror"), source, "berth.yaml", 1 << 16,
                new FetchLimits(4 << 20, LOOPBACK_ONLY, SETTING)))
                .hasMessage(source + ": only https and local paths can be fetched");
    }

    private String git(Path dir, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("git", "-c", "user.name=Ada Lovelace", "-c", "user.email=ada@example.com",
                "-c", "init.defaultBranch=main", "-c", "credential.helper="));
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("HOME", work.toString());
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }
}
