package dev.berth.platform.repositories;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;

/**
 * A repository a team deploys from, as the API and dashboard show it.
 *
 * @param cloneUrl where to push (hosted) or null (external)
 * @param remote where it is fetched from (external) or null (hosted)
 */
public record Repository(long id, String team, String name, String kind, String deployBranch, String definitionPath,
                         Instant createdAt, String createdBy, String cloneUrl, Remote remote) {
    /**
     * An external repository's source and its last sync; secrets are never part of it.
     *
     * @param lastSyncAt when the last fetch finished
     * @param lastSyncCommit the last good commit, the one the newest revision came from
     * @param sync the current or last fetch in full
     */
    public record Remote(String url, String username, int pollSeconds, String webhookUrl, Instant lastSyncAt,
                         String lastSyncCommit, String lastSyncError, Sync sync) {
    }

    /**
     * An external repository's current or last fetch: registering one starts its first at once.
     *
     * @param trigger what started it: {@code registration}, {@code poll}, {@code webhook} or a user's name; null while queued
     * @param finishedAt null while queued, or for the first fetch while it runs
     * @param commit what the last finished fetch brought, good or not; null when it could not fetch
     * @param revision the revision recorded from the last good commit, null before the first
     * @param error why the last finished fetch failed, for people; null when it succeeded
     */
    public record Sync(SyncState state, String trigger, Instant startedAt, Instant finishedAt, String commit, Long revision,
                       String error) {
    }

    /** Where an external repository's fetch stands. */
    public enum SyncState {
        /** Registered; its first fetch has not started yet. */
        QUEUED("queued"),
        /** A fetch runs now. */
        SYNCING("syncing"),
        /** The last fetch brought a good commit, recorded or already known. */
        SUCCEEDED("succeeded"),
        /** The last fetch failed, or brought a commit that failed its checks; the last good revision stays. */
        FAILED("failed");

        private final String value;

        SyncState(String value) {
            this.value = value;
        }

        @JsonValue
        public String value() {
            return value;
        }
    }
}
