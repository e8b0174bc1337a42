package dev.berth.agent.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

class SealedKeyTest {
    private static KeyPair agentKey() throws Exception {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static final byte[] SECRET = "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n"
            .getBytes(StandardCharsets.US_ASCII);

    @Test
    void onlyTheRecipientOpensItForTheSameContext() throws Exception {
        var agent = agentKey();
        var sealed = SealedKey.seal(agent.getPublic(), SECRET, "shop.example.com");

        assertThat(sealed.open(agent.getPrivate(), "shop.example.com")).isEqualTo(SECRET);
        assertThat(sealed.ciphertext()).doesNotContain("PRIVATE");
        assertThat(sealed.toString()).doesNotContain(sealed.ciphertext());
        assertThatThrownBy(() -> sealed.open(agentKey().getPrivate(), "shop.example.com"))
                .isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> sealed.open(agent.getPrivate(), "www.example.com"))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void anAlteredOrMalformedSealFailsToOpen() throws Exception {
        var agent = agentKey();
        var sealed = SealedKey.seal(agent.getPublic(), SECRET, "h.example.com");
        var bytes = java.util.Base64.getDecoder().decode(sealed.ciphertext());
        bytes[3] ^= 1;
        var altered = new SealedKey(sealed.ephemeralKey(), sealed.nonce(), java.util.Base64.getEncoder().encodeToString(bytes));

        assertThatThrownBy(() -> altered.open(agent.getPrivate(), "h.example.com")).isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> new SealedKey("%%", sealed.nonce(), sealed.ciphertext()).open(agent.getPrivate(), "h.example.com"))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("base64");
        assertThatThrownBy(() -> new SealedKey(sealed.ephemeralKey(), "AAAA", sealed.ciphertext()).open(agent.getPrivate(), "h.example.com"))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("nonce");
    }

    @Test
    void twoSealsOfOneSecretDiffer() throws Exception {
        var agent = agentKey();
        assertThat(SealedKey.seal(agent.getPublic(), SECRET, "a.example.com"))
                .isNotEqualTo(SealedKey.seal(agent.getPublic(), SECRET, "a.example.com"));
    }
}
