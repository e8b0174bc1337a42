package dev.berth.platform.deployments;

import dev.berth.gitsync.definition.AppDefinition;
import java.util.Objects;

/**
 * One app as one revision defines it, with the digest its image was pinned to at push time.
 *
 * @param revision the revision's id
 * @param commit the revision's commit
 * @param teamId the app's team
 * @param definition the app as berth.yaml declared it, defaults filled in
 * @param digest the pinned image digest, {@code sha256:...}
 */
public record AppRevision(long revision, String commit, long teamId, AppDefinition definition, String digest) {
    public AppRevision {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(digest, "digest");
    }

    /** Whether running this would change nothing against {@code other}: same definition, same digest. */
    public boolean sameAs(AppRevision other) {
        return other != null && definition.equals(other.definition()) && digest.equals(other.digest());
    }
}
