package dev.berth.platform.repositories;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Repositories, revisions and app ownership in PostgreSQL. */
@Component
public class RepositoryStore {
    private final JdbcClient jdbc;

    public RepositoryStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A repository row; external repositories also carry their remote and the state of their last sync. */
    public record Row(long id, long teamId, String team, String name, String kind, String deployBranch, String definitionPath,
                      Instant createdAt, String createdBy, Remote remote, boolean requireSigned, SyncProgress sync) {
        public boolean external() {
            return remote != null;
        }
    }

    /**
     * An external repository's current or last fetch, beside {@link Remote}'s last sync time, good
     * commit and error.
     *
     * @param state null until a fetch starts
     * @param fetchedCommit what the last fetch brought, good or not; null when the fetch itself failed
     * @param revision the revision of the last good commit
     */
    public record SyncProgress(String state, String trigger, Instant startedAt, String fetchedCommit, Long revision) {
    }

    /** Where an external repository is fetched from; the secrets are sealed. */
    public record Remote(String url, String username, byte[] sealedSecret, byte[] sealedWebhookSecret, int pollSeconds,
                         Instant lastSyncAt, String lastSyncCommit, String lastSyncError) {
    }

    private static final String SELECT = """
            SELECT r.id, r.team_id, t.name AS team, r.name, r.kind, r.deploy_branch, r.definition_path, r.created_at, r.created_by,
                   r.remote_url, r.remote_username, r.remote_secret, r.webhook_secret, r.poll_seconds, r.last_sync_at,
                   r.last_sync_commit, r.last_sync_error, r.require_signed,
                   r.sync_state, r.sync_trigger, r.sync_started_at, r.sync_commit, r.last_sync_revision
            FROM repositories r JOIN teams t ON t.id = r.team_id""";

    public Optional<Row> find(long id) {
        return jdbc.sql(SELECT + " WHERE r.id = ?").param(id).query(RepositoryStore::row).optional();
    }

    /** External repositories whose poll interval has passed since their last sync. */
    public List<Row> dueForSync(Instant now) {
        return jdbc.sql(SELECT + " WHERE r.kind = 'EXTERNAL' AND (r.last_sync_at IS NULL"
                        + " OR r.last_sync_at + r.poll_seconds * interval '1 second' <= ?) ORDER BY r.last_sync_at NULLS FIRST")
                .param(Timestamp.from(now)).query(RepositoryStore::row).list();
    }

    public Optional<Long> insertExternal(long teamId, String name, String branch, String definitionPath, Remote remote,
                                         Instant now, String by) {
        return jdbc.sql("""
                INSERT INTO repositories (team_id, name, kind, deploy_branch, definition_path, created_at, created_by,
                                          remote_url, remote_username, remote_secret, webhook_secret, poll_seconds)
                VALUES (?, ?, 'EXTERNAL', ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (team_id, name) DO NOTHING RETURNING id""")
                .params(teamId, name, branch, definitionPath, Timestamp.from(now), by, remote.url(), remote.username(),
                        remote.sealedSecret(), remote.sealedWebhookSecret(), remote.pollSeconds())
                .query(Long.class).optional();
    }

    /** Notes that a fetch started, so the repository shows it as syncing. */
    public void syncStarted(long id, Instant at, String trigger) {
        jdbc.sql("UPDATE repositories SET sync_state = 'SYNCING', sync_started_at = ?, sync_trigger = ? WHERE id = ?")
                .params(Timestamp.from(at), trigger, id).update();
    }

    /**
     * Notes how a sync attempt ended: {@code commit} is the last good commit, {@code error} null when
     * this one succeeded.
     *
     * @param fetched what this attempt fetched, or null when the fetch failed
     * @param revision the revision this attempt recorded, or null to keep the last one
     */
    public void recordSync(long id, Instant at, String fetched, String commit, Long revision, String error) {
        jdbc.sql("""
                UPDATE repositories SET last_sync_at = ?, sync_commit = ?, last_sync_commit = ?,
                       last_sync_revision = COALESCE(?, last_sync_revision), last_sync_error = ?, sync_state = ?
                WHERE id = ?""")
                .params(Timestamp.from(at), fetched, commit, revision, error, error == null ? "SUCCEEDED" : "FAILED", id).update();
    }

    /**
     * Remembers a webhook delivery; false when it was seen before (a replay): the same delivery id,
     * or the same signed payload under any delivery id.
     */
    public boolean firstDelivery(long repositoryId, String deliveryId, String payloadDigest, Instant at) {
        return jdbc.sql("""
                INSERT INTO webhook_deliveries (repository_id, delivery_id, payload_digest, received_at) VALUES (?, ?, ?, ?)
                ON CONFLICT DO NOTHING""").params(repositoryId, deliveryId, payloadDigest, Timestamp.from(at)).update() == 1;
    }

