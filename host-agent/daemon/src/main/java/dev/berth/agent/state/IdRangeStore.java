package dev.berth.agent.state;

import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.bundle.IdRanges;
import dev.berth.atomicfile.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which host id range each app owns on this host, kept in the agent's state directory so an app
 * keeps its range across container and agent restarts (and its volumes keep their owners).
 */
public final class IdRangeStore {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<TreeMap<String, Long>> STARTS = new TypeReference<>() {
    };

    private final Path file;

    public IdRangeStore(Path stateDir) {
        this.file = stateDir.resolve("id-ranges.json");
    }

    /** The app's range, allocating the lowest free one on first use. */
    public synchronized IdRange rangeFor(String app) throws IOException {
        var starts = read();
        Long start = starts.get(app);
        if (start != null) return new IdRange(start, IdRange.SIZE);
        var taken = starts.values().stream().map(s -> new IdRange(s, IdRange.SIZE)).toList();
        IdRange fresh = IdRanges.nextFree(taken)
                .orElseThrow(() -> new IOException("no free host id range is left for app '" + app + "'"));
        starts.put(app, fresh.hostStart());
        write(starts);
        return fresh;
    }

    private TreeMap<String, Long> read() throws IOException {
        if (!Files.exists(file)) return new TreeMap<>();
        try {
            return JSON.readValue(Files.readString(file), STARTS);
        } catch (JacksonException e) {
            throw new IOException(file + " is damaged (" + e.getOriginalMessage() + "); it records which host ids"
                    + " each app owns, so fix or restore it rather than deleting it");
        }
    }

    /** Replaced whole: the file is always either the old or the new map. */
    private void write(TreeMap<String, Long> starts) throws IOException {
        Files.createDirectories(file.getParent());
        AtomicFile.at(file).write(JSON.writeValueAsString(starts));
    }
}
