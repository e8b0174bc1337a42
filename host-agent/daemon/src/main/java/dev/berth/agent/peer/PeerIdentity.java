package dev.berth.agent.peer;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * This agent's TLS identity among agents: its private key, the certificate the platform issued for
 * it (naming the host as the URI {@code berth:host:ID}), and the platform CA's certificate, the
 * only issuer trusted from other agents.
 */
public record PeerIdentity(PrivateKey key, X509Certificate certificate, X509Certificate ca) {
    static final String HOST_URI_PREFIX = "berth:host:";
    private static final int URI_NAME = 6;

    public PeerIdentity {
        if (hostIdOf(certificate).isEmpty()) {
            throw new IllegalArgumentException("the certificate " + certificate.getSubjectX500Principal() + " names no berth host");
        }
    }

    /** A new EC P-256 key pair for a certificate request. */
    public static KeyPair newKeyPair() {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
        }
    }

    /** Base64 of the public key's DER SubjectPublicKeyInfo, as registrations and certificate requests carry it. */
    public static String publicKeyText(KeyPair keys) {
        return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    /**
     * The identity the platform answered for {@code keys}: refused when the certificate is not for
     * that key or not for {@code hostId}, or does not come from the CA given with it.
     */
    public static PeerIdentity issued(KeyPair keys, String certificatePem, String caPem, String hostId) throws IOException {
        var certificate = Pem.parseCertificate(certificatePem, "the platform's certificate");
        var ca = Pem.parseCertificate(caPem, "the platform's CA certificate");
        if (!certificate.getPublicKey().equals(keys.getPublic())) {
            throw new IOException("the platform's certificate is for another key than the one this agent sent");
        }
        if (!hostIdOf(certificate).equals(Optional.of(hostId))) {
            throw new IOException("the platform's certificate names host " + hostIdOf(certificate).orElse("(none)") + ", not " + hostId);
        }
        try {
            certificate.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new IOException("the platform's certificate is not signed by the CA it came with: " + e.getMessage(), e);
        }
        return new PeerIdentity(keys.getPrivate(), certificate, ca);
    }

    /** The host a certificate names with its {@code berth:host:ID} URI, if it names exactly one. */
    public static Optional<String> hostIdOf(X509Certificate certificate) {
        try {
            var names = certificate.getSubjectAlternativeNames();
            if (names == null) return Optional.empty();
            var hosts = names.stream().filter(n -> n.size() == 2 && Integer.valueOf(URI_NAME).equals(n.get(0)))
                    .map(n -> String.valueOf(n.get(1))).filter(u -> u.startsWith(HOST_URI_PREFIX))
                    .map(u -> u.substring(HOST_URI_PREFIX.length())).toList();
            return hosts.size() == 1 && !hosts.getFirst().isEmpty() ? Optional.of(hosts.getFirst()) : Optional.empty();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
    }

    public String hostId() {
        return hostIdOf(certificate).orElseThrow();
    }

    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** When to renew: once less than a third of the certificate's lifetime remains. */
    public Instant renewAt() {
        Duration lifetime = Duration.between(notBefore(), notAfter());
        return notAfter().minus(lifetime.dividedBy(3));
    }

    /** The certificate chain to present: the host's certificate alone (peers hold the CA). */
    List<X509Certificate> chain() {
        return List.of(certificate);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "PeerIdentity[host=" + hostIdOf(certificate).orElse("?") + ", serial=" + certificate.getSerialNumber().toString(16)
                + ", notAfter=" + notAfter() + "]";
    }
}
