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
 * One start of a networked container: the network setup on a thread of its own, runc on the
 * caller's, the bundle's {@code createRuntime} hook as the gate between them (the container's
 * process runs only once the hook hears {@code ok}).
 *
 * <p>In the agent's own namespace the setup needs nothing from runc, so it {@linkplain #begin
 * begins} as soon as the container's directory exists, on its thread: first what runc needs
 * before it starts (the resolv.conf it mounts, the namespaces it joins), then CNI ADD and the
 * rules, while the agent still writes and syncs the bundle and then runs runc. It answers as soon
 * as it is done: usually before runc reaches the hook, whose wait then ends at once. In a namespace runc makes (bundles of older agents) the setup first waits for the
 * hook to name the process. Either way {@link #finish} runs runc and returns once both are done;
 * {@link #cancel} undoes a begun setup whose start never comes.
 */
public final class NetworkStart {
    private final ContainerNetwork network;
    private final String name;
    private final String app;
    private final Path dir;
    private final HookChannel channel;
    /** Done once runc may start: resolv.conf written, the namespaces made. */
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<Attached> attaching = new CompletableFuture<>();

    private NetworkStart(ContainerNetwork network, String name, String app, Path dir, HookChannel channel) {
        this.network = network;
        this.name = name;
        this.app = app;
        this.dir = dir;
        this.channel = channel;
    }

    /**
     * Opens the hook's channel and starts the setup's thread, which writes the resolv.conf, makes
     * the namespaces where the bundle joins them ({@code joined}, the app's id range; null where
     * runc makes them) or takes {@code app}'s spare network, then attaches. {@code afterNamespace} runs on that thread once the
     * namespaces exist; an {@link Error} from it or {@code afterAdd} reaches {@link #finish}.
     */
    static NetworkStart begin(ContainerNetwork network, String name, String app, Path dir, ContainerSpec.Network spec,
                              IdRange joined, Runnable afterNamespace, Runnable afterAdd) throws IOException {
        var started = new NetworkStart(network, name, app, dir, HookChannel.open(dir));
        Thread.ofPlatform().name("network-" + name).daemon().start(() -> started.work(spec, joined, afterNamespace, afterAdd));
        return started;
    }

    /** Runs {@code start} (runc) beside the setup; returns what it returned once both are done, else fails leaving no network. */
    public <T> T finish(ContainerNetwork.Start<T> start) throws IOException {
        try (channel) {
            var notReady = await(ready);
            if (notReady != null) {
                if (notReady instanceof Error crash) throw crash;
                var failure = new IOException("the network of " + name + " could not be prepared: " + notReady.getMessage(), notReady);
                detachInto(failure);
                throw failure;
            }
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
            detachInto(failure);
            switch (failure) {
                case IOException e -> throw e;
                case RuntimeException e -> throw e;
                default -> throw new IOException(failure);
            }
        }
    }

    /**
     * The start will not come ({@code why}: the bundle could not be written): waits for the setup
     * and takes the container off the network again. What goes wrong doing so is added to {@code why}.
     */
    public void cancel(Exception why) throws IOException {
        try (channel) {
            channel.abandon();
            var setupFailure = await(attaching);
            if (setupFailure instanceof Error crash) throw crash;
            detachInto(why);
        }
    }

    private void detachInto(Exception failure) {
        try {
            network.detach(name, dir);
        } catch (IOException | RuntimeException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }

    /** The setup's thread: what runc needs first, then the attachment. */
    private void work(ContainerSpec.Network spec, IdRange joined, Runnable afterNamespace, Runnable afterAdd) {
        Attached taken = null;
        try {
            network.writeResolvConf(name, spec);
            if (joined != null) {
                taken = network.takeSpare(app, joined, name, dir);
                if (taken == null) network.makeNamespace(name, dir, joined);
                afterNamespace.run();
            }
            ready.complete(null);
        } catch (Throwable e) {
            // runc never starts: nothing waits for an answer.
            ready.completeExceptionally(e);
            attaching.completeExceptionally(e);
            return;
        }
        setUp(joined != null, taken, spec, afterAdd);
    }

    /** Attaches (in the spare {@code taken}, if not null), then answers the hook. A crash (an {@link Error}) answers nothing. */
    private void setUp(boolean joined, Attached taken, ContainerSpec.Network spec, Runnable afterAdd) {
        try {
            var attached = taken != null ? network.attachTaken(name, taken, spec, afterAdd)
                    : joined ? network.attachJoined(name, dir, spec, afterAdd)
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

    /** What {@code step} of the setup failed with, null when it succeeded. */
    private Throwable await(CompletableFuture<?> step) throws IOException {
        try {
            step.get(ContainerNetwork.HOOK_TIMEOUT_SECONDS + 10, TimeUnit.SECONDS);
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
