package dev.berth.platform.repositories;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.berth.platform.database.DatabaseRoles;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

/**
 * One push at a time per hosted repository, across every platform instance on the database: a
 * PostgreSQL session advisory lock {@code (PUSHES, repository id)}, held from the review through
 * the ref update and the recording. Each lock lives on a connection of a small pool of its own, so
 * pushes waiting for a repository never hold the connections their own transactions need, and a
 * platform that dies releases its locks with its connections.
 */
@Component
class PushLocks implements AutoCloseable {
    /** The advisory lock class of pushes (the reconciler's are {@code 0x626572xx} too). */
    static final int PUSHES = 0x62657210;
    /** How long a push waits behind another push to the same repository. */
    private static final String WAIT = "120s";

    private final HikariDataSource pool;

    PushLocks(DatabaseRoles roles) {
        var config = new HikariConfig();
        config.setPoolName("berth-push-locks");
        config.setMaximumPoolSize(16);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(120_000);
        config.setJdbcUrl(roles.url());
        config.setUsername(roles.app().user());
        config.setPassword(roles.app().password());
        this.pool = new HikariDataSource(config);
    }

    /** A held lock; closing it releases the lock and returns its connection. */
    final class Held implements AutoCloseable {
        private final Connection connection;
        private final long repositoryId;
        private boolean released;

        private Held(Connection connection, long repositoryId) {
            this.connection = connection;
            this.repositoryId = repositoryId;
        }

        long repositoryId() {
            return repositoryId;
        }

        @Override
        public void close() {
            if (released) return;
            released = true;
            try (var st = connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                st.setInt(1, PUSHES);
                st.setInt(2, key(repositoryId));
                st.execute();
            } catch (SQLException e) {
                // A session that may still hold the lock never goes back to the pool: closed, it releases the lock.
                pool.evictConnection(connection);
                return;
            }
            closeQuietly(connection);
        }
    }

    /** Waits until no other push to the repository is under way, on any instance. */
    Held acquire(long repositoryId) {
        Connection c = connect();
        try {
            try (var st = c.createStatement()) {
                st.execute("SET lock_timeout = '" + WAIT + "'");
            }
            try (var st = c.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
                st.setInt(1, PUSHES);
                st.setInt(2, key(repositoryId));
                st.execute();
            }
            try (var st = c.createStatement()) {
                st.execute("RESET lock_timeout");
            }
            return new Held(c, repositoryId);
        } catch (SQLException e) {
            pool.evictConnection(c);
            throw new DataAccessResourceFailureException("another push to this repository took longer than " + WAIT
                    + ", or the database failed: " + e.getMessage(), e);
        }
    }

    /** The lock if no push to the repository is under way, else empty. */
    Optional<Held> tryAcquire(long repositoryId) {
        Connection c = connect();
        try (var st = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            st.setInt(1, PUSHES);
            st.setInt(2, key(repositoryId));
            try (var rs = st.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) return Optional.of(new Held(c, repositoryId));
            }
            closeQuietly(c);
            return Optional.empty();
        } catch (SQLException e) {
            pool.evictConnection(c);
            throw new DataAccessResourceFailureException("could not take a push lock: " + e.getMessage(), e);
        }
    }

    /** Repository ids beyond an int share keys: unrelated repositories then merely take turns. */
    static int key(long repositoryId) {
        return (int) (repositoryId ^ (repositoryId >>> 32));
    }

    private Connection connect() {
        try {
            var c = pool.getConnection();
            c.setAutoCommit(true);
            return c;
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("no database connection for a push lock: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the pool discards a broken connection
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
