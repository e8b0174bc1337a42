package dev.berth.platform.repositories;

import dev.berth.gitsync.CommitId;
import dev.berth.gitsync.hosted.PushedCommit;
import dev.berth.platform.audit.AuditEvent;

/**
 * A reviewed push to a deploy branch whose refs may be moving: what recording its revision needs,
 * kept in the database from the review's transaction until the revision and its audit event are
 * committed, so that whichever platform instance finds it after a crash records it exactly as the
 * push would have ({@link PushRecovery}).
 *
 * @param from the ref's commit before the push, or null when the push creates the branch
 * @param revisionId the revision once recorded; then only its audit event may be missing
 */
record PushIntent(long id, long repositoryId, String ref, CommitId from, CommitId to, String branch, String pushedBy,
                  AuditEvent.Actor actor, PushedCommit commit, DefinitionReview.Passed passed, Long revisionId) {

    /** What happened to the push, from where its ref points now. */
    enum Fate { RECORDED, MOVED, NOT_MOVED }

    /** Pure: a recorded intent waits only for its audit event; otherwise the ref on disk says whether the push happened. */
    Fate fate(CommitId refNow) {
        if (revisionId != null) return Fate.RECORDED;
        return to.equals(refNow) ? Fate.MOVED : Fate.NOT_MOVED;
    }
}
