package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * What must hold of a repository whatever became of its pushes: its deploy branch points at its
 * newest revision's commit, every revision has its audit event and a deployment, no push is left
 * in flight, and the audit chain verifies. Read straight from the database and the bare repository.
 */
record PushInvariant(Api root, TestDatabase.Target database, Path gitDir) {

    static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Path bare(String team, String repository) {
        return gitDir.resolve(team).resolve(repository + ".git");
    }

    long repositoryId(String team, String repository) throws Exception {
        try (var c = database.connect(); var st = c.prepareStatement(
                "SELECT r.id FROM repositories r JOIN teams t ON t.id = r.team_id WHERE t.name = ? AND r.name = ?")) {
            st.setString(1, team);
            st.setString(2, repository);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The repository's revisions' commits, oldest first. */
    List<String> revisions(String team, String repository) throws Exception {
        try (var c = database.connect(); var st = c.prepareStatement("SELECT commit_id FROM revisions WHERE repository_id = ? ORDER BY id")) {
            st.setLong(1, repositoryId(team, repository));
            var out = new ArrayList<String>();
            try (var rs = st.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        }
    }

    /** Pushes in flight of either kind: intents to record and deploy-branch deletions to audit. */
    long openIntents() throws Exception {
        try (var c = database.connect(); var st = c.createStatement(); var rs = st.executeQuery(
                "SELECT (SELECT count(*) FROM push_intents) + (SELECT count(*) FROM push_deletions)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Where the deploy branch points on disk. */
    String main(String team, String repository) throws Exception {
        return new GitCli(gitDir).ok(bare(team, repository), "rev-parse", "refs/heads/main").strip();
    }

    void holds(String team, String repository) throws Exception {
        var revisions = revisions(team, repository);
        assertThat(main(team, repository)).as("the deploy branch is at the newest revision").isEqualTo(revisions.getLast());
        try (var c = database.connect(); var st = c.prepareStatement("""
                SELECT v.id,
                       (SELECT count(*) FROM audit_events e WHERE e.action = 'repository.push' AND e.outcome = 'SUCCESS'
                          AND e.details LIKE '%"revision":"' || v.id || '"%'),
                       (SELECT count(*) FROM deployments d WHERE d.revision_id = v.id)
                FROM revisions v WHERE v.repository_id = ? ORDER BY v.id""")) {
            st.setLong(1, repositoryId(team, repository));
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    assertThat(rs.getLong(2)).as("audit events of revision %d", rs.getLong(1)).isEqualTo(1);
                    assertThat(rs.getLong(3)).as("deployments of revision %d", rs.getLong(1)).isPositive();
                }
            }
        }
        assertThat(root.get("/api/v1/audit/verify").json().get("intact").asBoolean()).as("the audit chain verifies").isTrue();
    }

    /** Waits until {@code pushes} sessions wait for the repository's push lock. */
    void awaitWaitingForPushLock(String team, String repository, int pushes) throws Exception {
        long id = repositoryId(team, repository);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        try (var c = database.connect(); var st = c.prepareStatement("""
                SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = ? AND objid = ?
                  AND objsubid = 2""")) {
            st.setLong(1, PushLocks.PUSHES);
            st.setLong(2, PushLocks.key(id));
            while (System.nanoTime() < deadline) {
                try (var rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) >= pushes) return;
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError(pushes + " pushes did not come to wait for the push lock of " + team + "/" + repository);
    }

    /** Holds the repository's push lock as another instance's push would, until closed. */
    Connection holdPushLock(String team, String repository) throws Exception {
        long id = repositoryId(team, repository);
        Connection c = database.connect();
        try (var st = c.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
            st.setInt(1, PushLocks.PUSHES);
            st.setInt(2, PushLocks.key(id));
            st.execute();
        }
        return c; // the session's end releases the lock
    }
}
