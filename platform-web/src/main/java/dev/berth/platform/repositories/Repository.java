package dev.berth.platform.repositories;

import java.time.Instant;

/**
 * A repository a team deploys from, as the API and dashboard show it.
 *
 * @param cloneUrl where to push (hosted) or null (external)
 * @param remote where it is fetched from (external) or null (hosted)
 */
public record Repository(long id, String team, String name, String kind, String deployBranch, String definitionPath,
                         Instant createdAt, String createdBy, String cloneUrl, Remote remote) {
    /** An external repository's source and its last sync; secrets are never part of it. */
    public record Remote(String url, String username, int pollSeconds, String webhookUrl, Instant lastSyncAt,
                         String lastSyncCommit, String lastSyncError) {
    }
}
