package dev.berth.gitsync.signing;

import static dev.berth.gitsync.signing.TestKeys.payload;
import static dev.berth.gitsync.signing.TestKeys.signed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.gitsync.signing.SignatureStatus.Invalid;
import dev.berth.gitsync.signing.SignatureStatus.Unsigned;
import dev.berth.gitsync.signing.SignatureStatus.UntrustedKey;
import dev.berth.gitsync.signing.SignatureStatus.Verified;
import dev.berth.gitsync.signing.TestKeys.Algorithm;
import dev.berth.gitsync.signing.TestKeys.Key;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.bcpg.sig.RevocationReasonTags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class CommitSignaturesTest {
    static final Key ADA = TestKeys.generate("Ada Lovelace <ada@example.com>");
    static final Key MALLORY = TestKeys.generate("Mallory <mallory@example.com>");
    static final String PAYLOAD = payload("Deploy v2\n\nWith a body.\n");

    static SignatureStatus verify(byte[] commit, Key... trusted) {
        return CommitSignatures.verify(commit, Stream.of(trusted).map(Key::trusted).toList());
    }

    @Test
    void unsignedCommit() {
        assertThat(verify(PAYLOAD.getBytes(StandardCharsets.UTF_8), ADA)).isEqualTo(new Unsigned());
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void signedByATrustedKey(Algorithm algorithm) {
        Key key = algorithm == Algorithm.ED25519 ? ADA : TestKeys.generate(algorithm, 0, false, true, "Ada Lovelace <ada@example.com>");
        SignatureStatus status = verify(signed(PAYLOAD, key.sign(PAYLOAD)), MALLORY, key);
        assertThat(status).isEqualTo(new Verified(key.fingerprint(), "Ada Lovelace <ada@example.com>"));
        assertThat(status.label()).isEqualTo("verified: Ada Lovelace <ada@example.com>");
        assertThat(status.isVerified()).isTrue();
    }

    @Test
    void signedByAKeyNotTrusted() {
        SignatureStatus status = verify(signed(PAYLOAD, MALLORY.sign(PAYLOAD)), ADA);
        assertThat(status).isEqualTo(new UntrustedKey(MALLORY.fingerprint()));
        assertThat(status.label()).isEqualTo("untrusted key " + MALLORY.fingerprint());
        assertThat(verify(signed(PAYLOAD, MALLORY.sign(PAYLOAD)))).isEqualTo(new UntrustedKey(MALLORY.fingerprint()));
    }

    @Test
    void signedBySubkeyVerifiesAsPrimary() {
        Key key = TestKeys.generate(Algorithm.ED25519, 0, true, true, "Ada Lovelace <ada@example.com>");
        assertThat(verify(signed(PAYLOAD, key.signWithSubkey(PAYLOAD)), key))
                .isEqualTo(new Verified(key.fingerprint(), "Ada Lovelace <ada@example.com>"));
    }

    @Test
    void primaryUserIdIsTheSigner() {
        Key key = TestKeys.generate(Algorithm.ED25519, 0, false, true, "Ada Lovelace <ada@example.com>", "Ada <ada@work.example>");
        assertThat(verify(signed(PAYLOAD, key.sign(PAYLOAD)), key))
                .isEqualTo(new Verified(key.fingerprint(), "Ada Lovelace <ada@example.com>"));
    }

    static Stream<Arguments> invalid() {
        String signature = ADA.sign(PAYLOAD);
        String good = new String(signed(PAYLOAD, signature), StandardCharsets.UTF_8);
        String body = signature.lines().filter(l -> !l.isEmpty() && !l.startsWith("-----") && !l.startsWith("=")).findFirst().orElseThrow();
        return Stream.of(
                Arguments.of("message changed after signing", good.replace("Deploy v2", "Deploy v3"), "bad signature: the commit is not what key"),
                Arguments.of("author changed after signing", good.replace("author Ada", "author Eve"), "bad signature"),
                Arguments.of("header added after signing", good.replace("committer", "encoding ISO-8859-1\ncommitter"), "bad signature"),
                Arguments.of("garbage in the block", good.replace(body, "this is not base64 at all!"), "the signature is corrupt: "),
                Arguments.of("empty block", PAYLOAD.replace("\n\n", "\ngpgsig -----BEGIN PGP SIGNATURE-----\n -----END PGP SIGNATURE-----\n\n"),
                        "the signature is corrupt: "),
                Arguments.of("not armored", PAYLOAD.replace("\n\n", "\ngpgsig hello\n\n"), "the signature is not an armored OpenPGP signature"),
                Arguments.of("ssh", PAYLOAD.replace("\n\n", "\ngpgsig -----BEGIN SSH SIGNATURE-----\n U1NIU0lHAAAAAQ==\n -----END SSH SIGNATURE-----\n\n"),
                        "ssh signatures are not supported"),
                Arguments.of("x509", PAYLOAD.replace("\n\n", "\ngpgsig -----BEGIN SIGNED MESSAGE-----\n MIAGCSqGSIb3DQEHAqCAMIACAQEx\n -----END SIGNED MESSAGE-----\n\n"),
                        "x509 signatures are not supported"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void invalid(String name, String commit, String reason) {
        SignatureStatus status = verify(commit.getBytes(StandardCharsets.UTF_8), ADA);
        assertThat(status).isInstanceOf(Invalid.class);
        assertThat(((Invalid) status).reason()).startsWith(reason);
        assertThat(status.label()).startsWith("invalid: " + reason);
        assertThat(status.isVerified()).isFalse();
    }

    @Test
    void sshSignatureReasonIsExact() {
        String commit = PAYLOAD.replace("\n\n", "\ngpgsig -----BEGIN SSH SIGNATURE-----\n U1NIU0lHAAAAAQ==\n -----END SSH SIGNATURE-----\n\n");
        assertThat(verify(commit.getBytes(StandardCharsets.UTF_8), ADA)).isEqualTo(new Invalid("ssh signatures are not supported"));
    }

    @Test
    void signatureOfAnotherCommitByATrustedKey() {
        String other = payload("Something else\n");
        assertThat(verify(signed(PAYLOAD, ADA.sign(other)), ADA)).isInstanceOf(Invalid.class);
    }

    @Test
    void keyExpiredBeforeSigning() {
        Key key = TestKeys.generate(Algorithm.ED25519, Duration.ofDays(30).toSeconds(), false, true, "Ada <ada@example.com>");
        SignatureStatus status = verify(signed(PAYLOAD, key.sign(PAYLOAD)), key);
        assertThat(status).isEqualTo(new Invalid("key " + key.fingerprint() + " expired on 2024-01-31T00:00:00Z"));
    }

    @Test
    void keyExpiredAfterSigningStillVerifiesOldCommits() {
        Key key = TestKeys.generate(Algorithm.ED25519, Duration.ofDays(365).toSeconds(), false, true, "Ada <ada@example.com>");
        assertThat(verify(signed(PAYLOAD, key.sign(PAYLOAD)), key)).isInstanceOf(Verified.class);
    }

    @Test
    void subkeyWithoutBackSignatureIsRefused() {
        Key key = TestKeys.generate(Algorithm.ED25519, 0, true, false, "Ada <ada@example.com>");
        SignatureStatus status = verify(signed(PAYLOAD, key.signWithSubkey(PAYLOAD)), key);
        assertThat(status).isInstanceOf(Invalid.class);
        assertThat(status.label()).endsWith("is not cross-certified by its primary key");
    }

    static Stream<Arguments> revocations() {
        var before = TestKeys.SIGNED.minus(Duration.ofDays(1));
        var after = TestKeys.SIGNED.plus(Duration.ofDays(1));
        return Stream.of(
                Arguments.of("subkey compromised after signing", true, RevocationReasonTags.KEY_COMPROMISED, after, false),
                Arguments.of("subkey retired after signing", true, RevocationReasonTags.KEY_RETIRED, after, true),
                Arguments.of("subkey superseded before signing", true, RevocationReasonTags.KEY_SUPERSEDED, before, false),
                Arguments.of("subkey revoked without reason after signing", true, RevocationReasonTags.NO_REASON, after, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void revocations(String name, boolean ofSubkey, byte reason, java.time.Instant at, boolean verifies) {
        Key base = TestKeys.generate(Algorithm.ED25519, 0, true, true, "Ada <ada@example.com>");
        Key key = base.with(base.revocation(ofSubkey, reason, at), ofSubkey);
        SignatureStatus status = CommitSignatures.verify(signed(PAYLOAD, key.signWithSubkey(PAYLOAD)),
                List.of(new TrustedKey(key.fingerprint(), List.of("Ada <ada@example.com>"), key.armoredPublic())));
        if (verifies) assertThat(status).isInstanceOf(Verified.class);
        else assertThat(status.label()).startsWith("invalid: subkey ").endsWith(" is revoked");
    }

    @Test
    void primaryKeyRevokedAfterSigningSoftlyStillVerifies() {
        Key key = ADA.with(ADA.revocation(false, RevocationReasonTags.KEY_SUPERSEDED, TestKeys.SIGNED.plusSeconds(60)), false);
        var trusted = new TrustedKey(key.fingerprint(), List.of("Ada Lovelace <ada@example.com>"), key.armoredPublic());
        assertThat(CommitSignatures.verify(signed(PAYLOAD, key.sign(PAYLOAD)), List.of(trusted))).isInstanceOf(Verified.class);
        Key compromised = ADA.with(ADA.revocation(false, RevocationReasonTags.KEY_COMPROMISED, TestKeys.SIGNED.plusSeconds(60)), false);
        var trustedCompromised = new TrustedKey(key.fingerprint(), List.of(), compromised.armoredPublic());
        assertThat(CommitSignatures.verify(signed(PAYLOAD, key.sign(PAYLOAD)), List.of(trustedCompromised)))
                .isEqualTo(new Invalid("key " + key.fingerprint() + " is revoked"));
    }

    @Test
    void commitWithoutMessageOrTrailingNewline() {
        String bare = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000";
        assertThat(verify(bare.getBytes(StandardCharsets.UTF_8), ADA)).isEqualTo(new Unsigned());
    }
}
