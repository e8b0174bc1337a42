package dev.berth.agent.net;

import dev.berth.agent.sys.SyscallPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens TCP connections to a port on the loopback of a container's network namespace. A socket
 * belongs to the namespace of the thread that creates it, so one dedicated platform thread enters
 * the namespace once and creates every backend socket; the connected sockets are then used from
 * any thread.
 */
public final class NamespaceDialer implements AutoCloseable {
    private static final long CONNECT_TIMEOUT_SECONDS = 5;
    private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");

    private final ExecutorService thread;
    private final Future<?> entered;

    /** @param netns the container's network namespace, {@code /proc/PID/ns/net} */
    public NamespaceDialer(Path netns, String name) {
        this.thread = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("netns-" + name).daemon().unstarted(r));
        this.entered = thread.submit(() -> {
            SyscallPort.enterNamespace(netns, SyscallPort.CLONE_NEWNET);
            return null;
        });
    }

    /** A connection to {@code 127.0.0.1:port} inside the namespace. */
    public SocketChannel dial(int port) throws IOException {
        return dial(port, Duration.ofSeconds(CONNECT_TIMEOUT_SECONDS));
    }

    /** A connection to {@code 127.0.0.1:port} inside the namespace, given up after {@code timeout}. */
    public SocketChannel dial(int port, Duration timeout) throws IOException {
        return dial(LOOPBACK, port, timeout);
    }

    /** A connection to {@code address:port} from inside the namespace (such as the container's own address), given up after {@code timeout}. */
    public SocketChannel dial(InetAddress address, int port, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            entered.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            var connecting = thread.submit(() -> SocketChannel.open(new InetSocketAddress(address, port)));
            try {
                return connecting.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException late) {
                connecting.cancel(true);
                throw late;
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("connecting to port " + port + " in the container timed out after " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting into the container");
        } catch (RejectedExecutionException | CancellationException e) {
            throw new IOException("the dialer into the container was closed (it ran again, or left traffic)");
        }
    }

    @Override
    public void close() {
        // The thread lives in the container's namespace: end it rather than reuse it.
        thread.shutdownNow();
    }
}
