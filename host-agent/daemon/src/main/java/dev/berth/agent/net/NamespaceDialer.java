package dev.berth.agent.net;

import dev.berth.agent.sys.SyscallPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens TCP connections to a port on the loopback of a container's network namespace. A socket
 * belongs to the namespace of the thread that creates it, and only its creation needs to be there:
 * one platform thread shared by every dialer of the agent enters the namespace, creates the
 * socket and returns to the agent's own namespace; the caller connects it and uses it from any
 * thread. The namespace is held by a descriptor opened with the dialer, so a dial never enters
 * whatever namespace the path names later (a process that reused the pid), and no thread is kept
 * per container (an agent with hundreds of containers would keep hundreds of idle threads).
 */
public final class NamespaceDialer implements AutoCloseable {
    private static final long CONNECT_TIMEOUT_SECONDS = 5;
    private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");
    private static final SocketMaker MAKER = new SocketMaker();

    private final Path netns;
    /** The container's namespace, -1 once closed; read and closed only on the socket maker's thread. */
    private volatile int fd;
    private final IOException unopened;

    /**
     * @param netns the container's network namespace, {@code /proc/PID/ns/net}
     * @param name  the container, for errors
     */
    public NamespaceDialer(Path netns, String name) {
        this.netns = netns;
        int opened = -1;
        IOException failure = null;
        try {
            opened = SyscallPort.openNamespace(netns);
        } catch (IOException e) {
            failure = new IOException("cannot reach into container " + name + ": " + e.getMessage(), e);
        }
        this.fd = opened;
        this.unopened = failure;
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
        if (unopened != null) throw unopened;
        long deadline = System.nanoTime() + timeout.toNanos();
        SocketChannel channel = MAKER.socketIn(this, timeout);
        try {
            // Zero would mean no timeout at all.
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            channel.socket().connect(new InetSocketAddress(address, port), (int) Math.min(Integer.MAX_VALUE, left));
            return channel;
        } catch (SocketTimeoutException late) {
            channel.close();
            throw new IOException("connecting to port " + port + " in the container timed out after " + timeout.toMillis() + " ms");
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Lets go of the namespace; dials from now on fail. */
    @Override
    public void close() {
        MAKER.release(this);
    }

    /**
     * The one thread that enters containers' namespaces to create sockets. After each socket it
     * returns to the agent's namespace; should that ever fail, the thread ends (a new one starts
     * in the agent's namespace), so no other work finds itself inside a container.
     */
    private static final class SocketMaker {
        private final int home;
        private final IOException homeless;
        private final ExecutorService thread;

        SocketMaker() {
            int fd = -1;
            IOException failure = null;
            try {
                // The process's first thread never leaves the agent's namespace.
                fd = SyscallPort.openNamespace(Path.of("/proc/self/ns/net"));
            } catch (IOException e) {
                failure = e;
            }
            this.home = fd;
            this.homeless = failure;
            this.thread = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("netns-dialer").daemon().unstarted(() -> {
                goHome();
                r.run();
            }));
        }

        SocketChannel socketIn(NamespaceDialer dialer, Duration timeout) throws IOException {
            if (homeless != null) throw new IOException("cannot dial into containers: " + homeless.getMessage(), homeless);
            var made = new CompletableFuture<SocketChannel>();
            try {
                thread.execute(() -> make(dialer, made));
            } catch (RejectedExecutionException e) {
                throw new IOException("the agent is closing");
            }
            try {
                return made.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } catch (TimeoutException e) {
                made.thenAccept(SocketMaker::closeQuietly);
                throw new IOException("connecting into " + dialer.netns + " timed out after " + timeout.toMillis() + " ms");
            } catch (InterruptedException e) {
                made.thenAccept(SocketMaker::closeQuietly);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while connecting into the container");
            }
        }

        private void make(NamespaceDialer dialer, CompletableFuture<SocketChannel> made) {
            int fd = dialer.fd;
            if (fd < 0) {
                made.completeExceptionally(new IOException("the dialer into the container was closed (it ran again, or left traffic)"));
                return;
            }
            try {
                SyscallPort.enterNamespace(fd, dialer.netns.toString(), SyscallPort.CLONE_NEWNET);
            } catch (IOException e) {
                made.completeExceptionally(e); // still at home: setns changed nothing
                return;
            }
            try {
                made.complete(SocketChannel.open());
            } catch (IOException | RuntimeException e) {
                made.completeExceptionally(e);
            } finally {
                goHome();
            }
        }

        /** Closes the dialer's descriptor here, so no socket is being made with it at that moment. */
        void release(NamespaceDialer dialer) {
            Runnable close = () -> {
                int fd = dialer.fd;
                dialer.fd = -1;
                if (fd >= 0) SyscallPort.close(fd);
            };
            try {
                thread.execute(close);
            } catch (RejectedExecutionException closing) {
                close.run();
            }
        }

        private void goHome() {
            try {
                SyscallPort.enterNamespace(home, "the agent's own network namespace", SyscallPort.CLONE_NEWNET);
            } catch (IOException e) {
                // Ends this thread; the executor starts another, which goes home first.
                throw new IllegalStateException("the socket maker cannot return to the agent's network namespace", e);
            }
        }

        private static void closeQuietly(SocketChannel channel) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nobody uses it
            }
        }
    }
}
