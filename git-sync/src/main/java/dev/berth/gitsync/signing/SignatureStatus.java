package dev.berth.gitsync.signing;

import java.util.Objects;

/** What the signature of a commit says. */
public sealed interface SignatureStatus {
    /** The commit carries no signature. */
    record Unsigned() implements SignatureStatus {
        @Override
        public String label() {
            return "unsigned";
        }
    }

    /**
     * A good signature by a trusted key (or one of its subkeys), valid when the commit was signed.
     *
     * @param fingerprint the primary key's fingerprint, 40 upper-case hex digits
     * @param signer the key's primary user id, or its fingerprint when it has none
     */
    record Verified(String fingerprint, String signer) implements SignatureStatus {
        public Verified {
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(signer, "signer");
        }

        @Override
        public String label() {
            return "verified: " + signer;
        }
    }

    /**
     * A signature by a key that is not trusted; it could not be checked.
     *
     * @param keyId the issuer's fingerprint when the signature names it, otherwise its 16-digit key id
     */
    record UntrustedKey(String keyId) implements SignatureStatus {
        public UntrustedKey {
            Objects.requireNonNull(keyId, "keyId");
        }

        @Override
        public String label() {
            return "untrusted key " + keyId;
        }
    }

    /** A signature that does not hold: bad, corrupt, by an unusable key, or of an unsupported kind. */
    record Invalid(String reason) implements SignatureStatus {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String label() {
            return "invalid: " + reason;
        }
    }

    /** Short text for the dashboard, e.g. {@code verified: Ada <ada@example.com>}. */
    String label();

    /** Whether a repository that requires signed commits accepts this one. */
    default boolean isVerified() {
        return this instanceof Verified;
    }
}
