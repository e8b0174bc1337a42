package dev.berth.platform.repositories;

import dev.berth.gitsync.CommitId;
import dev.berth.platform.audit.AuditEvent;

/**
 * A reviewed deletion of a deploy branch whose ref may be going: kept from the review until its
 * audit event is written, so that a platform dying in between leaves the deletion to be audited
 * by whichever instance finds it ({@link PushRecovery}), rather than not at all.
 *
 * @param from the branch's commit when the deletion was reviewed
 */
record BranchDeletion(long id, long repositoryId, String ref, CommitId from, AuditEvent.Actor actor) {

    /** Pure: the deletion happened when the ref is gone from disk ({@code refNow} null). */
    boolean happened(CommitId refNow) {
        return refNow == null;
    }
}
