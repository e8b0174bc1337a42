package dev.berth.gitsync.signing;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.bcpg.KeyIdentifier;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;

/** Checks one armored signature over a payload; the Bouncy Castle side of {@link CommitSignatures}. */
final class SignatureCheck {
    private static final Set<Integer> DOCUMENT_SIGNATURES = Set.of(PGPSignature.BINARY_DOCUMENT, PGPSignature.CANONICAL_TEXT_DOCUMENT);

    private SignatureCheck() {}

    static SignatureStatus check(byte[] payload, String armoredSignature, List<TrustedKey> trusted) {
        String kind = armoredSignature.lines().findFirst().orElse("").strip();
        switch (kind) {
            case "-----BEGIN PGP SIGNATURE-----" -> {}
            case "-----BEGIN SSH SIGNATURE-----" -> { return new SignatureStatus.Invalid("ssh signatures are not supported"); }
            case "-----BEGIN SIGNED MESSAGE-----" -> { return new SignatureStatus.Invalid("x509 signatures are not supported"); }
            default -> { return new SignatureStatus.Invalid("the signature is not an armored OpenPGP signature"); }
        }
        List<PGPSignature> signatures;
        try {
            signatures = OpenPgp.readSignatures(armoredSignature);
        } catch (IOException | PGPException | RuntimeException e) {
            return new SignatureStatus.Invalid("the signature is corrupt: " + OpenPgp.describe(e));
        }
        // gpg may put several signatures in one block; one good one by a trusted key is enough
        SignatureStatus first = null;
        for (PGPSignature signature : signatures) {
            SignatureStatus status = check(payload, signature, trusted);
            if (status instanceof SignatureStatus.Verified) return status;
            if (first == null) first = status;
        }
        return first;
    }

    private static SignatureStatus check(byte[] payload, PGPSignature signature, List<TrustedKey> trusted) {
        List<KeyIdentifier> issuers = signature.getKeyIdentifiers().stream().filter(id -> !id.isWildcard()).toList();
        if (issuers.isEmpty()) return new SignatureStatus.Invalid("the signature does not name the key that made it");
        for (TrustedKey key : trusted) {
            PGPPublicKeyRing ring = OpenPgp.readPublicKey(key.armored());
            for (KeyIdentifier issuer : issuers) {
                PGPPublicKey signingKey = ring.getPublicKey(issuer);
                if (signingKey != null) return check(payload, signature, ring.getPublicKey(), signingKey, key);
            }
        }
        return new SignatureStatus.UntrustedKey(describe(issuers));
    }

    private static SignatureStatus check(byte[] payload, PGPSignature signature, PGPPublicKey primary, PGPPublicKey signingKey,
            TrustedKey trusted) {
        if (!DOCUMENT_SIGNATURES.contains(signature.getSignatureType()))
            return new SignatureStatus.Invalid("the signature is not a document signature (type " + signature.getSignatureType() + ")");
        try {
            signature.init(OpenPgp.verifiers(), signingKey);
            signature.update(payload);
            if (!signature.verify())
                return new SignatureStatus.Invalid("bad signature: the commit is not what key " + trusted.fingerprint() + " signed");
        } catch (PGPException | RuntimeException e) {
            return new SignatureStatus.Invalid("the signature cannot be checked: " + OpenPgp.describe(e));
        }
        Optional<String> problem = KeyValidity.problem(primary, signingKey, signature.getCreationTime());
        return problem.<SignatureStatus>map(SignatureStatus.Invalid::new)
                .orElseGet(() -> new SignatureStatus.Verified(trusted.fingerprint(), trusted.signer()));
    }

    /** The most specific issuer the signature names: a fingerprint if it has one, else a key id. */
    private static String describe(List<KeyIdentifier> issuers) {
        return issuers.stream().filter(id -> id.getFingerprint() != null).findFirst()
                .map(id -> OpenPgp.fingerprintHex(id.getFingerprint()))
                .orElseGet(() -> OpenPgp.keyId(issuers.getFirst().getKeyId()));
    }
}
