package dev.berth.agent.containernet;

import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.sys.NamespaceThread;
import dev.berth.agent.sys.SyscallPort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The namespaces the agent makes for a networked container before runc starts it, so that the
 * network is set up while runc works: a user namespace with the app's id mapping and a network
 * namespace it owns (as runc would have made them: the container's root keeps the same powers over
 * its network, so {@code runc exec} can enter it and sysfs can be mounted), which runc joins by
 * path. Each is pinned by a bind mount on {@code userns/NAME} and {@code netns/NAME} (directories
 * root's alone).
 *
 * <p>A process of a multithreaded program may not make a user namespace for itself, so a holder
 * process is started in both (in-process through {@link SyscallPort#holdNamespaces} on x86-64,
 * elsewhere util-linux's {@code unshare --user --net cat}); the agent writes its id maps, pins its
 * namespaces and ends it.
 */
final class NetworkNamespaces {
    private static final Path UNSHARE = Path.of("/usr/bin/unshare");
    private static final Path CAT = Path.of("/bin/cat");

    private final Path netns;
    private final Path userns;
    private final boolean inProcess;

    /** @param root the agent's network directory */
    NetworkNamespaces(Path root) {
        this(root, SyscallPort.canHoldNamespaces());
    }

    /** @param inProcess whether holders are started in-process (tests choose; see {@link #holder}) */
    NetworkNamespaces(Path root, boolean inProcess) {
        this.netns = root.resolve("netns");
        this.userns = root.resolve("userns");
        this.inProcess = inProcess;
    }

    /** Where the network namespace of container {@code name} is pinned. */
    Path path(String name) {
        return netns.resolve(name);
    }

    /** Where the user namespace that owns it is pinned. */
    Path userPath(String name) {
        return userns.resolve(name);
    }

    /** Makes both namespaces of {@code name} (whatever an earlier one left there is removed first); on failure nothing is left. */
    void create(String name, IdRange ids) throws IOException {
        remove(name);
        directories();
        try (var holder = holder()) {
            Path proc = Path.of("/proc", Long.toString(holder.pid()));
            byte[] map = ("0 " + ids.hostStart() + " " + ids.size() + "\n").getBytes(StandardCharsets.US_ASCII);
            Files.write(proc.resolve("uid_map"), map);
            Files.write(proc.resolve("gid_map"), map);
            pin(proc.resolve("ns/user"), userPath(name));
            pin(proc.resolve("ns/net"), path(name));
        } catch (IOException | RuntimeException e) {
            try {
                remove(name);
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new IOException("cannot make the namespaces of " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Gives {@code name} the namespaces {@code from} holds as {@code fromName} (a spare network's):
     * pinned here as well, then unpinned there, so they live on throughout. On failure {@code name}
     * has none and {@code from} still holds them.
     */
    void adopt(NetworkNamespaces from, String fromName, String name) throws IOException {
        remove(name);
        directories();
        try {
            pin(from.userPath(fromName), userPath(name));
            pin(from.path(fromName), path(name));
        } catch (IOException | RuntimeException e) {
            try {
                remove(name);
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        from.remove(fromName);
    }

    /** A process in a new user namespace and a network namespace it owns, until closed. */
    private interface Holder extends AutoCloseable {
        long pid();

        @Override
        void close() throws IOException;
    }

    /** Started in-process where {@link SyscallPort#canHoldNamespaces} says so, else through util-linux's unshare. */
    private Holder holder() throws IOException {
        if (inProcess) {
            var held = SyscallPort.holdNamespaces(SyscallPort.CLONE_NEWUSER | SyscallPort.CLONE_NEWNET);
            return new Holder() {
                @Override
                public long pid() {
                    return held.pid();
                }

                @Override
                public void close() {
                    held.close();
                }
            };
        }
        Process unshare = new ProcessBuilder(UNSHARE.toString(), "--user", "--net", "--", CAT.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        var holder = new Holder() {
            @Override
            public long pid() {
                return unshare.pid();
            }

            @Override
            public void close() throws IOException {
                unshare.destroyForcibly(); // the JDK reaps it
                unshare.getOutputStream().close();
                unshare.getInputStream().close();
            }
        };
        try {
            // cat echoes the line only once unshare has made the namespaces and handed over to it.
            unshare.getOutputStream().write('\n');
            unshare.getOutputStream().flush();
            if (unshare.getInputStream().read() != '\n') throw new IOException("unshare ended before it made the namespaces");
            return holder;
        } catch (IOException e) {
            holder.close();
            throw e;
        }
    }

    private static void pin(Path namespace, Path file) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        SyscallPort.bindMount(namespace, file);
    }

    /** Brings loopback up in {@code name}'s network namespace (runc does so only in namespaces it makes). */
    void loopbackUp(String name) throws IOException {
        NamespaceThread.call(path(name), "netns-lo", () -> {
            SyscallPort.interfaceUp("lo");
            return null;
        });
    }

    /** Unmounts and deletes what {@code name}'s namespaces left; nothing happens where nothing is. Safe to repeat. */
    void remove(String name) throws IOException {
        for (Path p : new Path[] {path(name), userPath(name)}) {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) continue;
            try {
                SyscallPort.unmountDetached(p);
            } catch (SyscallPort.ErrnoException e) {
                if (e.errno() != SyscallPort.EINVAL) throw e; // EINVAL: not mounted (a crash came before the mount)
            }
            Files.delete(p);
        }
    }

    /** Whether {@code name}'s network namespace is pinned (a crash may have left the file without its mount). */
    boolean pinned(String name) throws IOException {
        Path file = path(name);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return false;
        return !Files.getAttribute(file, "unix:dev").equals(Files.getAttribute(netns, "unix:dev"));
    }

    /** The containers with anything of their namespaces here, for repair. */
    Set<String> names() throws IOException {
        var out = new TreeSet<String>();
        for (Path dir : new Path[] {netns, userns}) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(f -> out.add(f.getFileName().toString()));
            }
        }
        return out;
    }

    private void directories() throws IOException {
        for (Path dir : new Path[] {netns, userns}) {
            if (Files.isDirectory(dir)) continue;
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(dir.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
        }
    }
}
