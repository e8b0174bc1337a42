package dev.berth.agent.containernet;

import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.cni.CniNetwork;
import dev.berth.agent.cni.CniPlugins;
import dev.berth.agent.cni.CniResult;
import dev.berth.atomicfile.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * One spare network per app that has a networked container here: the app's user namespace (its id
 * mapping) and a network namespace it owns, loopback up and CNI ADD done, so that the app's next
 * start only pins them under its own name and adds its rules. A spare has no rules, so the host's
 * table drops whatever comes from its interface; nothing runs in it and its pins ({@code
 * STATE/network/spare/netns/ID}, {@code userns/ID}) are root's alone. Its CNI id, {@code Spare-}
 * and hex, cannot be a container's (their names are lowercase).
 *
 * <p>Spares are made one at a time on a thread of their own, never on a start's path. Each is
 * recorded ({@code spare/records/ID.json}) before its namespaces and again after ADD, so the next
 * agent's repair removes what a dead one left.
 */
final class SpareNetworks implements AutoCloseable {
    static final String PREFIX = "Spare-";
    private static final System.Logger log = System.getLogger(SpareNetworks.class.getName());
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A spare as its record keeps it: {@code attached} names its id, its pin and (once added) its interface. */
    record Spare(String app, IdRange ids, Attached attached) {
        String id() {
            return attached.cniId();
        }
    }

    private final Path dir;
    private final Path records;
    private final NetworkNamespaces namespaces;
    private final CniPlugins cni;
    private final CniNetwork conflist;
    private final Map<String, Spare> ready = new HashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("network-spares").daemon().factory());
    /** Runs right after a spare's CNI ADD; tests make it throw an {@link Error} to act out the agent dying there. */
    volatile Runnable afterAdd = () -> { };

    /** @param root the agent's network directory */
    SpareNetworks(Path root, CniPlugins cni, CniNetwork conflist) {
        this.dir = root.resolve("spare");
        this.records = dir.resolve("records");
        this.namespaces = new NetworkNamespaces(dir);
        this.cni = cni;
        this.conflist = conflist;
    }

    NetworkNamespaces namespaces() {
        return namespaces;
    }

    /** Makes a spare for {@code app} on the spares' thread, unless it has one or {@code wanted} says no by then. */
    void replenishLater(String app, IdRange ids, BooleanSupplier wanted) {
        try {
            worker.execute(() -> {
                if (!wanted.getAsBoolean() || ready(app).isPresent()) return;
                try {
                    make(app, ids);
                } catch (IOException | RuntimeException e) {
                    log.log(System.Logger.Level.WARNING, "could not make a spare network for " + app + ": " + e.getMessage());
                }
            });
        } catch (RejectedExecutionException closed) {
            // the agent closes
        }
    }

    /** The spare of {@code app} ready to be taken, if any. */
    synchronized Optional<Spare> ready(String app) {
        return Optional.ofNullable(ready.get(app));
    }

    /** Takes {@code app}'s spare, if one is ready and has the mapping {@code ids}; its record stays until {@link #taken}. */
    synchronized Optional<Spare> take(String app, IdRange ids) {
        var spare = ready.get(app);
        if (spare == null || !spare.ids().equals(ids)) return Optional.empty();
        ready.remove(app);
        return Optional.of(spare);
    }

    /** The taker has pinned the spare's namespaces and recorded its id: the spare's own record goes. */
    void taken(Spare spare) throws IOException {
        Files.deleteIfExists(record(spare.id()));
    }

    /** Removes {@code app}'s spare, once a spare being made has been made. */
    void remove(String app) throws IOException {
        try {
            worker.submit(() -> {
                Spare spare;
                synchronized (this) {
                    spare = ready.remove(app);
                }
                if (spare != null) discard(spare);
                return null;
            }).get(2, TimeUnit.MINUTES);
        } catch (RejectedExecutionException closed) {
            Spare spare;
            synchronized (this) {
                spare = ready.remove(app);
            }
            if (spare != null) discard(spare);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("the spare network of " + app + " was not removed in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while removing the spare network of " + app);
        }
    }

    private void make(String app, IdRange ids) throws IOException {
        String id = PREFIX + HexFormat.of().formatHex(RANDOM.generateSeed(6));
        String pin = namespaces.path(id).toString();
        var spare = new Spare(app, ids, Attached.joining(pin).as(id, pin));
        write(spare); // recorded first: an agent dying from here on leaves enough for the next to undo it
        try {
            namespaces.create(id, ids);
            namespaces.loopbackUp(id);
            spare = new Spare(app, ids, spare.attached().with(cni.add(conflist,
                    new CniPlugins.Attachment(id, namespaces.path(id), ContainerNetwork.INTERFACE))));
            write(spare);
            afterAdd.run();
            if (spare.attached().hostInterface() == null) throw new IOException("CNI ADD named no host interface for " + id);
        } catch (IOException | RuntimeException e) {
            try {
                discard(spare);
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        synchronized (this) {
            ready.put(app, spare);
        }
    }

    /** CNI DEL with its id, its namespaces and record removed; safe to repeat. */
    private void discard(Spare spare) throws IOException {
        String id = spare.id();
        Map<String, Object> json = spare.attached().cni();
        Path netns = namespaces.pinned(id) ? namespaces.path(id) : dir.resolve("no-namespace");
        cni.del(conflist, new CniPlugins.Attachment(id, netns, ContainerNetwork.INTERFACE), json == null ? null : new CniResult(json, java.util.List.of()));
        namespaces.remove(id);
        Files.deleteIfExists(record(id));
    }

    /**
     * For a starting agent: removes every spare a previous one left, but for the CNI ids in {@code
     * taken} (containers kept running took them: only the spare's pins and record go).
     */
    void repair(Set<String> taken) throws IOException {
        if (Files.isDirectory(records)) {
            try (Stream<Path> files = Files.list(records)) {
                for (Path f : files.toList()) {
                    try {
                        var spare = JSON.readValue(Files.readString(f), Spare.class);
                        if (taken.contains(spare.id())) {
                            namespaces.remove(spare.id());
                            Files.delete(f);
                        } else {
                            discard(spare);
                        }
                    } catch (IOException | RuntimeException e) {
                        log.log(System.Logger.Level.WARNING, "could not remove the spare network of " + f + ": " + e.getMessage());
                    }
                }
            }
        }
        for (String id : namespaces.names()) namespaces.remove(id); // pins without a record: none was ever added
    }

    /** Waits for a spare being made; spares stay for the next agent's repair. */
    @Override
    public void close() {
        worker.shutdown();
        try {
            worker.awaitTermination(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path record(String id) {
        return records.resolve(id + ".json");
    }

    private void write(Spare spare) throws IOException {
        if (!Files.isDirectory(records)) {
            Files.createDirectories(records);
            Files.setPosixFilePermissions(records, PosixFilePermissions.fromString("rwx------"));
        }
        AtomicFile.at(record(spare.id())).withMode("rw-------").unsynced().write(JSON.writeValueAsBytes(spare));
    }
}
