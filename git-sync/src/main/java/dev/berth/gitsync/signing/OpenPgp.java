package dev.berth.gitsync.signing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Reading armored OpenPGP keys and signatures with Bouncy Castle's lightweight API, which needs
 * no JCA provider registered.
 */
final class OpenPgp {
    static final String PUBLIC_KEY_BEGIN = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
    static final String PRIVATE_KEY_BEGIN = "-----BEGIN PGP PRIVATE KEY BLOCK-----";
    static final String SECRET_KEY_MESSAGE = "this is a private key; paste the public key (gpg --armor --export KEYID)";
    private static final String PASTE_HINT = "paste an ASCII-armored OpenPGP public key (gpg --armor --export KEYID)";
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private OpenPgp() {}

    static PGPContentVerifierBuilderProvider verifiers() {
        return new BcPGPContentVerifierBuilderProvider();
    }

    /** The one public key (with its subkeys) in an armored block; IllegalArgumentException saying what is wrong. */
    static PGPPublicKeyRing readPublicKey(String armored) {
        if (armored == null || armored.isBlank()) throw new IllegalArgumentException("the key is empty; " + PASTE_HINT);
        if (armored.contains(PRIVATE_KEY_BEGIN)) throw new IllegalArgumentException(SECRET_KEY_MESSAGE);
        String trimmed = armored.strip();
        if (trimmed.startsWith("ssh-") || trimmed.startsWith("ecdsa-sha2-") || trimmed.startsWith("sk-"))
            throw new IllegalArgumentException("this is an SSH key; Berth verifies OpenPGP signatures only: " + PASTE_HINT);
        if (!armored.contains(PUBLIC_KEY_BEGIN))
            throw new IllegalArgumentException("not an OpenPGP public key: it should start with " + PUBLIC_KEY_BEGIN + "; " + PASTE_HINT);
        List<Object> objects;
        try {
            objects = readObjects(armored);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the key block is damaged (" + describe(e) + "); copy it again in full, " + PASTE_HINT, e);
        }
        var rings = new ArrayList<PGPPublicKeyRing>();
        for (Object o : objects) {
            switch (o) {
                case PGPPublicKeyRing ring -> rings.add(ring);
                case PGPSecretKeyRing _ -> throw new IllegalArgumentException(SECRET_KEY_MESSAGE);
                default -> throw new IllegalArgumentException("the key block holds something other than a public key; " + PASTE_HINT);
            }
        }
        if (rings.isEmpty()) throw new IllegalArgumentException("the key block holds no key; " + PASTE_HINT);
        if (rings.size() > 1)
            throw new IllegalArgumentException("the key block holds " + rings.size() + " keys; add one key at a time");
        PGPPublicKey primary = rings.getFirst().getPublicKey();
        if (primary.getVersion() != 4)
            throw new IllegalArgumentException("only version 4 OpenPGP keys are supported; this is a version " + primary.getVersion() + " key");
        return rings.getFirst();
    }

    /** The signatures in an armored detached signature; IOException or PGPException when it is not one. */
    static List<PGPSignature> readSignatures(String armored) throws IOException, PGPException {
        var signatures = new ArrayList<PGPSignature>();
        for (Object o : readObjects(armored)) {
            if (!(o instanceof PGPSignatureList list)) throw new PGPException("it holds " + kind(o) + ", not a signature");
            list.forEach(signatures::add);
        }
        if (signatures.isEmpty()) throw new PGPException("it holds no signature");
        return signatures;
    }

    private static List<Object> readObjects(String armored) throws IOException {
        try (InputStream in = new ArmoredInputStream(new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII)))) {
            var objects = new ArrayList<Object>();
            var factory = new BcPGPObjectFactory(in);
            for (Object o; (o = factory.nextObject()) != null; ) objects.add(o);
            return objects;
        }
    }

    static String fingerprint(PGPPublicKey key) {
        return HEX.formatHex(key.getFingerprint());
    }

    static String keyId(long id) {
        return HEX.toHexDigits(id);
    }

    static String fingerprintHex(byte[] fingerprint) {
        return HEX.formatHex(fingerprint);
    }

    static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String kind(Object o) {
        return o.getClass().getSimpleName().replaceFirst("^PGP", "").toLowerCase();
    }
}
