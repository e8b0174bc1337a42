package dev.berth.agent.state;

import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.inspect.MountInfo;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * An app's persistent volumes: each an ext4 filesystem in an image file of exactly the requested
 * size, loop-mounted {@code nosuid,nodev,noexec} on the host and bind-mounted into containers.
 * The size is a hard cap because the filesystem cannot grow past its image. Volumes outlive
 * containers; only {@link #remove} deletes one.
 *
 * <p>{@code volumes/APP/NAME/image/volume.img} holds an app's data, so the image and its
 * directory are root's alone (0600, 0700). The directories above the mount point stay passable
 * (0711, not listable): runc bind-mounts {@code mnt} as the container's user-namespaced root.
 */
public final class VolumeManager {
    public static final long MIN_SIZE = 4L << 20;
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9_.-]{0,61}[a-z0-9])?");
    private static final Set<PosixFilePermission> PASSABLE = PosixFilePermissions.fromString("rwx--x--x");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path volumesDir;
    private final Path mountinfo;

    public VolumeManager(Path stateDir) {
        this(stateDir, Path.of("/proc/self/mountinfo"));
    }

    VolumeManager(Path stateDir, Path mountinfo) {
        this.volumesDir = stateDir.resolve("volumes");
        this.mountinfo = mountinfo;
    }

    /** Creates the volume on first use and makes sure it is mounted; returns the host mount point. */
    public synchronized Path prepare(String app, String name, long sizeBytes, IdRange owner) throws IOException {
        check(app, "app");
        check(name, "volume");
        if (sizeBytes < MIN_SIZE) {
            throw new IOException("volume '" + name + "' of " + sizeBytes + " bytes is too small: at least 4Mi is needed");
        }
        Path dir = volumesDir.resolve(app).resolve(name);
        Path image = image(app, name);
        Path mnt = dir.resolve("mnt");
        for (Path d : List.of(volumesDir, volumesDir.resolve(app), dir)) passable(d);
        // Never chmod mnt itself: mounted, that is the volume's own root, the container's to set.
        if (!Files.isDirectory(mnt, LinkOption.NOFOLLOW_LINKS)) Files.createDirectory(mnt, PosixFilePermissions.asFileAttribute(PASSABLE));
        ownerOnly(image.getParent(), OWNER_ONLY_DIR);
        Path unsorted = dir.resolve("volume.img");
        // An agent before this one kept the image beside the mount point; a rename keeps a mounted loop device working.
        if (Files.exists(unsorted, LinkOption.NOFOLLOW_LINKS) && !Files.exists(image)) Files.move(unsorted, image);
        if (!Files.exists(image)) {
            Path staging = image.resolveSibling("volume.img.new");
            Files.deleteIfExists(staging);
            Files.createFile(staging, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
            try (var f = new RandomAccessFile(staging.toFile(), "rw")) {
                f.setLength(sizeBytes);
            }
            try {
                // The filesystem's root belongs to container root (the first id of the app's range).
                run(List.of("mkfs.ext4", "-q", "-F", "-m", "0", "-E",
                        "root_owner=" + owner.hostStart() + ":" + owner.hostStart(), staging.toString()));
                Files.move(staging, image);
            } finally {
                Files.deleteIfExists(staging);
            }
        } else if (Files.size(image) != sizeBytes) {
            throw new IOException("volume '" + name + "' of app '" + app + "' exists with " + Files.size(image)
                    + " bytes, not " + sizeBytes + ": resizing is not supported; remove it first to start empty");
        }
        ownerOnly(image, OWNER_ONLY_FILE);
        if (!mounted(mnt)) {
            run(List.of("mount", "-t", "ext4", "-o", "loop,nosuid,nodev,noexec", image.toString(), mnt.toString()));
        }
        return mnt;
    }

    /** Unmounts and deletes a volume and everything in it. */
    public synchronized void remove(String app, String name) throws IOException {
        check(app, "app");
        check(name, "volume");
        Path dir = volumesDir.resolve(app).resolve(name);
        if (!Files.exists(dir)) throw new IOException("no volume '" + name + "' for app '" + app + "'");
        Path mnt = dir.resolve("mnt");
        if (mounted(mnt)) run(List.of("umount", mnt.toString()));
        RootfsShifter.deleteTree(dir);
    }

    public boolean exists(String app, String name) {
        return Files.exists(image(app, name)) || Files.exists(volumesDir.resolve(app).resolve(name).resolve("volume.img"));
    }

    /** Where a volume's filesystem image is kept. */
    public Path image(String app, String name) {
        return volumesDir.resolve(app).resolve(name).resolve("image").resolve("volume.img");
    }

    /** Creates a directory others may pass through but not list, or makes an existing one so. */
    private static void passable(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PASSABLE);
    }

    /** Creates the directory or keeps the file root's alone; an existing one left readable by an older agent is made so. */
    private static void ownerOnly(Path path, Set<PosixFilePermission> mode) throws IOException {
        if (mode == OWNER_ONLY_DIR && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(path, PosixFilePermissions.asFileAttribute(mode));
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) Files.setPosixFilePermissions(path, mode);
    }

    private boolean mounted(Path mnt) throws IOException {
        return MountInfo.parse(Files.readString(mountinfo)).at(mnt.toAbsolutePath().toString()).isPresent();
    }

    private static void check(String value, String what) throws IOException {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IOException(what + " name '" + value + "' must be 1-63 lowercase letters, digits, '.', '_' or '-'");
        }
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.getFirst() + " did not finish within 120s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during " + command.getFirst());
        }
        if (p.exitValue() != 0) throw new IOException(String.join(" ", command) + " failed: " + out.strip());
    }
}
