package dev.berth.agent.image;

import dev.berth.atomicfile.AtomicFile;
import dev.berth.image.ImageReference;
import dev.berth.registry.Descriptor;
import dev.berth.registry.ImageConfig;
import dev.berth.registry.Platform;
import dev.berth.registry.PullProgress;
import dev.berth.registry.RegistryClient;
import dev.berth.registry.RegistryConfig;
import dev.berth.registry.ResolvedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Pulls, imports, unpacks and forgets images. Pulls and unpacks may run side by side (each
 * snapshot is built once, under its own lock); removal and garbage collection wait for them and
 * run alone, so nothing in use is ever collected.
 */
public final class ImageService implements AutoCloseable {
    /** Layer media types the unpacker understands. */
    static final Set<String> LAYER_TYPES = Set.of(
            "application/vnd.oci.image.layer.v1.tar",
            "application/vnd.oci.image.layer.v1.tar+gzip",
            "application/vnd.oci.image.layer.v1.tar+zstd",
            "application/vnd.docker.image.rootfs.diff.tar.gzip");

    private final ImageStore store;
    private final RegistryClient registry;
    private final Platform platform;
    private final Clock clock;
    private final UnpackLimits limits;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Object> snapshotLocks = new ConcurrentHashMap<>();
    private final Object tagLock = new Object();

    public ImageService(Path stateDir, RegistryConfig config, Platform platform, Clock clock) throws IOException {
        this(new ImageStore(stateDir), new RegistryClient(config), platform, clock, UnpackLimits.DEFAULT);
    }

    ImageService(ImageStore store, RegistryClient registry, Platform platform, Clock clock, UnpackLimits limits) {
        this.store = store;
        this.registry = registry;
        this.platform = platform;
        this.clock = clock;
        this.limits = limits;
    }

    /** What progress a pull reports, besides the registry client's bytes per blob. */
    public interface Progress extends PullProgress {
        /** A layer is being unpacked ({@code index} counts from 1). */
        default void unpacking(int index, int count, String digest) {
        }
    }

    /** An image with the names that point at it. */
    public record Listed(ImageRecord image, List<String> names) {
    }

    /**
     * Fetches {@code reference} from its registry (manifest, config, missing layers) and unpacks it.
     * A pull that fails removes what it wrote (blobs, snapshots, its record) unless another image
     * uses it; one that finds no room says so with a {@link StoreFull} before it downloads.
     */
    public ImageRecord pull(String reference, Progress progress) throws IOException {
        ImageReference ref = parse(reference);
        var written = new PullWrites(store);
        try {
            lock.readLock().lock();
            try {
                return pullLocked(ref, progress, written);
            } finally {
                lock.readLock().unlock();
            }
        } catch (IOException | RuntimeException | Error e) {
            undo(written, e);
            StoreFull full = StoreFull.of(e, store.root(), "pulling " + ref);
            if (full != null) throw full;
            throw e;
        }
    }

