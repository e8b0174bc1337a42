package dev.berth.agent.image;

import dev.berth.atomicfile.AtomicFile;
import dev.berth.image.ImageReference;
import dev.berth.registry.Descriptor;
import dev.berth.registry.ManifestDocument;
import dev.berth.registry.MediaTypes;
import dev.berth.registry.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Imports images from an OCI image layout, a directory or a tar of one, for hosts without
 * registry access. Every blob is copied into the store and checked against its digest on the
 * way; from a tar only the layout's own files are read, so an archive cannot place anything else.
 */
final class ImageImport {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern LAYOUT_FILE = Pattern.compile("(\\./)?(oci-layout|index\\.json|blobs/sha256/[0-9a-f]{64})");
    private static final String REF_NAME = "org.opencontainers.image.ref.name";

    private final ImageService images;
    private final ImageStore store;
    private final Platform platform;
    private final Clock clock;

    ImageImport(ImageService images, ImageStore store, Platform platform, Clock clock) {
        this.images = images;
        this.store = store;
        this.platform = platform;
        this.clock = clock;
    }

    /** @param name the repository (and tag) to name the images by, or null to use the layout's ref names */
    List<ImageRecord> run(Path path, String name, ImageService.Progress progress) throws IOException {
        if (Files.isRegularFile(path)) {
            Path unpacked = store.scratch();
            try {
                extractLayout(path, unpacked);
                return fromLayout(unpacked, name, progress);
            } finally {
                ImageStore.deleteTree(unpacked);
            }
        }
        if (!Files.isDirectory(path)) throw new IOException(path + " is neither an OCI layout directory nor a tar of one");
        return fromLayout(path, name, progress);
    }

    private List<ImageRecord> fromLayout(Path layout, String name, ImageService.Progress progress) throws IOException {
        if (!Files.isRegularFile(layout.resolve("oci-layout"), LinkOption.NOFOLLOW_LINKS)
                || !JSON.readTree(Files.readString(layout.resolve("oci-layout"))).has("imageLayoutVersion")) {
            throw new IOException(layout + " is not an OCI image layout: no oci-layout file with an imageLayoutVersion");
        }
        JsonNode index = JSON.readTree(Files.readString(layout.resolve("index.json")));
        var imported = new ArrayList<ImageRecord>();
        for (JsonNode entry : index.path("manifests")) {
            String digest = entry.path("digest").asString("");
            Digests.hex(digest);
            String mediaType = entry.path("mediaType").asString("");
            String refName = entry.path("annotations").path(REF_NAME).asString(null);
            String indexDigest = null;
            if (mediaType.equals(MediaTypes.OCI_INDEX) || mediaType.equals(MediaTypes.DOCKER_LIST)) {
                indexDigest = digest;
                var nested = (ManifestDocument.Index) ManifestDocument.parse(read(layout, digest), mediaType);
                String indexed = digest;
                Descriptor chosen = nested.select(platform).orElseThrow(() -> new IOException(layout + ": index " + indexed
                        + " has no image for " + platform + " (it has " + String.join(", ", nested.platforms()) + ")"));
                digest = chosen.digest();
                mediaType = chosen.mediaType();
            }
            byte[] raw = read(layout, digest);
            var manifest = (ManifestDocument.Image) ManifestDocument.parse(raw, mediaType);
            copy(layout, digest);
            if (indexDigest != null) copy(layout, indexDigest);
            copy(layout, manifest.config().digest());
            for (Descriptor layer : manifest.layers()) {
                if (!ImageService.LAYER_TYPES.contains(layer.mediaType())) {
                    throw new IOException(layout + ": layer " + layer.digest() + " has media type '" + layer.mediaType()
                            + "', which Berth cannot unpack");
                }
                copy(layout, layer.digest());
                progress.blob(layer.digest(), layer.size(), layer.size());
            }
            String tag = tagName(name, refName);
            var record = new ImageRecord(digest, indexDigest, tag == null ? "import" : tag.replaceFirst(":[^:/]+$", ""),
                    manifest.config(), manifest.layers(),
                    SnapshotChain.keys(manifest.layers().stream().map(Descriptor::digest).toList()), clock.instant());
            imported.add(images.adopt(record, tag, progress));
        }
        if (imported.isEmpty()) throw new IOException(layout + ": index.json lists no manifests");
        return imported;
    }

    /** The tag to record: the given name (with the layout's tag if it has none), else a full reference the layout names. */
    static String tagName(String name, String refName) {
        try {
            if (name != null) {
                var ref = ImageReference.parse(name);
                boolean hasTag = name.substring(name.lastIndexOf('/') + 1).contains(":");
                String tag = hasTag ? ref.tag() : refName != null && refName.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}") ? refName : "latest";
                return ImageService.tagName(new ImageReference(ref.registry(), ref.repository(), tag, null));
            }
            if (refName != null && (refName.contains("/") || refName.contains(":"))) {
                return ImageService.tagName(ImageReference.parse(refName));
            }
            return null;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot name the imported image: " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path layout, String digest) throws IOException {
        Path file = layout.resolve("blobs/sha256").resolve(Digests.hex(digest));
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) throw new IOException(layout + " lacks blob " + digest);
        if (Files.size(file) > 4 << 20) throw new IOException(layout + ": manifest " + digest + " is larger than 4 MiB");
        byte[] raw = Files.readAllBytes(file);
        String actual = "sha256:" + HexFormat.of().formatHex(sha256().digest(raw));
        if (!actual.equals(digest)) throw new IOException(layout + ": blob " + digest + " has digest " + actual);
        return raw;
    }

    /** Copies a blob into the store through a digest check; a mismatch leaves nothing behind. */
    private void copy(Path layout, String digest) throws IOException {
        Path target = store.blob(digest);
        if (Files.exists(target)) return;
        Path source = layout.resolve("blobs/sha256").resolve(Digests.hex(digest));
        if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) throw new IOException(layout + " lacks blob " + digest);
        AtomicFile.at(target).write(channel -> {
            MessageDigest sha = sha256();
            try (InputStream in = new DigestInputStream(Files.newInputStream(source), sha)) {
                in.transferTo(Channels.newOutputStream(channel));
            }
            String actual = "sha256:" + HexFormat.of().formatHex(sha.digest());
            if (!actual.equals(digest)) throw new IOException(layout + ": blob " + digest + " has digest " + actual);
        });
    }

    /** Reads only oci-layout, index.json and blobs/sha256/HEX from the tar, as plain files. */
    private static void extractLayout(Path tar, Path into) throws IOException {
        Files.createDirectories(into.resolve("blobs/sha256"));
        try (var in = new TarArchiveInputStream(Files.newInputStream(tar))) {
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (!entry.isFile() || !LAYOUT_FILE.matcher(entry.getName()).matches()) continue;
                Path target = into.resolve(entry.getName().replaceFirst("^\\./", ""));
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(tar + " is not a readable tar: " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
