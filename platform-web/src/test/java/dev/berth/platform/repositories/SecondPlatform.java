package dev.berth.platform.repositories;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Another platform instance in a JVM of its own, from this test's class path, on the same database
 * and directories as the test's context. A process rather than a second context in this JVM:
 * Spring Security's current-authentication holder is one per JVM, and two serving contexts would
 * read each other's.
 */
final class SecondPlatform implements AutoCloseable {
    private final Process process;
    private final Path log;
    final int port;

    private SecondPlatform(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts it with {@code settings} as command-line properties and waits until it serves. */
    static SecondPlatform start(Map<String, String> settings, Path log) throws Exception {
        int port;
        try (var probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        // C1 only, as the fault tests start theirs: it starts sooner and serves a few pushes. Closing stops it
        // at once rather than after a graceful wait for requests in flight, which no test here is about.
        var command = new ArrayList<>(List.of(java, "-Xmx768m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.berth.platform.BerthApplication", "--server.port=" + port, "--server.address=127.0.0.1",
                "--server.shutdown=immediate"));
        settings.forEach((k, v) -> command.add("--" + k + "=" + v));
        var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        var platform = new SecondPlatform(process, log, port);
        try {
            platform.awaitServing(Duration.ofMinutes(3));
        } catch (Exception | AssertionError e) {
            platform.close();
            throw e;
        }
        return platform;
    }

    private void awaitServing(Duration patience) throws Exception {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new AssertionError("the second platform exited (" + process.exitValue() + "):\n" + tail());
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) return;
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the second platform did not serve within " + patience + ":\n" + tail());
    }

    /** The end of its output, for failure messages. */
    String tail() throws IOException {
        var lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
