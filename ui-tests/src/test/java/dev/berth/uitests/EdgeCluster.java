package dev.berth.uitests;

import dev.berth.platform.certificates.Pebble;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A cluster whose platform orders certificates from Debian's Pebble (answering DNS through
 * pebble-challtestsrv, where every name is 127.0.0.1 unless a test says otherwise) and whose one
 * agent runs an edge (Debian's Caddy) on free loopback ports; Pebble validates challenges at the
 * edge's HTTP port, as a CA would at port 80. The team may route {@code HOST} and names under it,
 * and each app with a published port gets its default host under {@link #APPS_DOMAIN}.
 */
final class EdgeCluster implements AutoCloseable {
    static final String HOST = "shop.example.com";
    /** {@code BERTH_APPS_DOMAIN}: every app with a published port is also {@code APP.TEAM.} under it. */
    static final String APPS_DOMAIN = "apps.example.com";
    final Pebble pebble;
    final Cluster cluster;
    final int httpPort;
    final int httpsPort;
    /** Pebble's root, PEM, for curl's {@code --cacert}. */
    final Path root;
    private final X509Certificate rootCertificate;

    private EdgeCluster(Pebble pebble, Cluster cluster, int httpPort, int httpsPort, Path root, X509Certificate rootCertificate) {
        this.pebble = pebble;
        this.cluster = cluster;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.root = root;
        this.rootCertificate = rootCertificate;
    }

    static EdgeCluster start(String portRange) throws Exception {
        int http = Pebble.freePort();
        int https = Pebble.freePort();
        Pebble pebble = Pebble.start(http);
        Cluster cluster = null;
        try {
            cluster = Cluster.start(Duration.ofSeconds(10), "--berth.acme.directory=" + pebble.directory(),
                    "--berth.acme.ca-file=" + pebble.caFile(), "--berth.acme.dns-server=" + pebble.dnsServer(),
                    "--berth.acme.agree-to-terms=true", "--berth.apps-domain=" + APPS_DOMAIN);
            var certificate = pebble.root();
            Path root = Files.createTempFile("berth-pebble-root", ".pem");
            Files.writeString(root, "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
            cluster.startAgent("edge", portRange, "--edge", "--edge-http", "127.0.0.1:" + http,
                    "--edge-https", "127.0.0.1:" + https, "--edge-address", "127.0.0.1");
            cluster.api("PUT", "/api/v1/teams/" + Cluster.TEAM + "/domains",
                    "{\"domains\":[\"" + HOST + "\",\"*." + HOST + "\"]}", 200);
            return new EdgeCluster(pebble, cluster, http, https, root, certificate);
        } catch (Exception | AssertionError e) {
            if (cluster != null) cluster.close();
            pebble.close();
            throw e;
        }
    }

    /** TLS that trusts only Pebble's root, as a browser trusting Let's Encrypt trusts only its roots. */
    SSLContext trust() throws Exception {
        var store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("pebble", rootCertificate);
        var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        var context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /** Waits until the app's route to {@code host} has a certificate issued. */
    void awaitCertificate(String app, String host, Duration within) throws Exception {
        cluster.awaitApp(app, within, "a certificate for " + host, a -> {
            for (var r : a.path("routes")) {
                if (r.path("host").asString().equals(host)) return r.path("certificate").path("status").asString().equals("issued");
            }
            return false;
        });
    }

    @Override
    public void close() throws Exception {
        try {
            cluster.close();
        } finally {
            pebble.close();
            try {
                Files.deleteIfExists(root);
            } catch (IOException e) {
                // a temporary file
            }
        }
    }
}