    /** Removes what a failed pull wrote that no image uses; alone, so no other pull is between looking and removing. */
    private void undo(PullWrites written, Throwable failure) {
        lock.writeLock().lock();
        try {
            written.undo();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private ImageRecord pullLocked(ImageReference ref, Progress progress, PullWrites written) throws IOException {
        ResolvedImage resolved = registry.resolve(ref, platform);
        var manifest = resolved.manifest();
        for (Descriptor layer : manifest.layers()) {
            if (!LAYER_TYPES.contains(layer.mediaType())) {
                throw new IOException(ref + ": layer " + layer.digest() + " has media type '" + layer.mediaType()
                        + "', which Berth cannot unpack (supported: " + String.join(", ", LAYER_TYPES.stream().sorted().toList()) + ")");
            }
        }
        var blobs = new ArrayList<Descriptor>();
        blobs.add(manifest.config());
        blobs.addAll(manifest.layers());
        var record = new ImageRecord(manifest.digest(), resolved.indexDigest(), ref.repositoryName(), manifest.config(),
                manifest.layers(), SnapshotChain.keys(manifest.layers().stream().map(Descriptor::digest).toList()),
                clock.instant());
        written.expect(record);
        StoreFull.require(store.root(), written.missingBlobBytes(blobs) + manifest.raw().length, ref.toString());
        writeBlob(manifest.digest(), manifest.raw());
        registry.downloadAll(ref, blobs, d -> store.blob(d.digest()), progress);
        checkPlatform(record, ref.toString());
        unpack(record, progress);
        synchronized (tagLock) {
            store.save(record);
            written.saved();
            if (ref.tag() != null) {
                var tags = store.tags();
                tags.put(tagName(ref), record.digest());
                store.saveTags(tags);
            }
        }
        return record;
    }

    /** The local image {@code reference} names, pulling it only if it is not here (as {@code docker run} does). */
    public ImageRecord ensure(String reference, Progress progress) throws IOException {
        Optional<ImageRecord> local = find(reference);
        return local.isPresent() ? local.get() : pull(reference, progress);
    }

    /** The local image a tag, a digest-pinned reference or a bare digest names. */
    public Optional<ImageRecord> find(String reference) throws IOException {
        if (reference.startsWith("sha256:")) return byDigest(reference);
        ImageReference ref = parse(reference);
        if (ref.digest() != null) return byDigest(ref.digest());
        String digest = store.tags().get(tagName(ref));
        return digest == null ? Optional.empty() : store.record(digest);
    }

    private Optional<ImageRecord> byDigest(String digest) throws IOException {
        Optional<ImageRecord> direct = store.record(digest);
        if (direct.isPresent()) return direct;
        return store.records().stream().filter(r -> digest.equals(r.indexDigest())).findFirst();
    }

    /** The read-only tree of the image's last layer, unpacking any layer that is missing. */
    public Path rootfs(ImageRecord image) throws IOException {
        lock.readLock().lock();
        try {
            unpack(image, new Progress() {
                @Override
                public void blob(String digest, long done, long total) {
                }
            });
            return store.snapshot(image.chain().getLast());
        } catch (IOException e) {
            // A layer that did not fit left nothing (snapshots are built aside and moved into place).
            StoreFull full = StoreFull.of(e, store.root(), "unpacking " + image.repository() + "@" + image.digest());
            if (full != null) throw full;
            throw e;
        } finally {
            lock.readLock().unlock();
        }
    }

    public ImageConfig config(ImageRecord image) throws IOException {
        return ImageConfig.parse(Files.readAllBytes(store.blob(image.config().digest())));
    }

    public List<Listed> list() throws IOException {
        Map<String, String> tags = store.tags();
        var out = new ArrayList<Listed>();
        for (ImageRecord r : store.records()) {
            out.add(new Listed(r, tags.entrySet().stream().filter(e -> e.getValue().equals(r.digest())).map(Map.Entry::getKey).toList()));
        }
        return out;
    }

    public List<String> names(ImageRecord image) throws IOException {
        return store.tags().entrySet().stream().filter(e -> e.getValue().equals(image.digest())).map(Map.Entry::getKey).toList();
    }

    /**
     * Removes a name, or with a digest the image and all its names. The image itself goes when
     * no name is left, unless a container uses it: then nothing changes and the error says which.
     *
     * @param inUse image digest → a container that runs it
     * @return the names and digests removed
     */
    public List<String> remove(String reference, Map<String, String> inUse) throws IOException {
        lock.writeLock().lock();
        try {
            ImageRecord image = find(reference).orElseThrow(() -> new IOException("no image '" + reference + "' here; 'berth-agent image ls' lists them"));
            var tags = store.tags();
            boolean byDigest = reference.startsWith("sha256:") || parse(reference).digest() != null;
            var removed = new ArrayList<String>();
            List<String> names = names(image);
            boolean lastName = byDigest || names.size() <= 1;
            if (lastName && inUse.containsKey(image.digest())) {
                throw new IOException("image " + image.digest() + " is used by container '" + inUse.get(image.digest())
                        + "'; remove the container first");
            }
            if (byDigest) {
                names.forEach(tags::remove);
                removed.addAll(names);
            } else {
                String name = tagName(parse(reference));
                tags.remove(name);
                removed.add(name);
            }
            synchronized (tagLock) {
                store.saveTags(tags);
                if (lastName) {
                    store.delete(image.digest());
                    removed.add(image.digest());
                }
            }
            return removed;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes blobs and snapshots no image references; waits for running pulls. */
    public ImageStore.Collected gc() throws IOException {
        lock.writeLock().lock();
        try {
            return store.collect();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Imports the images of an OCI layout directory or tar; {@code name} names them (else the layout's ref names). */
    public List<ImageRecord> importLayout(Path path, String name, Progress progress) throws IOException {
        try {
            return new ImageImport(this, store, platform, clock).run(path, name, progress);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Records an image whose blobs are already in the store (an import), unpacks it and names it. */
    ImageRecord adopt(ImageRecord record, String name, Progress progress) throws IOException {
        lock.readLock().lock();
        try {
            checkPlatform(record, name);
            unpack(record, progress);
            synchronized (tagLock) {
                store.save(record);
                if (name != null) {
                    var tags = store.tags();
                    tags.put(name, record.digest());
                    store.saveTags(tags);
                }
            }
            return record;
        } finally {
            lock.readLock().unlock();
        }
    }

    ImageStore store() {
        return store;
    }

    private void checkPlatform(ImageRecord record, String name) throws IOException {
        ImageConfig config = config(record);
        if (config.os() != null && !config.os().equals(platform.os())
                || config.architecture() != null && !config.architecture().equals(platform.architecture())) {
            throw new IOException(name + " is built for " + config.os() + "/" + config.architecture() + ", but this host is "
                    + platform.os() + "/" + platform.architecture());
        }
        if (config.diffIds().size() != record.layers().size()) {
            throw new IOException(name + ": its config lists " + config.diffIds().size() + " layers, its manifest "
                    + record.layers().size());
        }
    }

    private void unpack(ImageRecord image, Progress progress) throws IOException {
        Path parent = null;
        for (int i = 0; i < image.layers().size(); i++) {
            Descriptor layer = image.layers().get(i);
            Path target = store.snapshot(image.chain().get(i));
            synchronized (snapshotLocks.computeIfAbsent(image.chain().get(i), k -> new Object())) {
                if (!Files.isDirectory(target)) {
                    progress.unpacking(i + 1, image.layers().size(), layer.digest());
                    LayerSnapshots.build(parent, store.blob(layer.digest()), layer.mediaType(), target, limits);
                }
            }
            parent = target;
        }
    }

    private void writeBlob(String digest, byte[] content) throws IOException {
        Path target = store.blob(digest);
        if (Files.exists(target)) return;
        AtomicFile.at(target).write(content);
    }

    private static ImageReference parse(String reference) throws IOException {
        try {
            return ImageReference.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** A tag's name: the canonical reference without any digest. */
    static String tagName(ImageReference ref) {
        return new ImageReference(ref.registry(), ref.repository(), ref.tag() == null ? "latest" : ref.tag(), null).toString();
    }

    @Override
    public void close() {
        registry.close();
    }
}
