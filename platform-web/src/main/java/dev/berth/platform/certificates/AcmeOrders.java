package dev.berth.platform.certificates;

import dev.berth.agent.protocol.AcmeChallenge;
import dev.berth.registry.network.AddressPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.connector.HttpConnector;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * One ACME order for one host over HTTP-01 (acme4j, confined to this package): the account logged
 * in (registered on first use), the challenge handed to the edges and validated once they serve
 * it, the certificate finalized with the host's key and downloaded. Every failure becomes an
 * {@link OrderFailed} sentence.
 */
final class AcmeOrders {
    /** What the order needs from the platform while it runs. */
    interface Edges {
        /** Makes the challenge available to the edges. */
        void publish(AcmeChallenge challenge);

        /** Whether every edge serves it now. */
        boolean serving(AcmeChallenge challenge);
    }

    private final AcmeProperties properties;
    private final AddressPolicy policy;
    private final SSLContext trust;
    AcmeOrders(AcmeProperties properties, AddressPolicy policy) {
        this.properties = properties;
        this.policy = policy;
        this.trust = properties.caFile() == null ? null : trustOnly(properties.caFile());
    }

    /** The chain issued for {@code host} to {@code certificateKey}, leaf first. */
    List<X509Certificate> order(String host, KeyPair account, KeyPair certificateKey, Edges edges) throws OrderFailed {
        String ca = properties.caName();
        Instant deadline = Instant.now().plus(properties.orderTimeout());
        String token = null;
        try {
            Session session = new Session(properties.directory(), new Provider(trust));
            session.networkSettings().setTimeout(Duration.ofSeconds(30));
            var builder = new AccountBuilder().agreeToTermsOfService().useKeyPair(account);
            if (properties.email() != null) builder.addEmail(properties.email());
            Login login = builder.createLogin(session);
            Order order = login.newOrder().domain(host).create();
            for (var authorization : order.getAuthorizations()) {
                if (authorization.getStatus() == Status.VALID) continue;
                Http01Challenge challenge = authorization.findChallenge(Http01Challenge.class)
                        .orElseThrow(() -> new OrderFailed(ca + " offered no HTTP-01 challenge for " + host
                                + ", the only kind the platform answers"));
                token = challenge.getToken();
                var published = new AcmeChallenge(host, token, challenge.getAuthorization());
                edges.publish(published);
                awaitEdges(published, edges, deadline);
                challenge.trigger();
                Status status = challenge.waitForCompletion(remaining(deadline));
                if (status != Status.VALID) throw failed(ca, host, token, challenge.getError().orElse(null));
            }
            order.waitUntilReady(remaining(deadline));
            order.execute(certificateKey);
            Status status = order.waitForCompletion(remaining(deadline));
            if (status != Status.VALID) throw failed(ca, host, token, order.getError().orElse(null));
            return order.getCertificate().getCertificateChain();
        } catch (AcmeServerException e) {
            throw failed(ca, host, token, e.getProblem());
        } catch (AcmeNetworkException e) {
            throw new OrderFailed("the platform could not reach " + ca + " (" + properties.directory() + "): "
                    + e.getMessage() + "; the platform tries again later");
        } catch (AcmeException e) {
            throw new OrderFailed("the order for " + host + " at " + ca + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrderFailed("the order for " + host + " was interrupted (the platform is stopping)");
        }
    }

    /**
     * The directory's host must pass the platform's address policy, like any URL configuration leads
     * to. Checked before each order; a name that resolves differently a moment later is not caught.
     */
    void checkDirectory() throws OrderFailed {
        URI directory = properties.directory();
        String host = directory.getHost();
        if (policy.checkName(host) instanceof AddressPolicy.Refused(String reason)) throw refused(reason);
        if (policy.allowsEverything()) return;
        try {
            for (var address : InetAddress.getAllByName(host)) {
                if (policy.check(host, address) instanceof AddressPolicy.Refused(String reason)) throw refused(reason);
            }
        } catch (UnknownHostException e) {
            throw new OrderFailed("the ACME directory's host " + host + " (berth.acme.directory) does not resolve");
        }
    }

    private static OrderFailed refused(String reason) {
        return new OrderFailed("the ACME directory (berth.acme.directory) is refused: " + reason);
    }

    private void awaitEdges(AcmeChallenge challenge, Edges edges, Instant deadline) throws OrderFailed, InterruptedException {
        while (!edges.serving(challenge)) {
            if (Instant.now().isAfter(deadline)) {
                throw new OrderFailed("the edge hosts did not serve the challenge for " + challenge.host() + " within "
                        + properties.orderTimeout().toSeconds() + " s; check that every edge host is up and reports in");
            }
            Thread.sleep(200);
        }
    }

    private static OrderFailed failed(String ca, String host, String token, Problem problem) {
        if (problem == null) return new OrderFailed(AcmeProblems.sentence(ca, host, token, null, "the CA gave no reason"));
        Problem shown = problem.getSubProblems().isEmpty() ? problem : problem.getSubProblems().getFirst();
        return new OrderFailed(AcmeProblems.sentence(ca, host, token, String.valueOf(shown.getType()),
                shown.getDetail().or(problem::getDetail).orElse(null)));
    }

    private static Duration remaining(Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ofMillis(1) : left;
    }

    /** An SSL context that trusts only the CA certificates in {@code pemFile}. */
    private static SSLContext trustOnly(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            var store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) throw new IllegalArgumentException("berth.acme.ca-file " + pemFile + " holds no certificate");
            var trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(store);
            var context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("berth.acme.ca-file " + pemFile + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** acme4j's generic provider, over an HTTP client that trusts the configured CA file when there is one. */
    private static final class Provider extends GenericAcmeProvider {
        private final SSLContext trust;

        Provider(SSLContext trust) {
            this.trust = trust;
        }

        @Override
        protected HttpConnector createHttpConnector(NetworkSettings settings) {
            return new HttpConnector(settings) {
                @Override
                public HttpClient.Builder createClientBuilder() {
                    var builder = super.createClientBuilder();
                    return trust == null ? builder : builder.sslContext(trust);
                }
            };
        }
    }
}
