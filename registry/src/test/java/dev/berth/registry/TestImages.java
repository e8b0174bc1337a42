package dev.berth.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds OCI image layouts on disk from in-memory layer descriptions, and pushes them to a
 * registry with skopeo. Layers are gzip-compressed tars written with commons-compress; mode bits
 * in tar headers are permission bits only (like GNU tar), modification times are fixed so equal
 * input gives equal digests.
 *
 * <pre>{@code
 * TestImages.Image image = TestImages.Image.of(TestImages.Layer.of(
 *         TestImages.Entry.dir("etc"), TestImages.Entry.file("etc/motd", "hi\n")))
 *     .withCmd("/bin/sh");
 * TestImages.Built built = TestImages.writeLayout(dir, "v1", image);
 * TestImages.push(built.layout(), built.tag(), registry.host(), "acme/web:v1", null);
 * }</pre>
 */
public final class TestImages {

    /** Layer media type of every layer built here. */
    public static final String LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    static final long MTIME = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();

    private TestImages() {
    }

    /** One tar entry of a layer; paths are relative to the root ({@code etc/motd}, no leading slash). */
    public sealed interface Entry {

        String path();

        /** A regular file. */
        record File(String path, byte[] content, int mode, int uid, int gid) implements Entry {
            public File {
                content = content.clone();
            }
        }

        /** A directory. */
        record Dir(String path, int mode, int uid, int gid) implements Entry {
        }

        /** A symbolic link to {@code target} (as written, relative or absolute). */
        record Symlink(String path, String target, int uid, int gid) implements Entry {
        }

        /** A hard link to {@code target}, a path of an earlier entry in the same layer. */
        record Hardlink(String path, String target) implements Entry {
        }

        /** Deletes {@code path} from lower layers ({@code .wh.<name>} file in its directory). */
        record Whiteout(String path) implements Entry {
        }

        /** Hides everything lower layers have under directory {@code path} ({@code .wh..wh..opq}). */
        record OpaqueWhiteout(String path) implements Entry {
        }

        /** A root-owned 0644 file with UTF-8 {@code content}. */
        static File file(String path, String content) {
            return new File(path, content.getBytes(StandardCharsets.UTF_8), 0644, 0, 0);
        }

        /** A root-owned file with {@code content} and {@code mode}. */
        static File file(String path, byte[] content, int mode) {
            return new File(path, content, mode, 0, 0);
        }

        /** A root-owned 0755 directory. */
        static Dir dir(String path) {
            return new Dir(path, 0755, 0, 0);
        }

        static Symlink symlink(String path, String target) {
            return new Symlink(path, target, 0, 0);
        }

        static Hardlink hardlink(String path, String target) {
            return new Hardlink(path, target);
        }

        static Whiteout whiteout(String path) {
            return new Whiteout(path);
        }

        static OpaqueWhiteout opaque(String dir) {
            return new OpaqueWhiteout(dir);
        }
    }

    /** A layer: its entries in tar order. */
    public record Layer(List<Entry> entries) {

        public Layer {
            entries = List.copyOf(entries);
        }

        public static Layer of(Entry... entries) {
            return new Layer(List.of(entries));
        }

        /** The uncompressed tar; its sha256 is the layer's diff id. */
        public byte[] tar() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                for (Entry e : entries) write(tar, e);
                tar.finish();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        private static void write(TarArchiveOutputStream tar, Entry entry) throws IOException {
            TarArchiveEntry t;
            byte[] content = new byte[0];
            switch (entry) {
                case Entry.File f -> {
                    t = new TarArchiveEntry(f.path());
                    t.setMode(f.mode());
                    t.setIds(f.uid(), f.gid());
                    content = f.content();
                }
                case Entry.Dir d -> {
                    t = new TarArchiveEntry(d.path().endsWith("/") ? d.path() : d.path() + "/");
                    t.setMode(d.mode());
                    t.setIds(d.uid(), d.gid());
                }
                case Entry.Symlink s -> {
                    t = new TarArchiveEntry(s.path(), TarConstants.LF_SYMLINK);
                    t.setLinkName(s.target());
                    t.setMode(0777);
                    t.setIds(s.uid(), s.gid());
                }
                case Entry.Hardlink h -> {
                    t = new TarArchiveEntry(h.path(), TarConstants.LF_LINK);
                    t.setLinkName(h.target());
                    t.setMode(0644);
                }
                case Entry.Whiteout w -> {
                    t = new TarArchiveEntry(sibling(w.path(), ".wh." + name(w.path())));
                    t.setMode(0);
                }
                case Entry.OpaqueWhiteout o -> {
                    t = new TarArchiveEntry(strip(o.path()) + "/.wh..wh..opq");
                    t.setMode(0);
                }
            }
            t.setModTime(MTIME);
            t.setSize(content.length);
            tar.putArchiveEntry(t);
            tar.write(content);
            tar.closeArchiveEntry();
        }

