package dev.berth.agent.peer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** PEM text of certificates and EC private keys (PKCS#8), with the JDK alone. */
final class Pem {
    private static final String KEY_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String KEY_END = "-----END PRIVATE KEY-----";

    private Pem() {
    }

    static String certificate(X509Certificate certificate) {
        try {
            return block("CERTIFICATE", certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String privateKey(PrivateKey key) {
        return block("PRIVATE KEY", key.getEncoded());
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** The one certificate in {@code pem}; {@code what} names it in the message when it is not one. */
    static X509Certificate parseCertificate(String pem, String what) throws IOException {
        if (pem == null || pem.isBlank()) throw new IOException(what + " is missing");
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException | ClassCastException e) {
            throw new IOException(what + " is not an X.509 certificate in PEM: " + e.getMessage(), e);
        }
    }

    static PrivateKey parsePrivateKey(String pem, String what) throws IOException {
        if (pem == null) throw new IOException(what + " is missing");
        String text = pem.strip();
        if (!text.startsWith(KEY_BEGIN) || !text.endsWith(KEY_END)) throw new IOException(what + " is not a PKCS#8 PEM private key");
        try {
            byte[] der = Base64.getMimeDecoder().decode(text.substring(KEY_BEGIN.length(), text.length() - KEY_END.length()));
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(what + " is not an EC private key: " + e.getMessage(), e);
        }
    }
}
