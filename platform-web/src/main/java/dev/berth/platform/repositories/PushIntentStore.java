package dev.berth.platform.repositories;

import dev.berth.gitsync.CommitId;
import dev.berth.gitsync.Person;
import dev.berth.gitsync.hosted.PushedCommit;
import dev.berth.platform.audit.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Pushes in flight ({@link PushIntent}), and the newest recorded definition a dropped push's route claims fall back to. */
@Repository
class PushIntentStore {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SELECT = """
            SELECT id, repository_id, ref, old_commit, new_commit, branch, pushed_by, actor_type, actor, author_name,
                   author_email, author_at, committer_name, committer_email, committer_at, message, signature,
                   definition_yaml, definition::text AS definition, pinned::text AS pinned, revision_id
            FROM push_intents""";

    private final JdbcClient jdbc;

    PushIntentStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inside the review's transaction; returns the intent's id. */
    long insert(PushIntent i, Instant now) {
        var c = i.commit();
        return jdbc.sql("""
                INSERT INTO push_intents (repository_id, ref, old_commit, new_commit, branch, pushed_by, actor_type, actor,
                    author_name, author_email, author_at, committer_name, committer_email, committer_at, message, signature,
                    definition_yaml, definition, pinned, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?) RETURNING id""")
                .params(i.repositoryId(), i.ref(), i.from() == null ? null : i.from().hex(), i.to().hex(), i.branch(), i.pushedBy(),
                        i.actor().type().name(), i.actor().name(), c.author().name(), c.author().email(),
                        Timestamp.from(c.author().when()), c.committer().name(), c.committer().email(),
                        Timestamp.from(c.committer().when()), c.message(), i.passed().signature(),
                        new String(i.passed().yaml(), StandardCharsets.UTF_8), DefinitionJson.write(i.passed().definition()),
                        JSON.writeValueAsString(i.passed().pinned()), Timestamp.from(now))
                .query(Long.class).single();
    }

    Optional<PushIntent> find(long repositoryId, CommitId to) {
        return jdbc.sql(SELECT + " WHERE repository_id = ? AND new_commit = ? ORDER BY id DESC LIMIT 1")
                .params(repositoryId, to.hex()).query(PushIntentStore::intent).optional();
    }

    List<PushIntent> ofRepository(long repositoryId) {
        return jdbc.sql(SELECT + " WHERE repository_id = ? ORDER BY id").param(repositoryId).query(PushIntentStore::intent).list();
    }

    /** Repositories with an intent: the candidates of a recovery round. */
    List<Long> repositoriesWithIntents() {
        return jdbc.sql("SELECT DISTINCT repository_id FROM push_intents ORDER BY repository_id").query(Long.class).list();
    }

    /** Inside the revision's transaction. */
    void markRecorded(long id, long revisionId) {
        jdbc.sql("UPDATE push_intents SET revision_id = ? WHERE id = ?").params(revisionId, id).update();
    }

    void delete(long id) {
        jdbc.sql("DELETE FROM push_intents WHERE id = ?").param(id).update();
    }

    /** The definition of the repository's newest revision, if it has one. */
    Optional<String> newestDefinition(long repositoryId) {
        return jdbc.sql("SELECT definition::text FROM revisions WHERE repository_id = ? ORDER BY id DESC LIMIT 1")
                .param(repositoryId).query(String.class).optional();
    }

    private static PushIntent intent(ResultSet rs, int n) throws SQLException {
        String old = rs.getString("old_commit");
        var to = new CommitId(rs.getString("new_commit"));
        var commit = new PushedCommit(to,
                new Person(rs.getString("author_name"), rs.getString("author_email"), rs.getTimestamp("author_at").toInstant()),
                new Person(rs.getString("committer_name"), rs.getString("committer_email"), rs.getTimestamp("committer_at").toInstant()),
                rs.getString("message"));
        var pinned = Arrays.asList(JSON.readValue(rs.getString("pinned"), Revision.PinnedImage[].class));
        var passed = new DefinitionReview.Passed(rs.getString("definition_yaml").getBytes(StandardCharsets.UTF_8),
                DefinitionJson.read(rs.getString("definition")), List.copyOf(pinned), rs.getString("signature"));
        long recorded = rs.getLong("revision_id");
        Long revision = rs.wasNull() ? null : recorded;
        return new PushIntent(rs.getLong("id"), rs.getLong("repository_id"), rs.getString("ref"), old == null ? null : new CommitId(old),
                to, rs.getString("branch"), rs.getString("pushed_by"),
                new AuditEvent.Actor(AuditEvent.ActorType.valueOf(rs.getString("actor_type")), rs.getString("actor")), commit, passed,
                revision);
    }
}
