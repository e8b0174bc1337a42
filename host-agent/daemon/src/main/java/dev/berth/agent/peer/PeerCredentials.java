package dev.berth.agent.peer;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The agent's current {@link PeerIdentity} and a TLS 1.3 context made from it, swapped whole when
 * the certificate is renewed: every new handshake (of the listener and of outgoing connections)
 * takes the context current at its start, while connections already open keep theirs. A context
 * presents the identity's certificate and trusts the platform CA alone; each has its own session
 * cache, so no handshake after a swap resumes a session of the old certificate.
 */
public final class PeerCredentials {
    static final String[] PROTOCOLS = {"TLSv1.3"};
    private static final char[] IN_MEMORY = "in-memory".toCharArray();

    private volatile Tls current;

    /** One identity and the context that presents it. */
    record Tls(PeerIdentity identity, SSLContext context) {
    }

    /** Credentials with no identity yet: the listener refuses connections and no connection goes out until {@link #use}. */
    public PeerCredentials() {
    }

    public PeerCredentials(PeerIdentity identity) {
        use(identity);
    }

    public Optional<PeerIdentity> identity() {
        var tls = current;
        return tls == null ? Optional.empty() : Optional.of(tls.identity());
    }

    /** Makes {@code identity} the one new handshakes present. */
    public void use(PeerIdentity identity) {
        current = new Tls(identity, context(identity));
    }

    Tls tls() throws IOException {
        var tls = current;
        if (tls == null) throw new IOException("this agent has no platform certificate yet; it asks the platform for one");
        return tls;
    }

    /** TLS 1.3 only, whatever the JDK would allow otherwise. */
    static void restrict(SSLSocket socket) {
        socket.setEnabledProtocols(PROTOCOLS);
    }

    /** The host the other end's verified certificate names; the handshake has run. */
    static String peerHost(SSLSocket socket) throws IOException {
        var certificates = socket.getSession().getPeerCertificates();
        if (certificates.length == 0 || !(certificates[0] instanceof X509Certificate certificate)) {
            throw new IOException("the peer presented no X.509 certificate");
        }
        return PeerIdentity.hostIdOf(certificate)
                .orElseThrow(() -> new IOException("the peer's certificate names no berth host"));
    }

    /** Closes quietly: used on paths that already report a failure. */
    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the failure that led here is what is reported
        }
    }

    private static SSLContext context(PeerIdentity identity) {
        try {
            var keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("peer", identity.key(), IN_MEMORY, identity.chain().toArray(X509Certificate[]::new));
            var keyManagers = KeyManagerFactory.getInstance("PKIX");
            keyManagers.init(keys, IN_MEMORY);

            var trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("platform-ca", identity.ca());
            var trustManagers = TrustManagerFactory.getInstance("PKIX");
            trustManagers.init(trusted);

            var context = SSLContext.getInstance("TLSv1.3");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make a TLS context of " + identity + ": " + e.getMessage(), e);
        }
    }
}
