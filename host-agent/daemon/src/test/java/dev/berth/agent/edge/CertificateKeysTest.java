package dev.berth.agent.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.peer.PeerIdentity;
import dev.berth.agent.protocol.EdgeCertificate;
import dev.berth.agent.protocol.SealedKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateKeysTest {
    static final String HOST = "shop.example.com";
    @TempDir
    static Path dir;
    static TestCertificate shop;
    static TestCertificate other;
    static KeyPair agent;
    static KeyPair renewed;

    @BeforeAll
    static void make() throws Exception {
        shop = TestCertificate.make(HOST, dir);
        other = TestCertificate.make("other.example.com", dir);
        agent = PeerIdentity.newKeyPair();
        renewed = PeerIdentity.newKeyPair();
    }

    static EdgeCertificate sealed(TestCertificate chain, TestCertificate key, KeyPair to, String context) throws Exception {
        return new EdgeCertificate(HOST, chain.certificatePem(),
                SealedKey.seal(to.getPublic(), key.keyPem().getBytes(StandardCharsets.US_ASCII), context));
    }

    @Test
    void opensWithTheNewestKeyOrTheOneBefore() throws Exception {
        var opened = CertificateKeys.open(List.of(sealed(shop, shop, agent, HOST)), List.of(renewed.getPrivate(), agent.getPrivate()));
        assertThat(opened.problems()).isEmpty();
        assertThat(opened.certificates()).singleElement().satisfies(c -> assertThat(c.keyPem()).isEqualTo(shop.keyPem()));
    }

    @Test
    void leavesOutWhatDoesNotOpenOrFitAndNeverSaysTheKey() throws Exception {
        var opened = CertificateKeys.open(List.of(
                sealed(shop, shop, renewed, HOST),
                sealed(shop, shop, agent, "other.example.com"),
                sealed(shop, other, agent, HOST)), List.of(agent.getPrivate()));
        assertThat(opened.certificates()).isEmpty();
        assertThat(opened.problems()).hasSize(3);
        assertThat(opened.problems().get(0)).contains("does not open");
        assertThat(opened.problems().get(1)).contains("does not open");
        assertThat(opened.problems().get(2)).contains("not the key of its leaf certificate");
        assertThat(String.join("\n", opened.problems())).doesNotContain("PRIVATE KEY");
        assertThat(CertificateKeys.open(List.of(sealed(shop, shop, agent, HOST)), List.of()).problems())
                .singleElement().asString().contains("no platform key yet");
    }

    @Test
    void refusesChainsThatAreNoCertificates() {
        assertThat(CertificateKeys.fitProblem("not pem", shop.keyPem())).contains("chain");
        assertThat(CertificateKeys.fitProblem(shopPem(), "-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----"))
                .contains("PKCS#8");
    }

    private static String shopPem() {
        try {
            return shop.certificatePem();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
