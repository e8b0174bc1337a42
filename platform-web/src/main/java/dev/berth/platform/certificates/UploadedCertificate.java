package dev.berth.platform.certificates;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A certificate and key a team brings for one of its routes, checked: the chain parses, the key is
 * the leaf's, the leaf names the host and is valid now. Pure.
 *
 * @param host     the route host
 * @param chain    the certificates, leaf first
 * @param key      the leaf's private key: never shown, logged or returned
 * @param issuer   the leaf issuer's CN (or O)
 * @param notAfter when the leaf expires
 */
record UploadedCertificate(String host, List<X509Certificate> chain, PrivateKey key, String issuer, Instant notAfter) {
    private static final SecureRandom RANDOM = new SecureRandom();

    UploadedCertificate {
        chain = List.copyOf(chain);
    }

    /**
     * Checks an upload.
     *
     * @throws IllegalArgumentException with a sentence saying what is wrong (never quoting the key)
     */
    static UploadedCertificate check(String host, String chainPem, String keyPem, Instant now) {
        if (chainPem == null || chainPem.isBlank()) {
            throw new IllegalArgumentException("'certificate' is missing: send the PEM chain, the certificate for " + host + " first");
        }
        if (keyPem == null || keyPem.isBlank()) {
            throw new IllegalArgumentException("'key' is missing: send the certificate's private key as PKCS#8 PEM");
        }
        List<X509Certificate> chain = Pem.parseCertificates(chainPem);
        PrivateKey key = Pem.parsePrivateKey(keyPem);
        X509Certificate leaf = chain.getFirst();
        if (!matches(key, leaf)) {
            throw new IllegalArgumentException("the key does not match the certificate (the first in the chain, "
                    + leaf.getSubjectX500Principal().getName() + ")");
        }
        List<String> names = dnsNames(leaf);
        if (names.stream().noneMatch(name -> covers(name, host))) {
            throw new IllegalArgumentException("the certificate does not cover " + host + "; it names "
                    + (names.isEmpty() ? "no DNS name" : String.join(", ", names)));
        }
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (!notAfter.isAfter(now)) {
            throw new IllegalArgumentException("the certificate for " + host + " expired at " + notAfter);
        }
        Instant notBefore = leaf.getNotBefore().toInstant();
        if (notBefore.isAfter(now)) {
            throw new IllegalArgumentException("the certificate for " + host + " is not valid before " + notBefore);
        }
        return new UploadedCertificate(host, chain, key, Pem.issuer(leaf), notAfter);
    }

    /** Whether a certificate name ({@code shop.example.com}, {@code *.example.com}) covers {@code host}. */
    static boolean covers(String name, String host) {
        String n = name.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (n.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot + 1).equals(n.substring(2));
        }
        return n.equals(h);
    }

    private static List<String> dnsNames(X509Certificate certificate) {
        try {
            var names = certificate.getSubjectAlternativeNames();
            if (names == null) return List.of();
            // Type 2 is dNSName (RFC 5280); browsers ignore the subject's CN, so this does too.
            return names.stream().filter(n -> Integer.valueOf(2).equals(n.get(0))).map(n -> (String) n.get(1)).toList();
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("the certificate's subject alternative names cannot be read: " + e.getMessage());
        }
    }

    /** Signs random bytes with the key and verifies them with the certificate. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> null;
        };
        if (algorithm == null || !algorithm.endsWith(certificate.getPublicKey().getAlgorithm().replace("EC", "ECDSA"))) {
            return false;
        }
        byte[] probe = new byte[32];
        RANDOM.nextBytes(probe);
        try {
            var signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            var verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "UploadedCertificate[host=" + host + ", issuer=" + issuer + ", notAfter=" + notAfter + ", key hidden]";
    }
}
