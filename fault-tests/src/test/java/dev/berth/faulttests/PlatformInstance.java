package dev.berth.faulttests;

import dev.berth.platform.BerthApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One platform instance as a JVM of its own (this test JVM's classpath), on its own port and with its
 * own directory (audit checkpoint, initial password file), sharing the database, the hosted
 * repositories and the audit key with the other instances. {@link #kill} is SIGKILL.
 */
final class PlatformInstance implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** How long a start may take; {@code -Dberth.faults.startup-seconds} for a machine shared with other builds. */
    private static final Duration STARTUP = Duration.ofSeconds(Long.getLong("berth.faults.startup-seconds", 150));

    final String name;
    final int port;
    final Path dir;
    final Path log;
    private final List<String> args;
    private Process process;

    PlatformInstance(String name, Path dir, List<String> args) {
        this(name, FreePorts.next(), dir, args);
    }

    /** An instance on a given port: one that replaces another where agents and proxies already point. */
    PlatformInstance(String name, int port, Path dir, List<String> args) {
        this.name = name;
        this.port = port;
        this.dir = dir;
        this.log = dir.resolveSibling(name + ".log");
        this.args = List.copyOf(args);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Starts the JVM (again, after a kill) and waits until it is ready: readiness holds the startup work
     * (pushes a killed instance left unfinished are settled before it), plain health does not.
     */
    void start() throws Exception {
        Files.createDirectories(dir);
        String java = ProcessHandle.current().info().command().orElseThrow();
        var command = new ArrayList<>(List.of(java, "-Xmx768m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), BerthApplication.class.getName(),
                "--server.port=" + port, "--server.address=127.0.0.1",
                "--berth.admin.password-file=" + dir.resolve("initial-admin-password"),
                "--berth.audit.key-file=" + dir.resolve("audit.key")));
        command.addAll(args);
        ProcessLogs.register("platform " + name, log);
        long before = Files.exists(log) ? Files.size(log) : 0;
        process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        var deadline = Instant.now().plus(STARTUP);
        while (healthStatus() != 200) {
            if (!process.isAlive()) throw new AssertionError("platform " + name + " exited with " + process.exitValue()
                    + " while starting: " + Files.readString(log).substring((int) before));
            if (Instant.now().isAfter(deadline)) throw new AssertionError("platform " + name + " not up within " + STARTUP);
            Thread.sleep(200);
        }
    }

    /** SIGKILL: no shutdown hook, no connection closed politely. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) throw new AssertionError("platform " + name + " survived SIGKILL");
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** The status of {@code GET /actuator/health/readiness}; 0 when nothing answers. */
    int healthStatus() {
        try {
            var request = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness")).timeout(Duration.ofSeconds(5)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) kill();
    }
}
