package dev.berth.platform.sso;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The link from a person at an identity provider (issuer and subject) to a Berth user. */
@Repository
class ExternalIdentityStore {
    private final JdbcClient jdbc;

    ExternalIdentityStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The linked user's id, noting the sign-in. */
    Optional<Long> touch(String issuer, String subject, Instant now) {
        return jdbc.sql("UPDATE external_identities SET last_seen = ? WHERE issuer = ? AND subject = ? RETURNING user_id")
                .params(Timestamp.from(now), issuer, subject).query(Long.class).optional();
    }

    /** Links; false when the identity was linked meanwhile (a second sign-in racing the first). */
    boolean link(String issuer, String subject, long userId, Instant now) {
        return jdbc.sql("""
                INSERT INTO external_identities (issuer, subject, user_id, created_at, last_seen) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (issuer, subject) DO NOTHING""")
                .params(issuer, subject, userId, Timestamp.from(now), Timestamp.from(now)).update() > 0;
    }
}
