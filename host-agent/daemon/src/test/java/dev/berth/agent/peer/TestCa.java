package dev.berth.agent.peer;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A stand-in for the platform CA in agent tests, issuing what the platform's pki issues (the same
 * profile: EC P-256, {@code CN=host}, URI {@code berth:host:ID}, serverAuth and clientAuth,
 * digitalSignature). Tests only: the agent itself never uses Bouncy Castle.
 */
public final class TestCa {
    private static final SecureRandom RANDOM = new SecureRandom();
    public final KeyPair keys = PeerIdentity.newKeyPair();
    public final X509Certificate certificate;

    public TestCa(String name) {
        var subject = new X500Name("O=Berth,CN=" + name);
        var now = Instant.now();
        try {
            var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, RANDOM), Date.from(now.minusSeconds(300)),
                    Date.from(now.plus(Duration.ofDays(3650))), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A certificate for {@code hostId}'s {@code key}, valid from {@code notBefore} for {@code lifetime}. */
    public X509Certificate issue(String hostId, PublicKey key, Instant notBefore, Duration lifetime) {
        try {
            var builder = new JcaX509v3CertificateBuilder(certificate, new BigInteger(127, RANDOM).setBit(0), Date.from(notBefore),
                    Date.from(notBefore.plus(lifetime)), new X500Name("CN=" + hostId), key);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, "berth:host:" + hostId)));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh identity of {@code hostId}, valid from now for 30 days. */
    public PeerIdentity identity(String hostId) {
        var pair = PeerIdentity.newKeyPair();
        return new PeerIdentity(pair.getPrivate(), issue(hostId, pair.getPublic(), Instant.now().minusSeconds(60), Duration.ofDays(30)),
                certificate);
    }

    public static String pem(X509Certificate certificate) {
        var out = new StringWriter();
        try (var writer = new JcaPEMWriter(out)) {
            writer.writeObject(certificate);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
