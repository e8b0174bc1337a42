package dev.berth.platform.pki;

import dev.berth.platform.repositories.SecretBox;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * The platform's certificate authority for agent-to-agent TLS: an EC P-256 key and a self-signed
 * certificate for 10 years, made by the first platform instance that starts (two starting at once
 * agree on the one stored first), its private key sealed with the platform's {@link SecretBox}.
 * It issues each host's agent a certificate naming the host ({@code CN} and the URI
 * {@code berth:host:ID}) for {@code berth.pki.certificate-lifetime}, and records its serial.
 *
 * <p>There is no revocation list: a removed host's agent can no longer renew (the platform refuses
 * its credential) and stops getting assignments, so its last certificate stops mattering when it
 * expires; until then peers that still trust it refuse it only through their assignment's grants.
 */
@Service
@EnableConfigurationProperties(PkiProperties.class)
public class CertificateAuthority {
    static final Duration CA_LIFETIME = Duration.ofDays(3653);
    /** Certificates start this long before they are issued, so a peer whose clock lags a little accepts them. */
    static final Duration BACKDATE = Duration.ofMinutes(5);
    private static final String KEY_CONTEXT = "platform-ca:1";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger log = LoggerFactory.getLogger(CertificateAuthority.class);

    private final CertificateStore store;
    private final SecretBox box;
    private final Clock clock;
    private final PkiProperties properties;
    private volatile Ca ca;

    private record Ca(X509Certificate certificate, PrivateKey key, String pem) {
    }

    /** A certificate issued to a host: its PEM, the CA's PEM, its serial (hex) and when it ends. */
    public record IssuedCertificate(String certificate, String caCertificate, String serial, Instant notAfter) {
    }

    public CertificateAuthority(CertificateStore store, SecretBox box, Clock clock, PkiProperties properties) {
        this.store = store;
        this.box = box;
        this.clock = clock;
        this.properties = properties;
    }

    /**
     * Makes the CA when the platform first starts, rather than on the first agent's registration.
     * A CA that cannot be read (the secret key file was replaced) does not stop the platform: the
     * registrations and renewals that need it fail, saying why, and this says it at start.
     */
    @EventListener(ApplicationReadyEvent.class)
    public void atStart() {
        try {
            ca();
        } catch (IllegalStateException e) {
            log.error("the platform CA is not usable; agents get no certificates until it is: {}", e.getMessage());
        }
    }

    /** The CA's certificate (PEM). */
    public String caCertificate() {
        return ca().pem();
    }

    /**
     * Issues a certificate for {@code hostId}'s {@code key} and records it. Run it in the
     * transaction that inserted a new host, so the record and the host commit together.
     */
    public IssuedCertificate issue(String hostId, PublicKey key) {
        var authority = ca();
        // Certificates carry whole seconds; the record says what the certificate says.
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant notBefore = now.minus(BACKDATE);
        Instant notAfter = now.plus(properties.certificateLifetime());
        if (notAfter.isAfter(authority.certificate().getNotAfter().toInstant())) {
            notAfter = authority.certificate().getNotAfter().toInstant();
        }
        BigInteger serial = serial();
        var certificate = X509Building.host(authority.certificate(), authority.key(), hostId, key, serial, notBefore, notAfter);
        String hex = serial.toString(16);
        store.insertIssued(new CertificateStore.Issued(hex, hostId, notBefore, notAfter, now),
                Base64.getEncoder().encodeToString(key.getEncoded()));
        return new IssuedCertificate(X509Building.pem(certificate), authority.pem(), hex, notAfter);
    }

    /**
     * The key {@code hostId}'s newest certificate certifies: what the platform seals secrets for
     * that host's agent to (an edge's certificate keys). Empty for a host that never got a
     * certificate, or got its last one before the platform recorded keys.
     */
    public Optional<PublicKey> agentKey(String hostId) {
        return store.newestKey(hostId).map(k -> AgentPublicKeys.parse(k, "the recorded key of host " + hostId));
    }

    private Ca ca() {
        var known = ca;
        if (known != null) return known;
        synchronized (this) {
            if (ca == null) ca = loadOrCreate();
            return ca;
        }
    }

    private Ca loadOrCreate() {
        var stored = store.ca();
        if (stored.isEmpty()) {
            KeyPair keys = newKeyPair();
            Instant now = clock.instant();
            String name = "Berth platform CA " + HexFormat.of().formatHex(randomBytes(4));
            var certificate = X509Building.ca(keys, name, serial(), now.minus(BACKDATE), now.plus(CA_LIFETIME));
            String pkcs8 = Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded());
            store.insertCaIfAbsent(X509Building.pem(certificate), box.seal(pkcs8, KEY_CONTEXT), now);
            stored = store.ca();
        }
        var row = stored.orElseThrow(() -> new IllegalStateException("the platform CA was stored but cannot be read back"));
        try {
            var certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(row.certificate().getBytes(StandardCharsets.US_ASCII)));
            var key = KeyFactory.getInstance("EC").generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(box.open(row.sealedKey(), KEY_CONTEXT))));
            return new Ca(certificate, key, row.certificate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the stored platform CA cannot be read: " + e.getMessage(), e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
        }
    }

    /** 127 random bits: positive, unique in practice, unguessable (RFC 5280 allows up to 20 octets). */
    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).setBit(0);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
