package dev.berth.gitsync.signing;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A trusted OpenPGP public key as a user gave it.
 *
 * <p>The armored block is the source of truth: the constructor checks that it holds one version 4
 * public key with this fingerprint, so a stored key cannot claim another key's identity.
 *
 * @param fingerprint the primary key's fingerprint, 40 upper-case hex digits
 * @param userIds the key's user ids, primary user id first
 * @param armored the ASCII-armored public key block, as pasted
 */
public record TrustedKey(String fingerprint, List<String> userIds, String armored) {
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9A-F]{40}");

    public TrustedKey {
        if (fingerprint == null || !FINGERPRINT.matcher(fingerprint).matches())
            throw new IllegalArgumentException("'" + fingerprint + "' is not an OpenPGP fingerprint (40 upper-case hex digits)");
        userIds = List.copyOf(userIds);
        String actual = ArmoredKey.read(armored).fingerprint();
        if (!actual.equals(fingerprint))
            throw new IllegalArgumentException("the key block is key " + actual + ", not " + fingerprint);
    }

    /**
     * Parses an ASCII-armored public key block ({@code gpg --armor --export KEYID}) holding one
     * primary key and its subkeys. Text around the block (as in an e-mail) is ignored.
     *
     * @throws IllegalArgumentException saying what is wrong and what to paste instead: for junk, an
     *     SSH key, a private key, several keys, a damaged block, a key other than version 4, or a
     *     revoked key
     */
    public static TrustedKey parse(String armored) {
        ArmoredKey key = ArmoredKey.read(armored);
        if (key.revoked())
            throw new IllegalArgumentException("key " + key.fingerprint() + " is revoked; ask its owner for their current key");
        return new TrustedKey(key.fingerprint(), key.userIds(), armored);
    }

    /** The primary user id, or the fingerprint when the key has no user id. */
    public String signer() {
        return userIds.isEmpty() ? fingerprint : userIds.getFirst();
    }
}