    /** External repositories whose sealed values were sealed before they were bound to their row (V15). */
    public List<Row> withUnboundSeals() {
        return jdbc.sql(SELECT + " WHERE r.seals_unbound ORDER BY r.id").query(RepositoryStore::row).list();
    }

    /** Replaces the sealed values of a row still marked unbound; false when another instance did it first. */
    public boolean rebindSeals(long id, byte[] sealedSecret, byte[] sealedWebhookSecret) {
        return jdbc.sql("""
                UPDATE repositories SET remote_secret = ?, webhook_secret = ?, seals_unbound = false
                WHERE id = ? AND seals_unbound""").params(sealedSecret, sealedWebhookSecret, id).update() == 1;
    }

    public Optional<Row> find(String team, String name) {
        return jdbc.sql(SELECT + " WHERE t.name = ? AND r.name = ?").params(team, name).query(RepositoryStore::row).optional();
    }

    public List<Row> list(String team) {
        return jdbc.sql(SELECT + " WHERE t.name = ? ORDER BY r.name").param(team).query(RepositoryStore::row).list();
    }

    public Optional<Long> insert(long teamId, String name, String branch, String definitionPath, Instant now, String by) {
        return jdbc.sql("""
                INSERT INTO repositories (team_id, name, kind, deploy_branch, definition_path, created_at, created_by)
                VALUES (?, ?, 'HOSTED', ?, ?, ?, ?) ON CONFLICT (team_id, name) DO NOTHING RETURNING id""")
                .params(teamId, name, branch, definitionPath, Timestamp.from(now), by).query(Long.class).optional();
    }

    /** App name → the repository that owns it, for the given apps of a team. */
    public Map<String, String> owners(long teamId, List<String> apps) {
        if (apps.isEmpty()) return Map.of();
        return pairs(jdbc.sql("""
                SELECT o.app, r.name FROM app_owners o JOIN repositories r ON r.id = o.repository_id
                WHERE o.team_id = ? AND o.app = ANY (?)""")
                .params(teamId, apps.toArray(String[]::new)));
    }

    /**
     * App name → the stored definition (JSON) of the newest revision of the repository that owns
     * it, for those of {@code apps} that another repository than {@code repositoryId} owns and
     * still defines in its newest revision.
     */
    public Map<String, String> definitionsElsewhere(long teamId, long repositoryId, List<String> apps) {
        if (apps.isEmpty()) return Map.of();
        return pairs(jdbc.sql("""
                SELECT o.app, v.definition::text FROM app_owners o
                JOIN LATERAL (SELECT id, definition FROM revisions WHERE repository_id = o.repository_id ORDER BY id DESC LIMIT 1) v
                  ON true
                WHERE o.team_id = ? AND o.repository_id <> ? AND o.app = ANY (?)
                  AND EXISTS (SELECT 1 FROM revision_apps a WHERE a.revision_id = v.id AND a.app = o.app)""")
                .params(teamId, repositoryId, apps.toArray(String[]::new)));
    }

