package dev.berth.gitsync.signing;

import java.util.List;
import java.util.Objects;

/** Checks who signed a commit. */
public final class CommitSignatures {
    private CommitSignatures() {}

    /**
     * Verifies the {@code gpgsig} header of a raw commit object against the trusted keys.
     *
     * <p>{@code rawCommit} is the commit as git stores it ({@code git cat-file commit ID}):
     * headers, a blank line, the message. The signed payload is that object without its
     * {@code gpgsig} header, exactly as git computes it. A signature by a subkey of a trusted key
     * verifies as that key. The key must have been valid (not revoked, not expired) when the
     * signature was made, by the signature's own creation time.
     *
     * <p>Pure: no I/O, no gpg, no keyring on disk, no security provider registration.
     */
    public static SignatureStatus verify(byte[] rawCommit, List<TrustedKey> trusted) {
        Objects.requireNonNull(rawCommit, "rawCommit");
        Objects.requireNonNull(trusted, "trusted");
        SignedCommit commit = SignedCommit.parse(rawCommit);
        return commit.signature()
                .map(signature -> SignatureCheck.check(commit.payload(), signature, List.copyOf(trusted)))
                .orElseGet(SignatureStatus.Unsigned::new);
    }
}
