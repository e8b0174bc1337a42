package dev.berth.platform.repositories;

import dev.berth.gitsync.CommitId;
import dev.berth.gitsync.hosted.HostedRepositories;
import dev.berth.gitsync.hosted.RepositoryName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Completes or undoes pushes a platform left half done ({@link PushIntent}s, and deploy-branch
 * deletions: {@link BranchDeletion}s, audited when the branch is gone and dropped when it is not). A live push holds
 * its repository's {@link PushLocks push lock} from before its intent is written until the intent
 * is gone, so an intent whose lock is free was left by a platform that died (or a request that
 * failed): the ref on disk then says what happened. At the new commit the push is recorded exactly
 * as the push would have recorded it; anywhere else it did not happen, and the intent goes with
 * the routes its review reserved (the repository's claims fall back to its newest revision's).
 * Runs at startup, every {@link PushRecoveryJob} tick, and before every push to the repository.
 */
@Component
class PushRecovery {
    private static final Logger log = LoggerFactory.getLogger(PushRecovery.class);

    private final PushIntentStore intents;
    private final BranchDeletionStore deletions;
    private final RepositoryStore repositories;
    private final HostedRepositories hosted;
    private final PushRecording recording;
    private final PushLocks locks;
    private final RouteClaims claims;
    private final TransactionTemplate tx;

    PushRecovery(PushIntentStore intents, BranchDeletionStore deletions, RepositoryStore repositories, HostedRepositories hosted,
                 PushRecording recording, PushLocks locks, RouteClaims claims, TransactionTemplate tx) {
        this.intents = intents;
        this.deletions = deletions;
        this.repositories = repositories;
        this.hosted = hosted;
        this.recording = recording;
        this.locks = locks;
        this.claims = claims;
        this.tx = tx;
    }

    /**
     * Before the instance says it is ready, every unfinished push is settled. It waits for each
     * repository's lock rather than passing over one that is held: at startup the holder may be this
     * instance's own recovery job, already settling it, and readiness must not come before that has.
     */
    @EventListener(ApplicationReadyEvent.class)
    void atStartup() {
        int settled = 0;
        for (long repositoryId : unsettled()) {
            try (var held = locks.acquire(repositoryId)) {
                settled += settle(repositoryId);
            } catch (RuntimeException e) {
                log.error("settling unfinished pushes of repository {} failed; the recovery job tries again", repositoryId, e);
            }
        }
        if (settled > 0) log.info("settled {} pushes a stopped platform left unfinished", settled);
    }

    /** Settles every repository's intents whose push lock is free; returns how many intents it settled. */
    int recoverAll() {
        int settled = 0;
        for (long repositoryId : unsettled()) {
            var lock = locks.tryAcquire(repositoryId);
            if (lock.isEmpty()) continue; // a push is under way there; it settles its own
            try (var held = lock.get()) {
                settled += settle(repositoryId);
            } catch (RuntimeException e) {
                log.error("settling unfinished pushes of repository {} failed; the next round tries again", repositoryId, e);
            }
        }
        return settled;
    }

    /** Repositories with an intent or a branch deletion in flight. */
    private java.util.SortedSet<Long> unsettled() {
        var ids = new java.util.TreeSet<>(intents.repositoriesWithIntents());
        ids.addAll(deletions.repositories());
        return ids;
    }

    /** The caller holds the repository's push lock. Returns how many intents and deletions it settled. */
    int settle(long repositoryId) {
        var repo = repositories.find(repositoryId).orElse(null);
        if (repo == null) return 0; // its intents went with it
        List<BranchDeletion> deleting = deletions.ofRepository(repositoryId);
        for (BranchDeletion deletion : deleting) {
            if (deletion.happened(refNow(repo, deletion.ref()))) recording.recordDeletion(repo, deletion);
            else deletions.delete(deletion.id());
        }
        List<PushIntent> open = intents.ofRepository(repositoryId);
        for (PushIntent intent : open) {
            switch (intent.fate(intent.revisionId() != null ? null : refNow(repo, intent.ref()))) {
                case RECORDED -> recording.finishRecorded(repo, intent);
                case MOVED -> {
                    try {
                        long revision = recording.record(repo, intent).revision();
                        log.info("recorded revision {} of {}/{} for {}, pushed before a platform stopped", revision, repo.team(),
                                repo.name(), intent.to().abbreviated());
                    } catch (DefinitionReview.RouteTaken e) {
                        log.error("{}/{}: {} moved to {} but cannot be recorded: {}", repo.team(), repo.name(), intent.ref(),
                                intent.to().abbreviated(), e.getMessage());
                        drop(repo, intent);
                    }
                }
                case NOT_MOVED -> drop(repo, intent);
            }
        }
        return deleting.size() + open.size();
    }

    private CommitId refNow(RepositoryStore.Row repo, String ref) {
        try {
            return hosted.ref(new RepositoryName(repo.team(), repo.name()), ref).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ref + " of " + repo.team() + "/" + repo.name(), e);
        }
    }

    /** The push did not happen: its intent goes, and the routes its review reserved with it. */
    private void drop(RepositoryStore.Row repo, PushIntent intent) {
        tx.executeWithoutResult(s -> {
            intents.delete(intent.id());
            var newest = intents.newestDefinition(repo.id()).map(DefinitionJson::read).map(RouteReview::claims).orElse(List.of());
            if (!claims.replace(repo.teamId(), repo.id(), newest).isEmpty()) {
                // Another repository took a route this one held before the push: it keeps it.
                claims.replace(repo.teamId(), repo.id(), List.of());
            }
        });
    }
}
