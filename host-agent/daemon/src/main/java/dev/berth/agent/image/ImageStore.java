package dev.berth.agent.image;

import dev.berth.atomicfile.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's image store under {@code STATE/images}: content-addressed blobs
 * ({@code blobs/sha256/HEX}), unpacked snapshots per layer chain ({@code snapshots/KEY}), one
 * record per image ({@code records/HEX.json}) and the tags that name them ({@code tags.json}).
 * Every file is written to a temporary name and renamed, so a crash leaves either the old or the
 * new state. Callers serialise writers ({@link ImageService} holds the lock).
 */
public final class ImageStore {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path root;

    public ImageStore(Path stateDir) throws IOException {
        this.root = stateDir.resolve("images");
        for (String dir : List.of("blobs/sha256", "snapshots", "records")) Files.createDirectories(root.resolve(dir));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
    }

    /** {@code STATE/images}: where everything of the store lives, on one filesystem. */
    public Path root() {
        return root;
    }

    /** Where the record of the image with manifest {@code digest} is kept. */
    Path recordFile(String digest) {
        return root.resolve("records").resolve(Digests.hex(digest) + ".json");
    }

    public Path blob(String digest) {
        return root.resolve("blobs/sha256").resolve(Digests.hex(digest));
    }

    public Path snapshot(String key) {
        if (!key.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("bad snapshot key " + key);
        return root.resolve("snapshots").resolve(key);
    }

    public Optional<ImageRecord> record(String digest) throws IOException {
        Path file = recordFile(digest);
        if (!Files.exists(file)) return Optional.empty();
        return Optional.of(JSON.readValue(Files.readString(file), ImageRecord.class));
    }

    public void save(ImageRecord record) throws IOException {
        writeAtomically(recordFile(record.digest()), JSON.writeValueAsString(record));
    }

    public void delete(String digest) throws IOException {
        Files.deleteIfExists(recordFile(digest));
    }

    public List<ImageRecord> records() throws IOException {
        var out = new ArrayList<ImageRecord>();
        try (Stream<Path> files = Files.list(root.resolve("records"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                out.add(JSON.readValue(Files.readString(f), ImageRecord.class));
            }
        }
        return out;
    }

    /** Tag name (a canonical reference without digest) → manifest digest. */
    public Map<String, String> tags() throws IOException {
        Path file = root.resolve("tags.json");
        if (!Files.exists(file)) return new TreeMap<>();
        return new TreeMap<>(JSON.readValue(Files.readString(file), new TypeReference<Map<String, String>>() { }));
    }

    public void saveTags(Map<String, String> tags) throws IOException {
        writeAtomically(root.resolve("tags.json"), JSON.writeValueAsString(new TreeMap<>(tags)));
    }

    /** What garbage collection removed; {@code bytes} counts blobs (snapshots share files by hard links). */
    public record Collected(List<String> blobs, List<String> snapshots, long bytes) {
    }

    /** Removes blobs, snapshots and leftovers of interrupted writes that no record references. */
    public Collected collect() throws IOException {
        var used = referenced();
        var blobs = used.blobs();
        var snapshots = used.snapshots();
        var removedBlobs = new ArrayList<String>();
        var removedSnapshots = new ArrayList<String>();
        long bytes = 0;
        try (Stream<Path> files = Files.list(root.resolve("blobs/sha256"))) {
            for (Path f : files.toList()) {
                if (blobs.contains(f.getFileName().toString())) continue;
                bytes += Files.size(f);
                Files.delete(f);
                if (f.getFileName().toString().matches("[0-9a-f]{64}")) removedBlobs.add("sha256:" + f.getFileName());
            }
        }
        try (Stream<Path> dirs = Files.list(root.resolve("snapshots"))) {
            for (Path d : dirs.toList()) {
                if (snapshots.contains(d.getFileName().toString())) continue;
                deleteTree(d);
                if (d.getFileName().toString().matches("[0-9a-f]{64}")) removedSnapshots.add(d.getFileName().toString());
            }
        }
        return new Collected(List.copyOf(removedBlobs), List.copyOf(removedSnapshots), bytes);
    }

    /** What the records reference: blob file names (hex digests) and snapshot keys. */
    record Referenced(Set<String> blobs, Set<String> snapshots) {
        /** Whether {@code path}, a blob or snapshot of the store, is one of them. */
        boolean contains(Path path) {
            String name = path.getFileName().toString();
            return path.getParent().getFileName().toString().equals("snapshots") ? snapshots.contains(name) : blobs.contains(name);
        }
    }

    /** The blobs and snapshots some record references. */
    Referenced referenced() throws IOException {
        var blobs = new HashSet<String>();
        var snapshots = new HashSet<String>();
        for (ImageRecord r : records()) {
            blobs.add(Digests.hex(r.digest()));
            if (r.indexDigest() != null) blobs.add(Digests.hex(r.indexDigest()));
            blobs.add(Digests.hex(r.config().digest()));
            r.layers().forEach(l -> blobs.add(Digests.hex(l.digest())));
            snapshots.addAll(r.chain());
        }
        return new Referenced(blobs, snapshots);
    }

    /** A fresh scratch directory inside the store, for an import to unpack into; collected if left behind. */
    public Path scratch() throws IOException {
        return Files.createDirectories(root.resolve("snapshots").resolve(".scratch-" + UUID.randomUUID()));
    }

    /** Keys of the snapshots that exist. */
    public Set<String> snapshotKeys() throws IOException {
        try (Stream<Path> dirs = Files.list(root.resolve("snapshots"))) {
            return Set.copyOf(dirs.map(d -> d.getFileName().toString()).filter(n -> n.matches("[0-9a-f]{64}")).toList());
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        AtomicFile.at(file).write(text);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
