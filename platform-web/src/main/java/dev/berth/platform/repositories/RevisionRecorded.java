package dev.berth.platform.repositories;

import dev.berth.platform.audit.AuditEvent;

/**
 * Published inside the transaction that records a revision, so listeners that write (the
 * deployments a revision starts) commit or roll back with it.
 *
 * @param revisionId the new revision
 * @param repositoryId its repository
 * @param teamId the repository's team
 * @param team the team's name
 * @param actor who pushed it, or the system for a sync
 */
public record RevisionRecorded(long revisionId, long repositoryId, long teamId, String team, AuditEvent.Actor actor) {
}
