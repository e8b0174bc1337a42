package dev.berth.agent.image;

import dev.berth.registry.Descriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one pull may write into the store that was not there when it began (the image's blobs,
 * snapshots and record), so that a pull that fails takes it back and leaves the store as it found
 * it. Complete blobs and snapshots another image references stay.
 */
final class PullWrites {
    private final ImageStore store;
    private final Set<Path> fresh = new LinkedHashSet<>();
    private String freshRecord;
    private boolean saved;

    PullWrites(ImageStore store) {
        this.store = store;
    }

    /** Notes which of {@code image}'s files are not in the store yet; before the pull writes any. */
    void expect(ImageRecord image) {
        var blobs = new java.util.ArrayList<String>();
        blobs.add(image.digest());
        blobs.add(image.config().digest());
        image.layers().forEach(l -> blobs.add(l.digest()));
        for (String digest : blobs) absent(store.blob(digest));
        for (String key : image.chain()) absent(store.snapshot(key));
        if (!Files.exists(store.recordFile(image.digest()))) freshRecord = image.digest();
    }

    private void absent(Path path) {
        if (!Files.exists(path, Trees.NOFOLLOW)) fresh.add(path);
    }

    /** The pull saved the image's record (another pull of the same image may have saved it too). */
    void saved() {
        saved = true;
    }

    /** The bytes of {@code blobs} the store does not hold yet. */
    long missingBlobBytes(List<Descriptor> blobs) {
        return blobs.stream().distinct().filter(b -> !Files.exists(store.blob(b.digest()))).mapToLong(Descriptor::size).sum();
    }

    /** Removes what the pull wrote that no record references; the caller keeps other pulls out meanwhile. */
    void undo() throws IOException {
        if (freshRecord != null && saved) store.delete(freshRecord);
        var used = store.referenced();
        for (Path path : fresh) {
            if (!used.contains(path)) Trees.delete(path);
        }
    }
}
