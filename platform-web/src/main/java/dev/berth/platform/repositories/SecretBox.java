package dev.berth.platform.repositories;

import dev.berth.atomicfile.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
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

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /**
     * The key in {@code file}, created when missing: in a directory made {@code 0700} when it does
     * not exist yet, as a file that is {@code 0600} from the moment it exists (the mode is given to
     * the call that creates it, never set afterwards). A key file that group or others may read or
     * write is refused: the key may have leaked, and silently tightening it would hide that.
     */
    public static SecretBox fromFile(Path file) {
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) create(file);
            refuseShared(file);
            return new SecretBox(Base64.getDecoder().decode(Files.readString(file).strip()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret key " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        // Replaced whole, so a crash never leaves a half-written key behind.
        AtomicFile.ownerOnly(file).write((Base64.getEncoder().encodeToString(fresh) + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void refuseShared(Path file) throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) return;
        var mode = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(mode)) {
            throw new IllegalStateException("the secret key file " + file.toAbsolutePath() + " is "
                    + PosixFilePermissions.toString(mode) + ": other local users may read it, so the remote tokens and"
                    + " webhook secrets it seals may have leaked. Make it readable by its owner only (chmod 600 " + file
                    + "), rotate those secrets if others could read it, and start again");
        }
    }

    /**
     * Opens a value sealed before values were bound to their rows (no associated data). Only the
     * one-off rebinding of such values may use it: anything else would accept a value copied from
     * another row.
     */
    public String openUnbound(byte[] sealed) {
        return open(sealed, null, "was the secret key replaced?");
    }

    /**
     * Seals {@code secret} bound to {@code context} (authenticated, not encrypted): it opens only
     * with the same context, so a sealed value copied to another row, whose context differs, fails.
     *
     * @param context what the value belongs to, such as {@code app-secret:TEAM_ID/APP/NAME}
     */
    public byte[] seal(String secret, String context) {
        java.util.Objects.requireNonNull(context, "a sealed value is always bound to what it belongs to");
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
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
        java.util.Objects.requireNonNull(context, "a sealed value is always opened with what it belongs to");
        return open(sealed, context, "was the secret key replaced, or the value moved from another row?");
    }

    private String open(byte[] sealed, String context, String hint) {
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, NONCE));
            if (context != null) cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(sealed, NONCE, sealed.length - NONCE), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("a sealed secret could not be opened: " + hint, e);
        }
    }
}
