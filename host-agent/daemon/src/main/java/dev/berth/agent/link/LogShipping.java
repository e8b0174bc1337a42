package dev.berth.agent.link;

import dev.berth.agent.daemon.LogSource;
import dev.berth.agent.protocol.LogChunk;
import dev.berth.agent.protocol.Logs;
import dev.berth.atomicfile.AtomicFile;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

/**
 * Ships new output of platform containers ({@code POST /agent/v1/logs}) at most once per interval,
 * only for containers whose log grew, at most {@link #MAX_CHUNK} bytes per container per request.
 * How far each log went out is kept in {@code STATE/platform/log-cursors.json} after every
 * accepted shipment, so a restarted agent neither repeats nor skips. A rotated log ships the rest
 * of its rotated copy first, then starts over at offset 0; so does a container whose log file
 * changed (from the agent's notes on a failing start to its real output).
 */
final class LogShipping implements Runnable {
    static final int MAX_CHUNK = 64 * 1024;
    private static final TypeReference<TreeMap<String, LogCursor>> CURSORS = new TypeReference<>() {
    };

    private final PlatformCalls calls;
    private final PlatformLink.Agent agent;
    private final Duration interval;
    private final Path cursorFile;
    private final LinkState state;
    private Map<String, LogCursor> cursors;
    private int failures;

    LogShipping(PlatformCalls calls, PlatformLink.Agent agent, Duration interval, Path stateDir, PrintStream log) {
        this.calls = calls;
        this.agent = agent;
        this.interval = interval;
        this.cursorFile = stateDir.resolve("platform").resolve("log-cursors.json");
        this.state = new LinkState(log);
    }

    @Override
    public void run() {
        try {
            Duration wait = interval;
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(wait.toMillis());
                URI target = calls.platform();
                failures = shipOnce() ? 0 : failures + 1;
                wait = calls.retryAfter(target, LinkParts.nextDelay(interval, failures));
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** One round; false when the platform did not take the logs. */
    boolean shipOnce() throws InterruptedException {
        if (cursors == null) cursors = load();
        List<LogSource> sources;
        try {
            sources = agent.platformLogs();
        } catch (IOException | RuntimeException e) {
            state.is("no-sources", "cannot list container logs (" + PlatformCalls.describe(e) + ")");
            return true;
        }
        var next = new HashMap<String, LogCursor>();
        var chunks = new ArrayList<LogChunk>();
        for (LogSource source : sources) {
            String file = source.file().toString();
            LogCursor cursor = cursors.get(source.container());
            if (cursor == null || !cursor.file().equals(file)) cursor = new LogCursor(file, 0);
            try {
                next.put(source.container(), read(source.container(), cursor, chunks));
            } catch (IOException e) {
                next.put(source.container(), cursor); // gone meanwhile; looked at again next round
            }
        }
        if (!chunks.isEmpty()) {
            String why;
            URI target = calls.platform();
            try {
                var response = calls.post(target, "agent/v1/logs", new Logs(Logs.VERSION, chunks));
                if (response.statusCode() / 100 == 2) {
                    state.is("up " + target, "container logs reach " + target);
                    why = null;
                } else {
                    why = "HTTP " + response.statusCode() + PlatformCalls.detail(response.body());
                }
            } catch (IOException | RuntimeException e) {
                why = PlatformCalls.describe(e);
            }
            if (why != null) {
                state.is("failing", "container logs to " + target + " fail (" + why + "); retrying with backoff");
                return false;
            }
        }
        if (!next.equals(cursors)) {
            cursors = next;
            save();
        }
        return true;
    }

    /** Adds the container's next chunk, if any, and returns where its cursor stands once that chunk is taken. */
    private LogCursor read(String container, LogCursor cursor, List<LogChunk> chunks) throws IOException {
        Path file = Path.of(cursor.file());
        if (!Files.exists(file)) return cursor;
        Path rotated = file.resolveSibling(file.getFileName() + ".1");
        long rotatedSize = Files.exists(rotated) ? Files.size(rotated) : -1;
        var read = cursor.next(Files.size(file), rotatedSize, MAX_CHUNK);
        if (read == null) return cursor;
        if (read.rotated()) {
            byte[] bytes = bytes(rotated, read.from(), read.length());
            chunks.add(new LogChunk(container, read.from(), new String(bytes, StandardCharsets.UTF_8)));
            return new LogCursor(cursor.file(), 0);
        }
        byte[] bytes = bytes(file, read.from(), read.length());
        int whole = LogCursor.wholeCharacters(bytes, bytes.length);
        if (whole == 0) return new LogCursor(cursor.file(), read.from());
        chunks.add(new LogChunk(container, read.from(), new String(bytes, 0, whole, StandardCharsets.UTF_8)));
        return new LogCursor(cursor.file(), read.from() + whole);
    }

    private static byte[] bytes(Path file, long from, int length) throws IOException {
        try (var f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(from);
            var buffer = new byte[length];
            int n = 0;
            while (n < length) {
                int r = f.read(buffer, n, length - n);
                if (r < 0) break;
                n += r;
            }
            return n == length ? buffer : java.util.Arrays.copyOf(buffer, n);
        }
    }

    private Map<String, LogCursor> load() {
        if (!Files.exists(cursorFile)) return new HashMap<>();
        try {
            return new HashMap<>(PlatformCalls.JSON.readValue(Files.readString(cursorFile), CURSORS));
        } catch (IOException | JacksonException e) {
            state.is("cursors-damaged", cursorFile + " cannot be read (" + e.getMessage() + "); shipping logs from their start");
            return new HashMap<>();
        }
    }

    private void save() {
        try {
            Files.createDirectories(cursorFile.getParent());
            AtomicFile.at(cursorFile).write(PlatformCalls.JSON.writeValueAsString(new TreeMap<>(cursors)));
        } catch (IOException | JacksonException e) {
            state.is("cursors-unsaved", "cannot keep " + cursorFile + " (" + e.getMessage() + ")");
        }
    }
}