    /** The first two text columns as a map. */
    private static Map<String, String> pairs(JdbcClient.StatementSpec query) {
        return query.query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    public void claimApps(long teamId, long repositoryId, List<String> apps) {
        for (String app : apps) {
            jdbc.sql("INSERT INTO app_owners (team_id, app, repository_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                    .params(teamId, app, repositoryId).update();
        }
    }

    /** What an accepted push records. */
    public record NewRevision(long repositoryId, long teamId, String commit, String branch, String author, String committer,
                              String subject, String pushedBy, String signature, String definitionYaml, String definitionJson,
                              List<Revision.PinnedImage> images, Instant createdAt) {
    }

    public long insertRevision(NewRevision r) {
        long id = jdbc.sql("""
                INSERT INTO revisions (repository_id, commit_id, branch, author, committer, subject, pushed_by, signature,
                                       definition_yaml, definition, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?) RETURNING id""")
                .params(r.repositoryId(), r.commit(), r.branch(), r.author(), r.committer(), r.subject(), r.pushedBy(),
                        r.signature(), r.definitionYaml(), r.definitionJson(), Timestamp.from(r.createdAt()))
                .query(Long.class).single();
        for (var image : r.images()) {
            jdbc.sql("INSERT INTO revision_apps (revision_id, team_id, app, image, image_digest) VALUES (?, ?, ?, ?, ?)")
                    .params(id, r.teamId(), image.app(), image.image(), image.digest()).update();
        }
        return id;
    }

    private static final String SELECT_REVISION = """
            SELECT v.id, t.name AS team, r.name AS repository, v.commit_id, v.branch, v.author, v.committer, v.subject,
                   v.pushed_by, v.signature, v.created_at
            FROM revisions v JOIN repositories r ON r.id = v.repository_id JOIN teams t ON t.id = r.team_id""";

    /** Revisions that define {@code app}, newest first. */
    public List<Revision> revisionsOfApp(String team, String app, int limit) {
        var rows = jdbc.sql(SELECT_REVISION
                        + " WHERE t.name = ? AND EXISTS (SELECT 1 FROM revision_apps a WHERE a.revision_id = v.id AND a.app = ?)"
                        + " ORDER BY v.id DESC LIMIT ?").params(team, app, limit).query(RepositoryStore::revision).list();
        return withImages(rows);
    }

    /** Revisions of one repository, newest first. */
    public List<Revision> revisionsOfRepository(long repositoryId, int limit) {
        var rows = jdbc.sql(SELECT_REVISION + " WHERE v.repository_id = ? ORDER BY v.id DESC LIMIT ?")
                .params(repositoryId, limit).query(RepositoryStore::revision).list();
        return withImages(rows);
    }

    private List<Revision> withImages(List<Revision> rows) {
        var out = new ArrayList<Revision>();
        for (Revision r : rows) {
            var images = jdbc.sql("SELECT app, image, image_digest FROM revision_apps WHERE revision_id = ? ORDER BY app")
                    .param(r.id()).query((rs, n) -> new Revision.PinnedImage(rs.getString(1), rs.getString(2), rs.getString(3))).list();
            out.add(new Revision(r.id(), r.team(), r.repository(), r.commit(), r.branch(), r.author(), r.committer(), r.subject(),
                    r.pushedBy(), r.signature(), r.createdAt(), images));
        }
        return out;
    }

    private static Revision revision(ResultSet rs, int n) throws SQLException {
        return new Revision(rs.getLong("id"), rs.getString("team"), rs.getString("repository"), rs.getString("commit_id"),
                rs.getString("branch"), rs.getString("author"), rs.getString("committer"), rs.getString("subject"),
                rs.getString("pushed_by"), rs.getString("signature"), rs.getTimestamp("created_at").toInstant(), List.of());
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        Remote remote = null;
        SyncProgress sync = null;
        if ("EXTERNAL".equals(rs.getString("kind"))) {
            var lastSync = rs.getTimestamp("last_sync_at");
            remote = new Remote(rs.getString("remote_url"), rs.getString("remote_username"), rs.getBytes("remote_secret"),
                    rs.getBytes("webhook_secret"), rs.getInt("poll_seconds"), lastSync == null ? null : lastSync.toInstant(),
                    rs.getString("last_sync_commit"), rs.getString("last_sync_error"));
            var started = rs.getTimestamp("sync_started_at");
            sync = new SyncProgress(rs.getString("sync_state"), rs.getString("sync_trigger"),
                    started == null ? null : started.toInstant(), rs.getString("sync_commit"), rs.getObject("last_sync_revision", Long.class));
        }
        return new Row(rs.getLong("id"), rs.getLong("team_id"), rs.getString("team"), rs.getString("name"), rs.getString("kind"),
                rs.getString("deploy_branch"), rs.getString("definition_path"), rs.getTimestamp("created_at").toInstant(),
                rs.getString("created_by"), remote, rs.getBoolean("require_signed"), sync);
    }

    /** A trusted key as stored: enough to list it without parsing. */
    public record StoredKey(String fingerprint, String signer, String armored, String addedBy, Instant addedAt) {
    }

    public List<StoredKey> trustedKeys(long repositoryId) {
        return jdbc.sql("SELECT fingerprint, signer, armored, added_by, added_at FROM trusted_keys WHERE repository_id = ? ORDER BY added_at")
                .param(repositoryId).query((rs, n) -> new StoredKey(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getTimestamp(5).toInstant())).list();
    }

    public boolean addTrustedKey(long repositoryId, String fingerprint, String signer, String armored, String by, Instant at) {
        return jdbc.sql("""
                INSERT INTO trusted_keys (repository_id, fingerprint, signer, armored, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""").params(repositoryId, fingerprint, signer, armored, by, Timestamp.from(at)).update() == 1;
    }

    public boolean removeTrustedKey(long repositoryId, String fingerprint) {
        return jdbc.sql("DELETE FROM trusted_keys WHERE repository_id = ? AND fingerprint = ?").params(repositoryId, fingerprint).update() == 1;
    }

    public void setRequireSigned(long repositoryId, boolean required) {
        jdbc.sql("UPDATE repositories SET require_signed = ? WHERE id = ?").params(required, repositoryId).update();
    }
}
