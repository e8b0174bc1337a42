package dev.berth.gitsync.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.gitsync.signing.TestKeys.Key;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.bcpg.sig.RevocationReasonTags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TrustedKeyTest {
    static final Key ADA = TestKeys.generate(TestKeys.Algorithm.ED25519, 0, true, true,
            "Ada Lovelace <ada@example.com>", "Ada <ada@work.example>");
    static final Key BOB = TestKeys.generate("Bob <bob@example.com>");

    @Test
    void parsesFingerprintAndUserIds() {
        TrustedKey key = TrustedKey.parse(ADA.armoredPublic());
        assertThat(key.fingerprint()).matches("[0-9A-F]{40}").isEqualTo(ADA.fingerprint());
        assertThat(key.userIds()).containsExactly("Ada Lovelace <ada@example.com>", "Ada <ada@work.example>");
        assertThat(key.signer()).isEqualTo("Ada Lovelace <ada@example.com>");
        assertThat(key.armored()).isEqualTo(ADA.armoredPublic());
    }

    @Test
    void ignoresTextAroundTheBlock() {
        String pasted = "Here is my key:\n\n" + ADA.armoredPublic() + "\nThanks, Ada\n";
        assertThat(TrustedKey.parse(pasted).fingerprint()).isEqualTo(ADA.fingerprint());
    }

    static Stream<Arguments> refused() {
        String armored = ADA.armoredPublic();
        String body = armored.lines().filter(l -> l.length() > 40 && !l.startsWith("-----")).skip(1).findFirst().orElseThrow();
        return Stream.of(
                Arguments.of("null", null, "the key is empty; paste an ASCII-armored OpenPGP public key (gpg --armor --export KEYID)"),
                Arguments.of("blank", "  \n", "the key is empty; paste an ASCII-armored OpenPGP public key (gpg --armor --export KEYID)"),
                Arguments.of("junk", "hello world", "not an OpenPGP public key: it should start with -----BEGIN PGP PUBLIC KEY BLOCK-----"),
                Arguments.of("fingerprint only", ADA.fingerprint(), "not an OpenPGP public key"),
                Arguments.of("ssh key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG ada@example.com",
                        "this is an SSH key; Berth verifies OpenPGP signatures only"),
                Arguments.of("secret key", ADA.armoredSecret(), "this is a private key; paste the public key (gpg --armor --export KEYID)"),
                Arguments.of("secret key under a public header",
                        ADA.armoredSecret().replace("PRIVATE KEY BLOCK", "PUBLIC KEY BLOCK"), "this is a private key; paste the public key"),
                Arguments.of("damaged base64", armored.replace(body, body.substring(0, 10) + "!!!!" + body.substring(14)),
                        "the key block is damaged"),
                Arguments.of("truncated", armored.substring(0, armored.length() / 2) + "\n-----END PGP PUBLIC KEY BLOCK-----\n",
                        "the key block is damaged"),
                Arguments.of("signature instead of key", ADA.sign("x").replace("SIGNATURE", "PUBLIC KEY BLOCK"),
                        "the key block holds something other than a public key"),
                Arguments.of("revoked", ADA.with(ADA.revocation(false, RevocationReasonTags.KEY_RETIRED, TestKeys.SIGNED), false).armoredPublic(),
                        "key " + ADA.fingerprint() + " is revoked; ask its owner for their current key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refused(String name, String armored, String message) {
        assertThatThrownBy(() -> TrustedKey.parse(armored)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }

    @Test
    void severalKeysInOneBlock() throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        try (var armor = new org.bouncycastle.bcpg.ArmoredOutputStream(out)) {
            ADA.publicRing().encode(armor);
            BOB.publicRing().encode(armor);
        }
        assertThatThrownBy(() -> TrustedKey.parse(out.toString(java.nio.charset.StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the key block holds 2 keys; add one key at a time");
    }

    @Test
    void constructorChecksTheBlockIsTheNamedKey() {
        assertThat(new TrustedKey(ADA.fingerprint(), List.of("Ada"), ADA.armoredPublic()).signer()).isEqualTo("Ada");
        assertThatThrownBy(() -> new TrustedKey(BOB.fingerprint(), List.of(), ADA.armoredPublic()))
                .hasMessage("the key block is key " + ADA.fingerprint() + ", not " + BOB.fingerprint());
        assertThatThrownBy(() -> new TrustedKey(ADA.fingerprint().toLowerCase(), List.of(), ADA.armoredPublic()))
                .hasMessageContaining("is not an OpenPGP fingerprint");
    }

    @Test
    void keyWithoutUserIdsSignsAsItsFingerprint() {
        assertThat(new TrustedKey(BOB.fingerprint(), List.of(), BOB.armoredPublic()).signer()).isEqualTo(BOB.fingerprint());
    }
}
