package dev.berth.agent.edge;

import dev.berth.agent.protocol.EdgeCertificate;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Opens the certificates' sealed keys with the agent's own key and checks each pair before Caddy
 * gets it: one certificate Caddy could not load would make it refuse the whole configuration. A
 * certificate whose key does not open, or does not fit, is left out with a reason that never holds
 * the key.
 */
final class CertificateKeys {
    private static final String KEY_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String KEY_END = "-----END PRIVATE KEY-----";

    private CertificateKeys() {
    }

    /** The certificates that open and fit, and a sentence for each that does not. */
    record Opened(List<OpenedCertificate> certificates, List<String> problems) {
    }

    /**
     * @param own the agent's keys, newest first: a key renewed a moment ago still opens what the
     *            platform sealed before it learned the new one
     */
    static Opened open(List<EdgeCertificate> certificates, List<PrivateKey> own) {
        var opened = new ArrayList<OpenedCertificate>();
        var problems = new ArrayList<String>();
        for (EdgeCertificate certificate : certificates) {
            String problem;
            if (own.isEmpty()) {
                problem = "this agent has no platform key yet to open it with";
            } else {
                String keyPem = null;
                String failure = null;
                for (PrivateKey key : own) {
                    try {
                        keyPem = new String(certificate.key().open(key, certificate.host()), StandardCharsets.US_ASCII);
                        break;
                    } catch (GeneralSecurityException | RuntimeException e) {
                        // The exception's message says nothing of the key; its class is enough here.
                        failure = e.getClass().getSimpleName();
                    }
                }
                problem = keyPem == null ? "its key does not open with this agent's key (" + failure + ")"
                        : fitProblem(certificate.chainPem(), keyPem);
                if (problem == null) opened.add(new OpenedCertificate(certificate.host(), certificate.chainPem(), keyPem));
            }
            if (problem != null) problems.add("the certificate for " + certificate.host() + " is left out: " + problem);
        }
        return new Opened(opened, problems);
    }

    /** Why the chain and key do not make a pair Caddy can serve, or null. */
    static String fitProblem(String chainPem, String keyPem) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(chainPem.getBytes(StandardCharsets.US_ASCII)))) {
                chain.add((X509Certificate) c);
            }
        } catch (GeneralSecurityException | ClassCastException e) {
            return "its chain is not PEM X.509 certificates";
        }
        if (chain.isEmpty() || !chainPem.strip().startsWith("-----BEGIN CERTIFICATE-----")) return "its chain holds no PEM certificate";
        String text = keyPem.strip();
        if (!text.startsWith(KEY_BEGIN) || !text.endsWith(KEY_END)) return "its key is not a PKCS#8 PEM private key";
        var leaf = chain.getFirst();
        try {
            byte[] der = Base64.getMimeDecoder().decode(text.substring(KEY_BEGIN.length(), text.length() - KEY_END.length()));
            String algorithm = leaf.getPublicKey().getAlgorithm();
            PrivateKey key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            String signing = switch (algorithm) {
                case "EC" -> "SHA256withECDSA";
                case "RSA" -> "SHA256withRSA";
                default -> algorithm;
            };
            byte[] probe = "berth edge key check".getBytes(StandardCharsets.US_ASCII);
            var signer = Signature.getInstance(signing);
            signer.initSign(key);
            signer.update(probe);
            var verifier = Signature.getInstance(signing);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signer.sign())) return "its key is not the key of its leaf certificate";
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return "its key is not a " + leaf.getPublicKey().getAlgorithm() + " private key for its leaf certificate";
        }
        return null;
    }
}
