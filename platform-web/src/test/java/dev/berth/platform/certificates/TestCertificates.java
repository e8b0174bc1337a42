package dev.berth.platform.certificates;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed certificates for tests: Pebble's own TLS certificate, and certificates teams upload. */
final class TestCertificates {
    private TestCertificates() {
    }

    /** A self-signed certificate for {@code keys} naming {@code names} (IP literals become IP addresses). */
    static X509Certificate selfSigned(KeyPair keys, String subject, List<String> names, Instant notBefore, Instant notAfter) {
        try {
            var name = new X500Name("CN=" + subject);
            var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(System.nanoTime()), Date.from(notBefore),
                    Date.from(notAfter), name, keys.getPublic());
            var general = new ArrayList<GeneralName>();
            for (String n : names) {
                general.add(new GeneralName(n.matches("[0-9.]+") ? GeneralName.iPAddress : GeneralName.dNSName, n));
            }
            if (!general.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(general.toArray(GeneralName[]::new)));
            }
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static X509Certificate selfSigned(KeyPair keys, List<String> names, Instant notBefore, Instant notAfter) {
        return selfSigned(keys, "Test Upload CA", names, notBefore, notAfter);
    }
}
