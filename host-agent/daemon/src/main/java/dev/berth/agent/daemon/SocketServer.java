package dev.berth.agent.daemon;

import dev.berth.agent.protocol.ContainerSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The daemon's local API: a unix socket in a directory only root can enter. One JSON request per
 * line; one JSON answer per line, {@code {"ok":true,"result":...}} or {@code {"ok":false,"error":...}}.
 * {@code logs} answers with the header line and then the raw log, following it if asked.
 */
public final class SocketServer implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AgentService agent;
    private final ServerSocketChannel server;
    private final Thread acceptor;

    public static Path socketPath(Path stateDir) {
        return stateDir.resolve("run").resolve("agent.sock");
    }

    public SocketServer(AgentService agent, Path stateDir) throws IOException {
        this.agent = agent;
        Path socket = socketPath(stateDir);
        Files.createDirectories(socket.getParent());
        Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwx------"));
        Files.deleteIfExists(socket);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        this.acceptor = Thread.ofPlatform().name("agent-socket").daemon().start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                if (!server.isOpen()) return;
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client; var in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
             OutputStream out = Channels.newOutputStream(client)) {
            String line = in.readLine();
            if (line == null) return;
            JsonNode request;
            try {
                request = JSON.readTree(line);
            } catch (RuntimeException e) {
                reply(out, Map.of("ok", false, "error", "the request is not JSON"));
                return;
            }
            try {
                handle(request, out);
            } catch (IOException | RuntimeException e) {
                var error = new LinkedHashMap<String, Object>();
                error.put("ok", false);
                error.put("error", e.getMessage() == null ? e.toString() : e.getMessage());
                reply(out, error);
            }
        } catch (IOException gone) {
            // the client went away
        }
    }

    private void handle(JsonNode r, OutputStream out) throws IOException {
        String op = r.path("op").asString("");
        String name = r.path("name").asString(null);
        Object result = switch (op) {
            case "run" -> agent.run(JSON.treeToValue(r.path("spec"), ContainerSpec.class));
            case "ps" -> agent.ps();
            case "inspect" -> agent.inspect(name);
            case "stop" -> agent.stop(name, Duration.ofSeconds(r.path("timeout").asLong(10)));
            case "rm" -> {
                agent.remove(name);
                yield Map.of("removed", name);
            }
            case "exec" -> {
                var command = new ArrayList<String>();
                r.path("command").forEach(n -> command.add(n.asString()));
                yield agent.exec(name, List.copyOf(command));
            }
            case "volume-rm" -> {
                agent.removeVolume(r.path("app").asString(), r.path("volume").asString());
                yield Map.of("removed", r.path("volume").asString());
            }
            case "logs" -> {
                streamLogs(agent.logFile(name), r.path("follow").asBoolean(false), name, out);
                yield null;
            }
            case "image-pull" -> imageSummary(agent.images().pull(r.path("reference").asString(), new StreamedProgress(out)));
            case "image-import" -> {
                var imported = new ArrayList<Object>();
                for (var image : agent.images().importLayout(Path.of(r.path("path").asString()), r.path("name").asString(null),
                        new StreamedProgress(out))) {
                    imported.add(imageSummary(image));
                }
                yield imported;
            }
            case "image-ls" -> {
                var listed = new ArrayList<Object>();
                for (var l : agent.images().list()) listed.add(imageSummary(l.image()));
                yield listed;
            }
            case "image-inspect" -> {
                var image = agent.images().find(r.path("reference").asString())
                        .orElseThrow(() -> new IOException("no image '" + r.path("reference").asString() + "' here"));
                var details = new LinkedHashMap<String, Object>(imageSummary(image));
                details.put("image", image);
                details.put("config", agent.images().config(image));
                yield details;
            }
            case "image-rm" -> Map.of("removed", agent.removeImage(r.path("reference").asString()));
            case "image-gc" -> agent.collectGarbage();
            default -> throw new IOException("unknown operation '" + op + "'");
        };
        if (result != null || !op.equals("logs")) reply(out, ok(result));
    }

    private void streamLogs(Path log, boolean follow, String name, OutputStream out) throws IOException {
        reply(out, ok(Map.of("follow", follow)));
        long position = 0;
        var buffer = new byte[16 * 1024];
        while (true) {
            try (var file = new RandomAccessFile(log.toFile(), "r")) {
                if (file.length() < position) position = 0; // rotated underneath us
                file.seek(position);
                int n;
                while ((n = file.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                    position += n;
                }
                out.flush();
            }
            if (!follow) return;
            var status = agent.inspect(name).container().status();
            if (!status.equals("running")) return;
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Map<String, Object> imageSummary(dev.berth.agent.image.ImageRecord image) throws IOException {
        var m = new LinkedHashMap<String, Object>();
        m.put("digest", image.digest());
        m.put("names", agent.images().names(image));
        m.put("repository", image.repository());
        m.put("size", image.size());
        m.put("layers", image.layers().size());
        m.put("storedAt", image.storedAt().toString());
        return m;
    }

    /**
     * Pull and import progress as {@code {"progress":...}} lines before the answer, at most a few
     * per second per blob so a fast loopback pull does not flood the client.
     */
    private static final class StreamedProgress implements dev.berth.agent.image.ImageService.Progress {
        private final OutputStream out;
        private final Map<String, Long> lastSent = new java.util.HashMap<>();

        StreamedProgress(OutputStream out) {
            this.out = out;
        }

        @Override
        public synchronized void blob(String digest, long done, long total) {
            long now = System.nanoTime();
            Long last = lastSent.get(digest);
            if (done < total && last != null && now - last < 250_000_000L) return;
            lastSent.put(digest, now);
            send(Map.of("digest", digest, "done", done, "total", total));
        }

        @Override
        public synchronized void unpacking(int index, int count, String digest) {
            send(Map.of("unpacking", index, "of", count, "digest", digest));
        }

        private void send(Map<String, Object> event) {
            try {
                reply(out, Map.of("progress", event));
            } catch (IOException gone) {
                // the client went away; the pull finishes anyway
            }
        }
    }

    private static Map<String, Object> ok(Object result) {
        var m = new LinkedHashMap<String, Object>();
        m.put("ok", true);
        m.put("result", result);
        return m;
    }

    private static void reply(OutputStream out, Object body) throws IOException {
        out.write((JSON.writeValueAsString(body) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
