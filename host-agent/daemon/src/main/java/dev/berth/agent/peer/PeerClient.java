package dev.berth.agent.peer;

import dev.berth.agent.connect.RemoteReplicas;
import dev.berth.agent.protocol.ConnectTarget;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLSocket;

/**
 * Reaches replicas on other hosts through their agents' peer listeners: mutual TLS 1.3 with this
 * agent's platform certificate, accepting only a server whose certificate chains to the platform
 * CA and names the backend's host. It returns only once the peer answered {@code OK}, so when it
 * throws nothing reached the replica and the caller may try another backend. The connection it
 * returns is a {@link PeerConnection}, which can half-close.
 */
public final class PeerClient implements RemoteReplicas {
    private final PeerCredentials credentials;

    public PeerClient(PeerCredentials credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    @Override
    public PeerConnection open(ConnectTarget.Backend backend, String port, String consumerApp, Duration timeout) throws IOException {
        if (backend.peerAddress() == null) {
            throw new IOException("host " + backend.hostId() + " has no peer address; its agent listens for no peers");
        }
        var named = address(backend.peerAddress());
        var address = new InetSocketAddress(named.getHostString(), named.getPort());
        if (address.isUnresolved()) throw new IOException("host " + backend.hostId() + "'s peer address " + backend.peerAddress()
                + " does not resolve");
        var request = new PeerRequest(backend.container(), port, consumerApp);
        var context = credentials.tls().context();
        long started = System.nanoTime();
        var plain = new Socket();
        SSLSocket tls = null;
        boolean done = false;
        try {
            plain.connect(address, millis(timeout));
            tls = (SSLSocket) context.getSocketFactory().createSocket(plain, address.getHostString(), address.getPort(), true);
            tls.setUseClientMode(true);
            PeerCredentials.restrict(tls);
            tls.setSoTimeout(millis(timeout));
            tls.startHandshake();
            String host = PeerCredentials.peerHost(tls);
            if (!host.equals(backend.hostId())) {
                throw new IOException("the peer at " + backend.peerAddress() + " is host " + host + ", not " + backend.hostId());
            }
            tls.getOutputStream().write(request.line());
            tls.getOutputStream().flush();
            Duration left = timeout.minusNanos(System.nanoTime() - started);
            if (left.isNegative() || left.isZero()) throw new IOException("the peer at " + backend.peerAddress() + " did not answer in time");
            String answer = PeerRequest.readLine(tls, tls.getInputStream(), PeerRequest.MAX_LINE, left);
            if (!answer.equals(PeerRequest.OK)) {
                String reason = answer.startsWith(PeerRequest.REFUSED) ? answer.substring(PeerRequest.REFUSED.length()) : answer;
                throw new IOException("host " + backend.hostId() + " refused " + backend.container() + ": " + reason);
            }
            tls.setSoTimeout(0);
            done = true;
            return new PeerConnection(tls, plain);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains(backend.hostId())) throw e;
            throw new IOException("cannot reach " + backend.container() + " through host " + backend.hostId() + " at "
                    + backend.peerAddress() + ": " + e.getMessage(), e);
        } finally {
            if (!done) PeerCredentials.closeQuietly(tls != null ? tls : plain);
        }
    }

    private static int millis(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /** {@code host:port} or {@code [v6]:port}, not resolved yet. */
    static InetSocketAddress address(String peerAddress) throws IOException {
        int colon = peerAddress.lastIndexOf(':');
        if (colon <= 0 || colon == peerAddress.length() - 1) throw new IOException("peer address '" + peerAddress + "' is not host:port");
        String host = peerAddress.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(peerAddress.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IOException("peer address '" + peerAddress + "' has no port number");
        }
        if (port < 1 || port > 65535) throw new IOException("peer address '" + peerAddress + "' has port " + port + ", not 1-65535");
        return InetSocketAddress.createUnresolved(host, port);
    }
}
