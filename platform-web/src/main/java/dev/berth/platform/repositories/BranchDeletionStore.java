package dev.berth.platform.repositories;

import dev.berth.gitsync.CommitId;
import dev.berth.platform.audit.AuditEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Deploy-branch deletions in flight ({@link BranchDeletion}). */
@Repository
class BranchDeletionStore {
    private static final String SELECT = "SELECT id, repository_id, ref, old_commit, actor_type, actor FROM push_deletions";

    private final JdbcClient jdbc;

    BranchDeletionStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(BranchDeletion d, Instant now) {
        return jdbc.sql("""
                INSERT INTO push_deletions (repository_id, ref, old_commit, actor_type, actor, created_at)
                VALUES (?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(d.repositoryId(), d.ref(), d.from().hex(), d.actor().type().name(), d.actor().name(), Timestamp.from(now))
                .query(Long.class).single();
    }

    /** The newest deletion of {@code ref} reviewed in the repository. */
    Optional<BranchDeletion> find(long repositoryId, String ref) {
        return jdbc.sql(SELECT + " WHERE repository_id = ? AND ref = ? ORDER BY id DESC LIMIT 1")
                .params(repositoryId, ref).query(BranchDeletionStore::deletion).optional();
    }

    List<BranchDeletion> ofRepository(long repositoryId) {
        return jdbc.sql(SELECT + " WHERE repository_id = ? ORDER BY id").param(repositoryId).query(BranchDeletionStore::deletion).list();
    }

    /** Repositories with a deletion in flight: candidates of a recovery round, beside those with intents. */
    List<Long> repositories() {
        return jdbc.sql("SELECT DISTINCT repository_id FROM push_deletions ORDER BY repository_id").query(Long.class).list();
    }

    void delete(long id) {
        jdbc.sql("DELETE FROM push_deletions WHERE id = ?").param(id).update();
    }

    private static BranchDeletion deletion(ResultSet rs, int n) throws SQLException {
        return new BranchDeletion(rs.getLong("id"), rs.getLong("repository_id"), rs.getString("ref"),
                new CommitId(rs.getString("old_commit")),
                new AuditEvent.Actor(AuditEvent.ActorType.valueOf(rs.getString("actor_type")), rs.getString("actor")));
    }
}