        private static String strip(String p) {
            return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        }

        private static String name(String p) {
            String s = strip(p);
            return s.substring(s.lastIndexOf('/') + 1);
        }

        private static String sibling(String p, String name) {
            String s = strip(p);
            int slash = s.lastIndexOf('/');
            return slash < 0 ? name : s.substring(0, slash + 1) + name;
        }
    }

    /** An image to build: platform, layers (base first) and the runtime settings of its config. */
    public record Image(Platform platform, List<Layer> layers, List<String> entrypoint, List<String> cmd,
            List<String> env, String workingDir, String user, Set<String> exposedPorts) {

        public Image {
            Objects.requireNonNull(platform, "platform");
            layers = List.copyOf(layers);
            entrypoint = List.copyOf(entrypoint);
            cmd = List.copyOf(cmd);
            env = List.copyOf(env);
            exposedPorts = Set.copyOf(exposedPorts);
        }

        /** An image for {@link Platform#host()} with {@code layers} and no runtime settings. */
        public static Image of(Layer... layers) {
            return new Image(Platform.host(), List.of(layers), List.of(), List.of(), List.of(), null, null, Set.of());
        }

        public Image withPlatform(Platform p) {
            return new Image(p, layers, entrypoint, cmd, env, workingDir, user, exposedPorts);
        }

        /** This image with {@code more} layers on top. */
        public Image withLayers(Layer... more) {
            List<Layer> all = new ArrayList<>(layers);
            all.addAll(Arrays.asList(more));
            return new Image(platform, all, entrypoint, cmd, env, workingDir, user, exposedPorts);
        }

        public Image withEntrypoint(String... e) {
            return new Image(platform, layers, List.of(e), cmd, env, workingDir, user, exposedPorts);
        }

        public Image withCmd(String... c) {
            return new Image(platform, layers, entrypoint, List.of(c), env, workingDir, user, exposedPorts);
        }

        public Image withEnv(String... e) {
            return new Image(platform, layers, entrypoint, cmd, List.of(e), workingDir, user, exposedPorts);
        }

        public Image withWorkingDir(String w) {
            return new Image(platform, layers, entrypoint, cmd, env, w, user, exposedPorts);
        }

        public Image withUser(String u) {
            return new Image(platform, layers, entrypoint, cmd, env, workingDir, u, exposedPorts);
        }

        /** @param ports e.g. {@code 8080/tcp} */
        public Image withExposedPorts(String... ports) {
            return new Image(platform, layers, entrypoint, cmd, env, workingDir, user, new LinkedHashSet<>(List.of(ports)));
        }
    }

    /**
     * One image as written into a layout.
     *
     * @param manifest descriptor of the image manifest (its digest is what a registry reports after a push)
     * @param config   descriptor of the config blob
     * @param layers   descriptors of the gzip layer blobs, base first
     * @param diffIds  sha256 of each uncompressed layer tar
     */
    public record BuiltImage(Platform platform, Descriptor manifest, Descriptor config, List<Descriptor> layers,
            List<String> diffIds, byte[] manifestJson, byte[] configJson) {
    }

