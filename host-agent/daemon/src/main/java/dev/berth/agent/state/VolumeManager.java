package dev.berth.agent.state;

import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.inspect.MountInfo;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * An app's persistent volumes: each an ext4 filesystem in an image file of exactly the requested
 * size, loop-mounted {@code nosuid,nodev,noexec} on the host and bind-mounted into containers.
 * The size is a hard cap because the filesystem cannot grow past its image. Volumes outlive
 * containers; only {@link #remove} deletes one.
 */
public final class VolumeManager {
    public static final long MIN_SIZE = 4L << 20;
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9_.-]{0,61}[a-z0-9])?");

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
        Path image = dir.resolve("volume.img");
        Path mnt = dir.resolve("mnt");
        if (!Files.exists(image)) {
            Files.createDirectories(mnt);
            Path staging = dir.resolve("volume.img.new");
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
        return Files.exists(volumesDir.resolve(app).resolve(name).resolve("volume.img"));
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
