package dev.berth.platform.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.MutableClock;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.pki.CertificateAuthority;
import dev.berth.platform.pki.CertificateStore;
import dev.berth.platform.pki.PkiProperties;
import dev.berth.platform.repositories.SecretBox;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Certificates for agents over real HTTP and a real PostgreSQL: issued at registration for the key
 * the agent sent, renewed for a new key with the agent's credential, recorded, audited; garbage
 * keys get a 400 problem and do not use up the join token; a removed host gets none.
 */
class AgentCertificatesTest extends PlatformTest {
    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MutableClock clock;
    @Autowired
    CertificateStore certificates;
    @Autowired
    SecretBox box;

    private Api api;
    private Api admin;

    @BeforeEach
    void setUp() {
        api = Api.at(port);
        admin = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
    }

    static KeyPair newKeyPair() {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String publicKey(KeyPair keys) {
        return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    private String joinToken() {
        var r = admin.post("/api/v1/hosts/join-tokens", Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("token").asString();
    }

    private Api.Response register(String token, String hostname, String publicKey) {
        var body = new LinkedHashMap<String, Object>();
        body.put("version", 1);
        body.put("joinToken", token);
        body.put("hostname", hostname);
        body.put("capacity", Map.of("memoryBytes", 1L << 30, "cpuMillis", 1000));
        body.put("agentVersion", "test");
        body.put("publicKey", publicKey);
        return api.anonymous().post("/agent/v1/register", body);
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Validates {@code leaf} against {@code ca} alone, the way the agents' TLS does. */
    private static void chains(X509Certificate leaf, X509Certificate ca) throws Exception {
        var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf));
        var params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        params.setRevocationEnabled(false);
        params.setDate(Date.from(leaf.getNotBefore().toInstant().plusSeconds(600)));
        CertPathValidator.getInstance("PKIX").validate(path, params);
    }

    @Test
    void registrationWithAKeyIssuesACertificateNamingTheHostThatChainsToThePlatformCa() throws Exception {
        var keys = newKeyPair();
        var r = register(joinToken(), "pki-a.test", publicKey(keys));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        String hostId = r.json().get("hostId").asString();
        var leaf = certificate(r.json().get("certificate").asString());
        var ca = certificate(r.json().get("caCertificate").asString());

        chains(leaf, ca);
        assertThat(leaf.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=" + hostId);
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(6, "berth:host:" + hostId));
        assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(leaf.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(30).plusMinutes(5));
        assertThat(ca.getBasicConstraints()).isZero();
        assertThat(Duration.between(ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant())).isGreaterThan(Duration.ofDays(3650));

        var recorded = certificates.issuedTo(hostId);
        assertThat(recorded).singleElement().satisfies(c -> {
            assertThat(c.serial()).isEqualTo(leaf.getSerialNumber().toString(16));
            assertThat(c.notAfter()).isEqualTo(leaf.getNotAfter().toInstant());
        });
        assertThat(admin.get("/api/v1/audit?action=host.register").body()).contains(leaf.getSerialNumber().toString(16));
    }

    @Test
    void aRegistrationWithoutAKeyGetsNoCertificate() {
        var r = register(joinToken(), "pki-none.test", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("certificate").isNull()).isTrue();
        assertThat(r.json().get("caCertificate").isNull()).isTrue();
    }

    @Test
    void aGarbageKeyIsRefusedWithAProblemAndLeavesTheJoinTokenUsable() throws Exception {
        String token = joinToken();
        var p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp521r1"));
        var rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        Map<String, String> garbage = Map.of(
                "not base64", "!!!",
                "not a key", Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.US_ASCII)),
                "truncated", "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE",
                "P-521", publicKey(p384.generateKeyPair()),
                "RSA", publicKey(rsa.generateKeyPair()),
                "too long", "A".repeat(5000));
        garbage.forEach((what, key) -> {
            var r = register(token, "pki-garbage.test", key);
            assertThat(r.status()).as(what + ": " + r).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("detail").asString()).as(what).startsWith("publicKey ");
        });
        assertThat(register(token, "pki-garbage.test", publicKey(newKeyPair())).status()).isEqualTo(201);
    }

    @Test
    void anAgentRenewsForANewKeyWithItsCredentialAndARemovedHostCannot() throws Exception {
        var r = register(joinToken(), "pki-renew.test", publicKey(newKeyPair()));
        String hostId = r.json().get("hostId").asString();
        var agent = api.bearer(r.json().get("credential").asString());
        var first = certificate(r.json().get("certificate").asString());

        clock.advance(Duration.ofDays(21));
        var fresh = newKeyPair();
        var renewed = agent.post("/agent/v1/certificate", Map.of("version", 1, "publicKey", publicKey(fresh)));
        assertThat(renewed.status()).as(renewed.toString()).isEqualTo(200);
        var second = certificate(renewed.json().get("certificate").asString());
        chains(second, certificate(renewed.json().get("caCertificate").asString()));
        assertThat(second.getPublicKey()).isEqualTo(fresh.getPublic());
        assertThat(second.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        assertThat(second.getNotAfter()).isAfter(first.getNotAfter());
        assertThat(certificates.issuedTo(hostId)).hasSize(2);
        assertThat(admin.get("/api/v1/audit?action=host.certificate").body()).contains(hostId)
                .contains(second.getSerialNumber().toString(16));

        var garbage = agent.post("/agent/v1/certificate", Map.of("version", 1, "publicKey", "nope"));
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.json().get("detail").asString()).startsWith("publicKey is not");
        assertThat(agent.post("/agent/v1/certificate", Map.of("version", 2, "publicKey", publicKey(fresh))).status()).isEqualTo(400);
        // Users and anonymous callers are not agents.
        assertThat(admin.post("/agent/v1/certificate", Map.of("version", 1, "publicKey", publicKey(fresh))).status()).isEqualTo(401);
        assertThat(api.anonymous().post("/agent/v1/certificate", Map.of("version", 1, "publicKey", publicKey(fresh))).status())
                .isEqualTo(401);

        assertThat(admin.delete("/api/v1/hosts/" + hostId).status()).isEqualTo(204);
        var refused = agent.post("/agent/v1/certificate", Map.of("version", 1, "publicKey", publicKey(newKeyPair())));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(certificates.issuedTo(hostId)).hasSize(2);
    }

    @Test
    void twoPlatformsStartingAtOnceAgreeOnOneCa() throws Exception {
        record Row(String certificate, byte[] key, java.sql.Timestamp at) {
        }
        var original = jdbc.sql("SELECT certificate, sealed_key, created_at FROM platform_ca WHERE id = 1")
                .query((rs, n) -> new Row(rs.getString(1), rs.getBytes(2), rs.getTimestamp(3))).single();
        jdbc.sql("DELETE FROM platform_ca").update();
        try (var pool = Executors.newFixedThreadPool(4)) {
            Callable<String> start = () -> new CertificateAuthority(certificates, box, clock, new PkiProperties(null)).caCertificate();
            var all = pool.invokeAll(List.of(start, start, start, start));
            var first = all.getFirst().get();
            for (var f : all) assertThat(f.get()).isEqualTo(first);
            assertThat(jdbc.sql("SELECT certificate FROM platform_ca").query(String.class).single()).isEqualTo(first);
        } finally {
            // The shared context's CA stays the one every other test's agents were issued by.
            jdbc.sql("DELETE FROM platform_ca").update();
            jdbc.sql("INSERT INTO platform_ca (id, certificate, sealed_key, created_at) VALUES (1, ?, ?, ?)")
                    .params(original.certificate(), original.key(), original.at()).update();
        }
    }
}
