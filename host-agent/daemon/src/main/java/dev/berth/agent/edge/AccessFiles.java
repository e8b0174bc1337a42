package dev.berth.agent.edge;

import dev.berth.agent.runtime.LogFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each app's access lines ({@link AccessLine}) in a file of its own, {@code STATE/edge/access/edge_TEAM.APP.log}
 * (0600, in the 0700 edge directory), capped like container logs: past {@link #MAX_BYTES} it is
 * rotated to {@code .1} (one copy kept) and started again, which the link's log shipping follows.
 * Written by the edge's access-log thread alone, so a rotation loses no line.
 */
final class AccessFiles {
    static final long MAX_BYTES = 4L << 20;
    private static final String SUFFIX = ".log";
    private final Path dir;
    private final long maxBytes;

    AccessFiles(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    /** One file an app's access lines are in, and the stream it ships as. */
    record AccessFile(String stream, Path file) {
    }

    /** Appends each entry's line to its app's file, then rotates the files that grew past the cap. */
    void write(List<AccessEntry> entries) throws IOException {
        if (entries.isEmpty()) return;
        var byStream = new LinkedHashMap<String, StringBuilder>();
        for (AccessEntry e : entries) {
            String stream = AccessLine.stream(e.app());
            if (stream == null) continue; // EdgeChecks let no such app through; a file name is never made from one
            byStream.computeIfAbsent(stream, s -> new StringBuilder()).append(AccessLine.format(e)).append('\n');
        }
        Files.createDirectories(dir);
        for (var lines : byStream.entrySet()) {
            Path file = file(lines.getKey());
            if (!Files.exists(file)) LogFile.createPrivate(file);
            Files.writeString(file, lines.getValue(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            new LogFile(file, maxBytes, 1).rotateIfNeeded();
        }
    }

    /** The apps' files there are now, by stream. */
    List<AccessFile> files() throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        var out = new TreeMap<String, Path>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "edge_*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                out.put(name.substring(0, name.length() - SUFFIX.length()), f);
            }
        }
        var list = new ArrayList<AccessFile>();
        for (Map.Entry<String, Path> e : out.entrySet()) list.add(new AccessFile(e.getKey(), e.getValue()));
        return list;
    }

    Path file(String stream) {
        return dir.resolve(stream + SUFFIX);
    }
}
