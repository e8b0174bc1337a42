package dev.berth.gitsync.signing;

import java.time.Instant;
import java.util.Date;
import java.util.Iterator;
import java.util.Optional;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.bcpg.sig.RevocationReason;
import org.bouncycastle.bcpg.sig.RevocationReasonTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;

/**
 * Whether a key could sign at a given time: not revoked, not expired and, for a subkey, bound to
 * its primary key with signing rights and cross-certified (as gpg requires). Revocations that
 * say the key was superseded or retired count from their date; any other revocation (compromise,
 * no reason) voids every signature, before or after.
 */
final class KeyValidity {
    private KeyValidity() {}

    /** Why {@code key} of {@code primary} could not make a signature at {@code when}, or empty if it could. */
    static Optional<String> problem(PGPPublicKey primary, PGPPublicKey key, Date when) {
        if (when.before(key.getCreationTime())) return Optional.of("the signature predates the key that made it");
        if (revoked(primary, primary, PGPSignature.KEY_REVOCATION, when))
            return Optional.of("key " + OpenPgp.fingerprint(primary) + " is revoked");
        long primaryValid = primary.getValidSeconds();
        if (expired(primary, primaryValid, when))
            return Optional.of("key " + OpenPgp.fingerprint(primary) + " expired " + expiry(primary, primaryValid));
        if (key == primary) return Optional.empty();

        String subkey = "subkey " + OpenPgp.fingerprint(key);
        PGPSignature binding = latestBinding(primary, key);
        if (binding == null) return Optional.of(subkey + " is not bound to its primary key");
        PGPSignatureSubpacketVector hashed = binding.getHashedSubPackets();
        int flags = hashed == null ? 0 : hashed.getKeyFlags();
        if (flags != 0 && (flags & KeyFlags.SIGN_DATA) == 0) return Optional.of(subkey + " is not a signing key");
        if (!crossCertified(primary, key, binding)) return Optional.of(subkey + " is not cross-certified by its primary key");
        if (revoked(primary, key, PGPSignature.SUBKEY_REVOCATION, when)) return Optional.of(subkey + " is revoked");
        long subkeyValid = hashed == null ? 0 : hashed.getKeyExpirationTime();
        if (expired(key, subkeyValid, when)) return Optional.of(subkey + " expired " + expiry(key, subkeyValid));
        return Optional.empty();
    }

    /** Whether the primary key carries a revocation that holds at {@code when}. */
    static boolean revoked(PGPPublicKey primary, Date when) {
        return revoked(primary, primary, PGPSignature.KEY_REVOCATION, when);
    }

    private static boolean revoked(PGPPublicKey primary, PGPPublicKey target, int type, Date when) {
        for (Iterator<PGPSignature> it = target.getSignaturesOfType(type); it.hasNext(); ) {
            PGPSignature revocation = it.next();
            // only self-revocations: designated revokers would need their keys, which we do not have
            if (!issuedBy(revocation, primary) || !certifies(revocation, primary, target)) continue;
            if (isHard(revocation) || !revocation.getCreationTime().after(when)) return true;
        }
        return false;
    }

    private static boolean isHard(PGPSignature revocation) {
        PGPSignatureSubpacketVector hashed = revocation.getHashedSubPackets();
        RevocationReason reason = hashed == null ? null : hashed.getRevocationReason();
        if (reason == null) return true;
        byte code = reason.getRevocationReason();
        return code != RevocationReasonTags.KEY_SUPERSEDED && code != RevocationReasonTags.KEY_RETIRED
                && code != RevocationReasonTags.USER_NO_LONGER_VALID;
    }

    private static PGPSignature latestBinding(PGPPublicKey primary, PGPPublicKey subkey) {
        PGPSignature latest = null;
        for (Iterator<PGPSignature> it = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING); it.hasNext(); ) {
            PGPSignature binding = it.next();
            if (!issuedBy(binding, primary) || !certifies(binding, primary, subkey)) continue;
            if (latest == null || binding.getCreationTime().after(latest.getCreationTime())) latest = binding;
        }
        return latest;
    }

    /** The binding carries a primary-key binding signature made by the subkey: it agrees to belong to this key. */
    private static boolean crossCertified(PGPPublicKey primary, PGPPublicKey subkey, PGPSignature binding) {
        try {
            // gpg puts the back signature in the hashed area; some tools put it in the unhashed one
            for (PGPSignatureSubpacketVector area : new PGPSignatureSubpacketVector[] {binding.getHashedSubPackets(),
                    binding.getUnhashedSubPackets()}) {
                if (area == null) continue;
                for (PGPSignature back : area.getEmbeddedSignatures()) {
                    if (back.getSignatureType() != PGPSignature.PRIMARYKEY_BINDING) continue;
                    back.init(OpenPgp.verifiers(), subkey);
                    if (back.verifyCertification(primary, subkey)) return true;
                }
            }
        } catch (PGPException | RuntimeException e) {
            return false;
        }
        return false;
    }

    private static boolean issuedBy(PGPSignature signature, PGPPublicKey key) {
        return signature.getKeyIdentifiers().stream().anyMatch(id -> id.matches(key.getKeyIdentifier()));
    }

    private static boolean certifies(PGPSignature signature, PGPPublicKey primary, PGPPublicKey target) {
        try {
            signature.init(OpenPgp.verifiers(), primary);
            return target == primary ? signature.verifyCertification(primary) : signature.verifyCertification(primary, target);
        } catch (PGPException | RuntimeException e) {
            return false;
        }
    }

    private static boolean expired(PGPPublicKey key, long validSeconds, Date when) {
        return validSeconds > 0 && when.toInstant().isAfter(key.getCreationTime().toInstant().plusSeconds(validSeconds));
    }

    private static String expiry(PGPPublicKey key, long validSeconds) {
        Instant at = key.getCreationTime().toInstant().plusSeconds(validSeconds);
        return "on " + at;
    }
}
