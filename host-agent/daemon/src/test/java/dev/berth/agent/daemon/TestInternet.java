package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * "The internet" for networking tests: a network namespace this test creates, reached from the
 * host over a veth pair on one /28 of TEST-NET-3 (203.0.113.0/24), serving HTTP with busybox httpd.
 * Policy routing makes sure packets from the containers' test subnet can only ever land there (or
 * stay in that subnet): everything else from it is refused by the host's routing. Everything is
 * removed on {@link #close()}, even after a failure.
 */
final class TestInternet implements AutoCloseable {
    private static final String IP = "/usr/sbin/ip";

    final String namespace;
    final String hostLink;
    /** The namespace's own address, where httpd listens on port 8080. */
    final String address;
    private final String range;
    private final String containerSubnet;
    private final int priority;
    private final List<List<String>> undo = new ArrayList<>();
    private Process httpd;

    /**
     * @param slot which /28 of 203.0.113.0/24 (1 to 15), distinct per test
     * @param containerSubnet the agent's container subnet in TEST-NET-2
     */
    TestInternet(int slot, String containerSubnet) throws Exception {
        String suffix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 25, 1L << 30), 36);
        this.namespace = "berth-inet-" + suffix;
        this.hostLink = "binet" + suffix;
        this.range = "203.0.113." + slot * 16 + "/28";
        String hostAddress = "203.0.113." + (slot * 16 + 1);
        this.address = "203.0.113." + (slot * 16 + 2);
        this.containerSubnet = containerSubnet;
        this.priority = 21000 + slot * 10;
        try {
            ip("netns", "add", namespace);
            undo.add(List.of("netns", "delete", namespace));
            ip("link", "add", hostLink, "type", "veth", "peer", "name", "eth0", "netns", namespace);
            undo.add(List.of("link", "delete", hostLink));
            ip("addr", "add", hostAddress + "/28", "dev", hostLink);
            ip("link", "set", hostLink, "up");
            ip("-n", namespace, "addr", "add", address + "/28", "dev", "eth0");
            ip("-n", namespace, "link", "set", "eth0", "up");
            ip("-n", namespace, "link", "set", "lo", "up");
            var toInternet = List.of("rule", "add", "from", containerSubnet, "to", range, "lookup", "main", "priority", Integer.toString(priority));
            ip(toInternet.toArray(String[]::new));
            undo.add(List.of("rule", "del", "from", containerSubnet, "to", range, "lookup", "main", "priority", Integer.toString(priority)));
            ip("rule", "add", "from", containerSubnet, "prohibit", "priority", Integer.toString(priority + 1));
            undo.add(List.of("rule", "del", "from", containerSubnet, "prohibit", "priority", Integer.toString(priority + 1)));
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    /** Serves {@code www} on {@code address:8080} inside the namespace. */
    void serve(Path www) throws IOException {
        httpd = new ProcessBuilder(IP, "netns", "exec", namespace, "/bin/busybox", "httpd", "-f", "-p", address + ":8080",
                "-h", www.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Override
    public void close() {
        if (httpd != null) {
            httpd.destroyForcibly();
            try {
                httpd.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int i = undo.size() - 1; i >= 0; i--) {
            var command = new ArrayList<>(List.of(IP));
            command.addAll(undo.get(i));
            run(command);
        }
        undo.clear();
    }

    /** Whether a link of this name exists on the host. */
    static boolean linkExists(String name) {
        // "N: NAME: ..." or, for one end of a veth pair, "N: NAME@ifM: ..."
        return run(List.of(IP, "-o", "link", "show", "dev", name)).matches("(?s)\\d+: " + java.util.regex.Pattern.quote(name) + "[:@].*");
    }

    private static void ip(String... args) throws Exception {
        var command = new ArrayList<>(List.of(IP));
        command.addAll(List.of(args));
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    static String run(List<String> command) {
        try {
            var p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(20, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    static void writeIndex(Path www, String text) throws IOException {
        Files.createDirectories(www);
        Files.writeString(www.resolve("index.html"), text);
    }
}
