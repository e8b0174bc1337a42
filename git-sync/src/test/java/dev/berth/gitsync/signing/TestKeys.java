package dev.berth.gitsync.signing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/** Keys made in the test with Bouncy Castle (no gpg), signatures over payloads, and git-formatted commits. */
public final class TestKeys {
    static final Instant CREATED = Instant.parse("2024-01-01T00:00:00Z");
    static final Instant SIGNED = Instant.parse("2024-06-01T00:00:00Z");
    private static final SecureRandom RANDOM = new SecureRandom();

    public enum Algorithm { ED25519, RSA }

    /** A generated key: its primary pair, an optional signing subkey pair, and the public ring. */
    public record Key(PGPKeyPair primary, PGPKeyPair subkey, PGPPublicKeyRing publicRing, PGPSecretKeyRing secretRing) {
        public String armoredPublic() {
            return armor(out -> publicRing.encode(out));
        }

        String armoredSecret() {
            return armor(out -> secretRing.encode(out));
        }

        TrustedKey trusted() {
            return TrustedKey.parse(armoredPublic());
        }

        String fingerprint() {
            return OpenPgp.fingerprint(primary.getPublicKey());
        }

        /** An armored detached signature over {@code payload} by the primary key, as gpg -bsa makes. */
        String sign(String payload) {
            return signWith(primary, payload, SIGNED);
        }

        String signWithSubkey(String payload) {
            return signWith(subkey, payload, SIGNED);
        }

        /** This key with {@code revocation} attached to the primary key or to the subkey. */
        Key with(PGPSignature revocation, boolean onSubkey) {
            PGPPublicKey target = onSubkey ? publicRing.getPublicKey(subkey.getKeyID()) : publicRing.getPublicKey();
            PGPPublicKey revoked = PGPPublicKey.addCertification(target, revocation);
            return new Key(primary, subkey, PGPPublicKeyRing.insertPublicKey(publicRing, revoked), secretRing);
        }

        PGPSignature revocation(boolean ofSubkey, byte reason, Instant at) {
            try {
                var generator = new PGPSignatureGenerator(signerBuilder(primary), primary.getPublicKey());
                generator.init(ofSubkey ? PGPSignature.SUBKEY_REVOCATION : PGPSignature.KEY_REVOCATION, primary.getPrivateKey());
                var hashed = new PGPSignatureSubpacketGenerator();
                hashed.setSignatureCreationTime(false, Date.from(at));
                hashed.setIssuerFingerprint(false, primary.getPublicKey());
                hashed.setRevocationReason(false, reason, "test");
                generator.setHashedSubpackets(hashed.generate());
                return ofSubkey
                        ? generator.generateCertification(primary.getPublicKey(), subkey.getPublicKey())
                        : generator.generateCertification(primary.getPublicKey());
            } catch (PGPException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static Key generate(String... userIds) {
        return generate(Algorithm.ED25519, 0, false, true, userIds);
    }

    /**
     * @param expiresAfterSeconds key expiry of the primary key, 0 for never
     * @param withSubkey add a signing subkey
     * @param crossCertify give the subkey its back signature, as gpg does
     */
    public static Key generate(Algorithm algorithm, long expiresAfterSeconds, boolean withSubkey, boolean crossCertify, String... userIds) {
        try {
            PGPKeyPair primary = pair(algorithm);
            var hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
            if (expiresAfterSeconds > 0) hashed.setKeyExpirationTime(false, expiresAfterSeconds);
            hashed.setPrimaryUserID(false, true);
            var generator = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, primary, userIds[0],
                    new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1), hashed.generate(), null,
                    signerBuilder(primary), null);
            PGPKeyPair subkey = null;
            if (withSubkey) {
                subkey = pair(algorithm);
                var subHashed = new PGPSignatureSubpacketGenerator();
                subHashed.setKeyFlags(false, KeyFlags.SIGN_DATA);
                if (crossCertify) generator.addSubKey(subkey, subHashed.generate(), null, signerBuilder(subkey));
                else generator.addSubKey(subkey, subHashed.generate(), null);
            }
            PGPPublicKeyRing ring = generator.generatePublicKeyRing();
            PGPSecretKeyRing secret = generator.generateSecretKeyRing();
            // further user ids, certified without the primary flag
            for (int i = 1; i < userIds.length; i++) {
                var certifier = new PGPSignatureGenerator(signerBuilder(primary), primary.getPublicKey());
                certifier.init(PGPSignature.POSITIVE_CERTIFICATION, primary.getPrivateKey());
                var uidHashed = new PGPSignatureSubpacketGenerator();
                uidHashed.setSignatureCreationTime(false, Date.from(CREATED));
                certifier.setHashedSubpackets(uidHashed.generate());
                PGPPublicKey withId = PGPPublicKey.addCertification(ring.getPublicKey(), userIds[i],
                        certifier.generateCertification(userIds[i], ring.getPublicKey()));
                ring = PGPPublicKeyRing.insertPublicKey(ring, withId);
            }
            return new Key(primary, subkey, ring, secret);
        } catch (PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String signWith(PGPKeyPair pair, String payload, Instant at) {
        try {
            var generator = new PGPSignatureGenerator(signerBuilder(pair), pair.getPublicKey());
            generator.init(PGPSignature.BINARY_DOCUMENT, pair.getPrivateKey());
            var hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, Date.from(at));
            hashed.setIssuerFingerprint(false, pair.getPublicKey());
            generator.setHashedSubpackets(hashed.generate());
            generator.update(payload.getBytes(StandardCharsets.UTF_8));
            PGPSignature signature = generator.generate();
            return armor(signature::encode);
        } catch (PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A raw commit object as git writes it; {@link #signed} adds the signature header. */
    public static String payload(String message) {
        return """
                tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904
                parent 0123456789abcdef0123456789abcdef01234567
                author Ada Lovelace <ada@example.com> 1717200000 +0000
                committer Ada Lovelace <ada@example.com> 1717200000 +0000

                """ + message;
    }

    /** The payload with a {@code gpgsig} header after the committer, each further line indented by one space as git does. */
    public static byte[] signed(String payload, String armoredSignature) {
        String header = "gpgsig " + armoredSignature.stripTrailing().replace("\n", "\n ") + "\n";
        int end = payload.indexOf("\n\n") + 1;
        return (payload.substring(0, end) + header + payload.substring(end)).getBytes(StandardCharsets.UTF_8);
    }

    private static PGPKeyPair pair(Algorithm algorithm) throws PGPException {
        Date created = Date.from(CREATED);
        return switch (algorithm) {
            case ED25519 -> {
                var generator = new Ed25519KeyPairGenerator();
                generator.init(new Ed25519KeyGenerationParameters(RANDOM));
                yield new BcPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.EDDSA_LEGACY, generator.generateKeyPair(), created);
            }
            case RSA -> {
                var generator = new RSAKeyPairGenerator();
                generator.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), RANDOM, 2048, 80));
                AsymmetricCipherKeyPair pair = generator.generateKeyPair();
                yield new BcPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL, pair, created);
            }
        };
    }

    private static BcPGPContentSignerBuilder signerBuilder(PGPKeyPair pair) {
        return new BcPGPContentSignerBuilder(pair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256);
    }

    private interface Encoder {
        void encode(ArmoredOutputStream out) throws IOException;
    }

    private static String armor(Encoder encoder) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new ArmoredOutputStream(bytes)) {
            encoder.encode(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toString(StandardCharsets.US_ASCII).replace("\r\n", "\n");
    }

    private TestKeys() {}
}
