package dev.berth.platform.certificates;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;

/** PEM text of certificate chains and PKCS#8 keys, and the EC P-256 keys the platform makes. Pure. */
final class Pem {
    private static final Pattern CERTIFICATE = Pattern.compile(
            "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]*?)-----END CERTIFICATE-----");
    private static final Pattern PKCS8 = Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]*?)-----END PRIVATE KEY-----");

    private Pem() {
    }

    /** A fresh EC P-256 key pair. */
    static KeyPair newKeyPair() {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
        }
    }

    static String certificates(List<X509Certificate> chain) {
        var out = new StringBuilder();
        for (var certificate : chain) {
            try {
                out.append(block("CERTIFICATE", certificate.getEncoded()));
            } catch (CertificateException e) {
                throw new IllegalStateException("a certificate cannot be encoded: " + e.getMessage(), e);
            }
        }
        return out.toString();
    }

    /**
     * The certificates of a PEM chain, in order.
     *
     * @throws IllegalArgumentException saying which certificate cannot be read
     */
    static List<X509Certificate> parseCertificates(String pem) {
        var chain = new ArrayList<X509Certificate>();
        var matcher = CERTIFICATE.matcher(pem == null ? "" : pem);
        try {
            var factory = CertificateFactory.getInstance("X.509");
            while (matcher.find()) {
                byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new IllegalArgumentException("certificate " + (chain.size() + 1) + " of the chain cannot be read: "
                    + e.getMessage());
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the chain holds no '-----BEGIN CERTIFICATE-----' block");
        }
        return chain;
    }

    /** {@code key} as PKCS#8 PEM; the result is as secret as the key. */
    static String privateKey(PrivateKey key) {
        return block("PRIVATE KEY", key.getEncoded());
    }

    /**
     * The EC or RSA key of a PKCS#8 PEM block.
     *
     * @throws IllegalArgumentException saying what is wrong, never quoting the key
     */
    static PrivateKey parsePrivateKey(String pem) {
        var matcher = PKCS8.matcher(pem == null ? "" : pem);
        if (!matcher.find()) {
            throw new IllegalArgumentException("the key is not a PKCS#8 PEM block ('-----BEGIN PRIVATE KEY-----'); convert"
                    + " it with: openssl pkcs8 -topk8 -nocrypt -in key.pem");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(matcher.group(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key's PEM block is not valid base64");
        }
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("the key is neither an EC nor an RSA PKCS#8 key");
    }

    /** The issuer's common name, else its organisation, else its whole name. */
    static String issuer(X509Certificate certificate) {
        String name = certificate.getIssuerX500Principal().getName();
        try {
            String organisation = null;
            for (var rdn : new LdapName(name).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) return rdn.getValue().toString();
                if (rdn.getType().equalsIgnoreCase("O")) organisation = rdn.getValue().toString();
            }
            return organisation != null ? organisation : name;
        } catch (InvalidNameException e) {
            return name;
        }
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
