package dev.berth.agent.state;

import dev.berth.atomicfile.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which host port each app's published container port got from the agent's {@link PortRange},
 * kept in {@code STATE/ports.json} so the port stays the same across container and agent restarts
 * and every replica of the app on this host shares it.
 */
public final class PortAllocations {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<TreeMap<String, TreeMap<Integer, Integer>>> SHAPE = new TypeReference<>() {
    };

    private final Path file;
    private final PortRange range;

    public PortAllocations(Path stateDir, PortRange range) {
        this.file = stateDir.resolve("ports.json");
        this.range = range;
    }

    public PortRange range() {
        return range;
    }

    /**
     * The app's host port for {@code containerPort}: the one it had, or the lowest free port of the
     * range that {@code bindable} accepts (so a port some other program holds is passed over). An
     * allocation outside the range (it was changed) is made again.
     */
    public synchronized int portFor(String app, int containerPort, IntPredicate bindable) throws IOException {
        var all = read();
        Integer had = all.getOrDefault(app, new TreeMap<>()).get(containerPort);
        if (had != null && range.contains(had)) return had;
        var taken = new HashSet<Integer>();
        all.values().forEach(ports -> taken.addAll(ports.values()));
        int port = range.firstFree(taken, bindable).orElseThrow(() -> new IOException("no free host port is left in "
                + range + " for port " + containerPort + " of app '" + app + "'; widen the agent's --port-range"));
        all.computeIfAbsent(app, a -> new TreeMap<>()).put(containerPort, port);
        write(all);
        return port;
    }

    private TreeMap<String, TreeMap<Integer, Integer>> read() throws IOException {
        if (!Files.exists(file)) return new TreeMap<>();
        try {
            return JSON.readValue(Files.readString(file), SHAPE);
        } catch (JacksonException e) {
            throw new IOException(file + " is damaged (" + e.getOriginalMessage() + "); it records the host port of each"
                    + " app's published ports, so fix or restore it rather than deleting it");
        }
    }

    /** Replaced whole: the file is always either the old or the new map. */
    private void write(TreeMap<String, TreeMap<Integer, Integer>> all) throws IOException {
        Files.createDirectories(file.getParent());
        AtomicFile.at(file).write(JSON.writeValueAsString(all));
    }
}
