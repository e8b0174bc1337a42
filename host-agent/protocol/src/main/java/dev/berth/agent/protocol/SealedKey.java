package dev.berth.agent.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.KeyAgreement;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.HKDFParameterSpec;

/**
 * A secret sealed to one agent's EC key (the key it registered, whose certificate the platform
 * issued): ECDH with a fresh P-256 key, HKDF-SHA256, AES-256-GCM. Only that agent can open it,
 * and the {@code context} (the host name a certificate key serves) is bound in, so a sealed key
 * moved to another certificate fails to open. JDK cryptography only: both ends use this class.
 *
 * @param ephemeralKey base64 of the sender's one-time public key (X.509 SubjectPublicKeyInfo)
 * @param nonce base64 of the 12-byte GCM nonce
 * @param ciphertext base64 of the sealed bytes and their 16-byte tag
 */
public record SealedKey(String ephemeralKey, String nonce, String ciphertext) {
    private static final byte[] INFO = "berth sealed key v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Seals {@code secret} so that only the holder of {@code recipient}'s private key opens it, for {@code context}. */
    public static SealedKey seal(PublicKey recipient, byte[] secret, String context) {
        if (!(recipient instanceof ECPublicKey ec)) throw new IllegalArgumentException("keys are sealed to EC keys only");
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(ec.getParams());
            var ephemeral = generator.generateKeyPair();
            var nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(ephemeral.getPrivate(), recipient), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            var b64 = Base64.getEncoder();
            return new SealedKey(b64.encodeToString(ephemeral.getPublic().getEncoded()), b64.encodeToString(nonce),
                    b64.encodeToString(cipher.doFinal(secret)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot seal with EC P-256 and AES-GCM", e);
        }
    }

    /**
     * The sealed bytes, for the holder of the recipient's private key.
     *
     * @throws GeneralSecurityException when this is not sealed to {@code own}, was sealed for
     *                                  another context, or was altered
     */
    public byte[] open(PrivateKey own, String context) throws GeneralSecurityException {
        var b64 = Base64.getDecoder();
        byte[] ephemeral;
        byte[] iv;
        byte[] sealed;
        try {
            ephemeral = b64.decode(ephemeralKey);
            iv = b64.decode(nonce);
            sealed = b64.decode(ciphertext);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new GeneralSecurityException("the sealed key is not base64", e);
        }
        if (iv.length != 12) throw new GeneralSecurityException("the sealed key's nonce is " + iv.length + " bytes, not 12");
        var sender = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(ephemeral));
        var cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key(own, sender), new GCMParameterSpec(128, iv));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher.doFinal(sealed);
    }

    private static SecretKey key(PrivateKey mine, PublicKey theirs) throws GeneralSecurityException {
        var agreement = KeyAgreement.getInstance("ECDH");
        agreement.init(mine);
        agreement.doPhase(theirs, true);
        var shared = agreement.generateSecret();
        return KDF.getInstance("HKDF-SHA256").deriveKey("AES",
                HKDFParameterSpec.ofExtract().addIKM(shared).thenExpand(INFO, 32));
    }

    /** Never prints the ciphertext, harmless as it is, so a log line cannot be mistaken for a leak. */
    @Override
    public String toString() {
        return "SealedKey[" + (ciphertext == null ? 0 : ciphertext.length()) + " base64 characters]";
    }
}
