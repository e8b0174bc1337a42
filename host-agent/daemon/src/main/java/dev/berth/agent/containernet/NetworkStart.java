package dev.berth.agent.containernet;

import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.protocol.ContainerSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One start of a networked container: runc on the calling thread, the network setup on a thread of
 * its own, the bundle's {@code createRuntime} hook as the gate between them (the container's
 * process runs only once the hook hears {@code ok}).
 *
 * <p>In the agent's own namespace (made before runc starts, which joins it by path) the setup
 * needs nothing from runc: it runs while runc does and answers as soon as it is done, usually
 * before runc reaches the hook, whose wait then ends at once. In a namespace runc makes (bundles of
 * older agents) the setup first waits for the hook to name the process.
 */
final class NetworkStart {
    private final ContainerNetwork network;
    private final String name;
    private final Path dir;
    private final ContainerSpec.Network spec;
    private final Runnable afterAdd;

    NetworkStart(ContainerNetwork network, String name, Path dir, ContainerSpec.Network spec, Runnable afterAdd) {
        this.network = network;
        this.name = name;
        this.dir = dir;
        this.spec = spec;
        this.afterAdd = afterAdd;
    }

    /** @param joined the app's id range where the bundle joins the agent's namespaces, null where runc makes them */
    <T> T run(IdRange joined, Runnable afterNamespace, ContainerNetwork.Start<T> start) throws IOException {
        try (var channel = HookChannel.open(dir)) {
            if (joined != null) {
                network.makeNamespace(name, dir, joined);
                afterNamespace.run();
            }
            var attaching = new CompletableFuture<Attached>();
            Thread.ofPlatform().name("network-" + name).daemon().start(() -> setUp(joined != null, channel, attaching));
            T started = null;
            Exception startFailure = null;
            try {
                started = start.run();
            } catch (IOException | RuntimeException e) {
                startFailure = e;
            } finally {
                channel.abandon(); // runc is past its hook or gone: a wait for the hook still under way ends
            }
            var setupFailure = await(attaching);
            if (setupFailure == null && startFailure == null) return started;
            if (setupFailure instanceof Error crash) throw crash;
            var failure = setupFailure == null ? startFailure
                    : new IOException("network setup of " + name + " failed: " + setupFailure.getMessage(), setupFailure);
            if (setupFailure != null && startFailure != null) failure.addSuppressed(startFailure);
            try {
                network.detach(name, dir);
            } catch (IOException | RuntimeException cleanup) {
                failure.addSuppressed(cleanup);
            }
            switch (failure) {
                case IOException e -> throw e;
                case RuntimeException e -> throw e;
                default -> throw new IOException(failure);
            }
        }
    }

    /** On the setup's thread: attaches, then answers the hook. A crash (an {@link Error}) answers nothing. */
    private void setUp(boolean joined, HookChannel channel, CompletableFuture<Attached> attaching) {
        try {
            var attached = joined ? network.attachJoined(name, dir, spec, afterAdd)
                    : network.attachToProcess(name, dir, spec, channel.awaitState(), afterAdd);
            channel.answer("ok");
            attaching.complete(attached);
        } catch (IOException | RuntimeException e) {
            try {
                channel.answer(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            } catch (IOException | RuntimeException unanswered) {
                e.addSuppressed(unanswered); // the hook times out instead
            }
            attaching.completeExceptionally(e);
        } catch (Throwable crash) {
            attaching.completeExceptionally(crash);
        }
    }

    /** What the setup failed with, null when it succeeded. */
    private Throwable await(CompletableFuture<Attached> attaching) throws IOException {
        try {
            attaching.get(ContainerNetwork.HOOK_TIMEOUT_SECONDS + 10, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return new IOException("it did not finish", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during the network setup of " + name);
        }
    }
}