    /**
     * A written layout.
     *
     * @param layout the OCI layout directory ({@code oci:LAYOUT:TAG} for skopeo)
     * @param tag    the tag the top descriptor carries in {@code index.json}
     * @param top    the tagged descriptor: an image manifest, or an index for multi-platform images
     * @param images the images, in the order given
     */
    public record Built(Path layout, String tag, Descriptor top, List<BuiltImage> images) {

        /** The single image, for a layout built by {@link #writeLayout}. */
        public BuiltImage image() {
            return images.getFirst();
        }
    }

    /** Writes {@code image} as an OCI layout in {@code dir} (created; one tag per layout) tagged {@code tag}. */
    public static Built writeLayout(Path dir, String tag, Image image) throws IOException {
        BuiltImage built = writeImage(dir, image);
        writeTop(dir, tag, built.manifest());
        return new Built(dir, tag, built.manifest(), List.of(built));
    }

    /** Writes a multi-platform image: each image plus an OCI index over them, tagged {@code tag}. */
    public static Built writeIndexLayout(Path dir, String tag, List<Image> images) throws IOException {
        List<BuiltImage> built = new ArrayList<>();
        ArrayNode manifests = Json.MAPPER.createArrayNode();
        for (Image image : images) {
            BuiltImage b = writeImage(dir, image);
            built.add(b);
            ObjectNode entry = descriptorJson(b.manifest());
            ObjectNode platform = entry.putObject("platform");
            platform.put("architecture", image.platform().architecture());
            platform.put("os", image.platform().os());
            if (image.platform().variant() != null) platform.put("variant", image.platform().variant());
            manifests.add(entry);
        }
        ObjectNode index = Json.MAPPER.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.set("manifests", manifests);
        Descriptor top = writeBlob(dir, MediaTypes.OCI_INDEX, Json.MAPPER.writeValueAsBytes(index));
        writeTop(dir, tag, top);
        return new Built(dir, tag, top, built);
    }

    private static BuiltImage writeImage(Path dir, Image image) throws IOException {
        List<Descriptor> layers = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (Layer layer : image.layers()) {
            byte[] tar = layer.tar();
            diffIds.add(Digests.of(tar));
            layers.add(writeBlob(dir, LAYER_GZIP, gzip(tar)));
        }
        byte[] configJson = Json.MAPPER.writeValueAsBytes(configJson(image, diffIds));
        Descriptor config = writeBlob(dir, CONFIG, configJson);
        ObjectNode manifest = Json.MAPPER.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.set("config", descriptorJson(config));
        ArrayNode layerArray = manifest.putArray("layers");
        layers.forEach(l -> layerArray.add(descriptorJson(l)));
        byte[] manifestJson = Json.MAPPER.writeValueAsBytes(manifest);
        Descriptor m = writeBlob(dir, MediaTypes.OCI_MANIFEST, manifestJson);
        Descriptor withPlatform = new Descriptor(m.mediaType(), m.digest(), m.size(), image.platform());
        return new BuiltImage(image.platform(), withPlatform, config, layers, diffIds, manifestJson, configJson);
    }

