package dev.berth.registry;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A real registry for tests: Debian's {@code /usr/bin/docker-registry serve} on 127.0.0.1 with a
 * free port and temporary storage, optionally behind htpasswd Basic auth. Start one per test class;
 * {@link #close()} stops it and deletes its storage. Its output goes to {@link #log()}.
 *
 * <pre>{@code
 * try (TestRegistry registry = TestRegistry.start()) {
 *     TestImages.push(layout, "v1", registry.host(), "acme/web:v1", null);
 * }
 * }</pre>
 */
public final class TestRegistry implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(20);

    private final Path dir;
    private final Process process;
    private final String host;
    private final Credentials credentials;

    private TestRegistry(Path dir, Process process, String host, Credentials credentials) {
        this.dir = dir;
        this.process = process;
        this.host = host;
        this.credentials = credentials;
    }

    /** An anonymous registry. */
    public static TestRegistry start() throws IOException {
        return start(null);
    }

    /** A registry demanding HTTP Basic {@code credentials} (htpasswd, bcrypt), or anonymous when null. */
    public static TestRegistry start(Credentials credentials) throws IOException {
        RegistryPrerequisites.require();
        Path dir = Files.createTempDirectory("berth-test-registry-");
        Path storage = Files.createDirectories(dir.resolve("storage"));
        String auth = "";
        if (credentials != null) {
            Path htpasswd = dir.resolve("htpasswd");
            Process p = new ProcessBuilder("/usr/bin/htpasswd", "-Bbn", credentials.username(), credentials.password())
                    .redirectErrorStream(true).start();
            byte[] line = p.getInputStream().readAllBytes();
            if (waitFor(p) != 0) throw new IOException("htpasswd failed: " + new String(line, StandardCharsets.UTF_8));
            Files.write(htpasswd, line);
            auth = """
                    auth:
                      htpasswd:
                        realm: berth-test
                        path: %s
                    """.formatted(htpasswd);
        }
        // The port is free when picked; a rare race with another process is retried below.
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Path config = dir.resolve("config.yml");
            Files.writeString(config, """
                    version: 0.1
                    log:
                      level: info
                    storage:
                      filesystem:
                        rootdirectory: %s
                      delete:
                        enabled: true
                    http:
                      addr: 127.0.0.1:%d
                      secret: %s
                    %s""".formatted(storage, port, HexFormat.of().formatHex(randomBytes()), auth));
            Process process = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
            String host = "127.0.0.1:" + port;
            if (awaitReady(process, host)) return new TestRegistry(dir, process, host, credentials);
            process.destroyForcibly();
            waitFor(process);
            if (attempt == 3) {
                String log = Files.readString(dir.resolve("registry.log"));
                deleteTree(dir);
                throw new IOException("docker-registry did not start on " + host + "; its log:\n" + log);
            }
        }
    }

    private static boolean awaitReady(Process process, String host) throws IOException {
        Instant deadline = Instant.now().plus(STARTUP);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            HttpRequest ping = HttpRequest.newBuilder(URI.create("http://" + host + "/v2/"))
                    .version(HttpClient.Version.HTTP_1_1).timeout(Duration.ofSeconds(2)).build();
            while (Instant.now().isBefore(deadline) && process.isAlive()) {
                try {
                    int status = http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status == 200 || status == 401) return true;
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for docker-registry", e);
        }
        return false;
    }

    /** {@code 127.0.0.1:PORT}: the registry part of image references, and the entry for insecureRegistries. */
    public String host() {
        return host;
    }

    /** The credentials it demands, or null when anonymous. */
    public Credentials credentials() {
        return credentials;
    }

    /** The registry process's output, for debugging a failed test. */
    public Path log() {
        return dir.resolve("registry.log");
    }

    /** Where the registry stores blobs and manifests. */
    public Path storage() {
        return dir.resolve("storage");
    }

    /** A client configuration for this registry: plain http, its credentials, tiny retry backoffs. */
    public RegistryConfig clientConfig() {
        RegistryConfig c = RegistryConfig.defaults().withInsecure(host)
                .withRetry(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5)));
        return credentials == null ? c : c.withCredentials(host, credentials);
    }

    /** Stops the registry and deletes its storage. */
    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteTree(dir);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    static int waitFor(Process p) throws IOException {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + p.info().command().orElse("process"), e);
        }
    }

    /** Deletes a directory tree, ignoring what is already gone. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
