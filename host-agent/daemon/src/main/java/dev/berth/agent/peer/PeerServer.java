package dev.berth.agent.peer;

import dev.berth.agent.net.Relay;
import dev.berth.agent.protocol.ConnectGrant;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocket;

/**
 * The agent's peer listener ({@code --peer-listen host:port}): other agents connect here with
 * mutual TLS 1.3 to reach this host's replicas for their apps' {@code connects}. A client must
 * present a certificate from the platform CA (the host it names is the consumer host); its first
 * line names a replica, a port and a consumer app ({@link PeerRequest}); the replica must be one
 * this host serves now and a current {@link ConnectGrant} must allow that host and app, and say
 * which number the port has in that replica. Then the listener opens a connection to the replica
 * (inside its network namespace), answers {@code OK} and relays bytes both ways (half-closes
 * included) between the TLS stream and it; otherwise it answers {@code REFUSED reason} and closes.
 */
public final class PeerServer implements AutoCloseable {
    /** How long a peer has for the handshake and its request line, and to reach the replica. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    static final int MAX_CONNECTIONS = 1024;

    /**
     * This host's replicas as the listener sees them; the agent answers from its running containers.
     * Called once per admitted request, on the connection's own thread; must be thread-safe and fast.
     */
    public interface Replicas {
        /**
         * {@code container} if it is a replica this host runs and it takes traffic now (admitted,
         * running, healthy if checked, not stopping); empty otherwise.
         */
        Optional<Replica> find(String container);
    }

    /** Opens a connection to a port of one replica; it checks again that the replica serves. */
    public interface Dialer {
        SocketChannel dial(int port) throws IOException;
    }

    /**
     * A replica this host serves.
     *
     * @param app the replica's app (team-qualified), the one grants name
     * @param dialer reaches its ports, inside its network namespace
     */
    public record Replica(String app, Dialer dialer) {
        public Replica {
            Objects.requireNonNull(app, "app");
            Objects.requireNonNull(dialer, "dialer");
        }
    }

    private final ServerSocket listener;
    private final PeerCredentials credentials;
    private final Supplier<List<ConnectGrant>> grants;
    private final Replicas replicas;
    private final Duration requestTimeout;
    private final PrintStream log;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private final Relay relay = Relay.splicing();
    private volatile boolean closed;

    private PeerServer(ServerSocket listener, PeerCredentials credentials, Supplier<List<ConnectGrant>> grants, Replicas replicas,
                       Duration requestTimeout, PrintStream log) {
        this.listener = listener;
        this.credentials = credentials;
        this.grants = grants;
        this.replicas = replicas;
        this.requestTimeout = requestTimeout;
        this.log = log;
        this.acceptor = Thread.ofPlatform().name("peer-listener").daemon().unstarted(this::accept);
    }

    /**
     * Listens on {@code address} (port 0 picks one) and serves until closed.
     *
     * @param grants the current assignment's grants, read on every request
     */
    public static PeerServer start(InetSocketAddress address, PeerCredentials credentials, Supplier<List<ConnectGrant>> grants,
                                   Replicas replicas, Duration requestTimeout, PrintStream log) throws IOException {
        var listener = new ServerSocket();
        try {
            listener.bind(address);
        } catch (IOException e) {
            listener.close();
            throw new IOException("cannot listen for peers on " + address + ": " + e.getMessage(), e);
        }
        var server = new PeerServer(listener, credentials, grants, replicas, requestTimeout, log);
        server.acceptor.start();
        return server;
    }

    /**
     * The address {@code --peer-listen} names: {@code host:port} or {@code [v6]:port}, port 1-65535.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static InetSocketAddress listenAddress(String value) {
        try {
            var named = PeerClient.address(value);
            var address = new InetSocketAddress(named.getHostString(), named.getPort());
            if (address.isUnresolved()) throw new IllegalArgumentException("'" + named.getHostString() + "' does not resolve");
            return address;
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closed) log.println("berth-agent: the peer listener stopped: " + e.getMessage());
                return;
            }
            if (!slots.tryAcquire()) {
                PeerCredentials.closeQuietly(socket);
                continue;
            }
            Thread.ofVirtual().name("peer-" + socket.getRemoteSocketAddress()).start(() -> {
                try {
                    serve(socket);
                } finally {
                    slots.release();
                }
            });
        }
    }

    private void serve(Socket plain) {
        open.add(plain);
        // However slowly a peer sends, its handshake and request are over within twice the timeout.
        var watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(requestTimeout.multipliedBy(2));
                PeerCredentials.closeQuietly(plain);
            } catch (InterruptedException admitted) {
                // the request was answered in time
            }
        });
        SSLSocket tls = null;
        try (plain) {
            var context = credentials.tls().context();
            tls = (SSLSocket) context.getSocketFactory().createSocket(plain, null, plain.getPort(), false);
            tls.setUseClientMode(false);
            tls.setNeedClientAuth(true);
            PeerCredentials.restrict(tls);
            plain.setSoTimeout((int) requestTimeout.toMillis());
            tls.startHandshake();
            String peerHost = PeerCredentials.peerHost(tls);
            InputStream in = tls.getInputStream();
            OutputStream out = tls.getOutputStream();
            PeerRequest request;
            try {
                request = PeerRequest.parse(PeerRequest.readLine(tls, in, PeerRequest.MAX_LINE, requestTimeout));
            } catch (IOException e) {
                answer(out, PeerRequest.REFUSED + e.getMessage());
                return;
            }
            var decision = PeerAdmission.decide(request, peerHost, replicas.find(request.container()), grants.get());
            switch (decision) {
                case PeerAdmission.Decision.Refused refused -> answer(out, PeerRequest.REFUSED + refused.reason());
                case PeerAdmission.Decision.Admitted admitted -> {
                    watchdog.interrupt();
                    relay(tls, plain, out, admitted);
                }
            }
        } catch (IOException | RuntimeException e) {
            // A failed handshake or a peer gone: nothing to answer; the client sees its own error.
        } finally {
            watchdog.interrupt();
            if (tls != null) PeerCredentials.closeQuietly(tls);
            open.remove(plain);
        }
    }

    private void relay(SSLSocket tls, Socket plain, OutputStream out, PeerAdmission.Decision.Admitted admitted) throws IOException {
        SocketChannel replica;
        try {
            replica = admitted.replica().dialer().dial(admitted.containerPort());
        } catch (IOException e) {
            answer(out, PeerRequest.REFUSED + "the replica does not accept connections: " + e.getMessage());
            return;
        }
        Relay.Link link;
        try {
            answer(out, PeerRequest.OK);
            tls.setSoTimeout(0);
            plain.setSoTimeout(0);
            link = relay.start(replica, new PeerConnection(tls, plain));
        } catch (IOException | RuntimeException e) {
            replica.close();
            throw e;
        }
        try {
            link.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            link.cut();
        }
    }

    private static void answer(OutputStream out, String line) throws IOException {
        String oneLine = line.replace('\n', ' ').replace('\r', ' ');
        if (oneLine.length() > PeerRequest.MAX_LINE - 1) oneLine = oneLine.substring(0, PeerRequest.MAX_LINE - 1);
        out.write((oneLine + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Stops listening and cuts every connection under way. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        // Connections under way end too: the agent is stopping, or its peers are to be cut.
        open.forEach(PeerCredentials::closeQuietly);
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
