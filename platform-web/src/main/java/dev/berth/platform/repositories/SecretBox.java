package dev.berth.platform.repositories;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets the platform must keep but never show again (remote tokens, webhook secrets)
 * with AES-256-GCM. The key lives outside the database, so a database dump alone reveals nothing.
 */
public final class SecretBox {
    private static final int NONCE = 12;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    public SecretBox(byte[] key) {
        if (key.length != 32) throw new IllegalArgumentException("the secret key must be 32 bytes, not " + key.length);
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /** The key in {@code file}, created (readable by its owner only) when missing. */
    public static SecretBox fromFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                Path temp = file.resolveSibling(file.getFileName() + ".new");
                Files.writeString(temp, Base64.getEncoder().encodeToString(fresh) + "\n",
                        java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return new SecretBox(Base64.getDecoder().decode(Files.readString(file).strip()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret key " + file, e);
        }
    }

    public byte[] seal(String secret) {
        return seal(secret, null);
    }

    public String open(byte[] sealed) {
        return open(sealed, null);
    }

    /**
     * Seals {@code secret} bound to {@code context} (authenticated, not encrypted): it opens only
     * with the same context, so a sealed value copied to another row, whose context differs, fails.
     *
     * @param context what the value belongs to, such as {@code app-secret:TEAM_ID/APP/NAME}; null for none
     */
    public byte[] seal(String secret, String context) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            if (context != null) cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(nonce, NONCE + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens a value sealed with {@link #seal(String, String)} and the same {@code context}. */
    public String open(byte[] sealed, String context) {
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, NONCE));
            if (context != null) cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(sealed, NONCE, sealed.length - NONCE), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a sealed secret could not be opened: was the secret key replaced"
                    + (context == null ? "?" : ", or the value moved from another row?"), e);
        }
    }
}