    private static ObjectNode configJson(Image image, List<String> diffIds) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("created", "2024-01-01T00:00:00Z");
        root.put("architecture", image.platform().architecture());
        root.put("os", image.platform().os());
        if (image.platform().variant() != null) root.put("variant", image.platform().variant());
        ObjectNode config = root.putObject("config");
        if (!image.entrypoint().isEmpty()) strings(config.putArray("Entrypoint"), image.entrypoint());
        if (!image.cmd().isEmpty()) strings(config.putArray("Cmd"), image.cmd());
        if (!image.env().isEmpty()) strings(config.putArray("Env"), image.env());
        if (image.workingDir() != null) config.put("WorkingDir", image.workingDir());
        if (image.user() != null) config.put("User", image.user());
        if (!image.exposedPorts().isEmpty()) {
            ObjectNode ports = config.putObject("ExposedPorts");
            image.exposedPorts().stream().sorted().forEach(p -> ports.putObject(p));
        }
        ObjectNode rootfs = root.putObject("rootfs");
        rootfs.put("type", "layers");
        strings(rootfs.putArray("diff_ids"), diffIds);
        return root;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static ObjectNode descriptorJson(Descriptor d) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("mediaType", d.mediaType());
        n.put("digest", d.digest());
        n.put("size", d.size());
        return n;
    }

    private static void writeTop(Path dir, String tag, Descriptor top) throws IOException {
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        ObjectNode index = Json.MAPPER.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        ObjectNode entry = descriptorJson(top);
        entry.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        index.putArray("manifests").add(entry);
        Files.write(dir.resolve("index.json"), Json.MAPPER.writeValueAsBytes(index));
    }

    /** Stores {@code content} under {@code blobs/sha256/} in the layout and describes it. */
    public static Descriptor writeBlob(Path dir, String mediaType, byte[] content) throws IOException {
        String digest = Digests.of(content);
        Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.write(blobs.resolve(digest.substring("sha256:".length())), content);
        return new Descriptor(mediaType, digest, content.length, null);
    }

    /** gzip of {@code bytes}. */
    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Pushes the layout's {@code tag} to {@code docker://HOST/REPOSITORY_AND_TAG} over plain http
     * with skopeo, keeping digests (an index is pushed with all its images).
     *
     * @param repositoryAndTag e.g. {@code acme/web:v1}
     * @param credentials      for a registry demanding them, or null
     */
    public static void push(Path layout, String tag, String host, String repositoryAndTag, Credentials credentials)
            throws IOException {
        RegistryPrerequisites.require();
        Path work = Files.createTempDirectory("berth-skopeo-");
        try {
            Path policy = work.resolve("policy.json");
            Files.writeString(policy, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/skopeo", "--policy", policy.toString(),
                    "--tmpdir", work.toString(), "copy", "--quiet", "--preserve-digests", "--multi-arch", "all",
                    "--dest-tls-verify=false"));
            if (credentials != null) {
                cmd.addAll(List.of("--dest-creds", credentials.username() + ":" + credentials.password()));
            } else {
                cmd.add("--dest-no-creds");
            }
            cmd.add("oci:" + layout.toAbsolutePath() + ":" + tag);
            cmd.add("docker://" + host + "/" + repositoryAndTag);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            // No stray auth files from the user running the tests.
            pb.environment().put("REGISTRY_AUTH_FILE", work.resolve("auth.json").toString());
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (TestRegistry.waitFor(p) != 0) {
                throw new IOException("skopeo copy to " + host + "/" + repositoryAndTag + " failed: " + output);
            }
        } finally {
            TestRegistry.deleteTree(work);
        }
    }

    /**
     * A one-layer image with the host's statically linked {@code /bin/busybox} (Debian
     * busybox-static) as {@code /bin/busybox}, symlinks {@code sh echo cat httpd ls sleep id} to it
     * in {@code /bin}, and directories {@code /tmp /etc /proc /sys /dev}; all owned by root, modes
     * as on the host. Entrypoint and command are unset; add them with the {@code with} methods.
     */
    public static Image busybox() throws IOException {
        return Image.of(busyboxLayer()).withEnv("PATH=/bin");
    }

    /** The layer of {@link #busybox()}. */
    public static Layer busyboxLayer() throws IOException {
        Path busybox = Path.of("/bin/busybox");
        if (!Files.isRegularFile(busybox)) {
            org.junit.jupiter.api.Assumptions.abort("no /bin/busybox on this host (apt-get install busybox-static)");
        }
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry.Dir("bin", hostMode(Path.of("/bin")), 0, 0));
        entries.add(Entry.file("bin/busybox", Files.readAllBytes(busybox), hostMode(busybox)));
        for (String applet : List.of("sh", "echo", "cat", "httpd", "ls", "sleep", "id")) {
            entries.add(Entry.symlink("bin/" + applet, "busybox"));
        }
        for (String d : List.of("tmp", "etc", "proc", "sys", "dev")) {
            entries.add(new Entry.Dir(d, hostMode(Path.of("/" + d)), 0, 0));
        }
        return new Layer(entries);
    }

    private static int hostMode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode") & 07777;
    }
}
