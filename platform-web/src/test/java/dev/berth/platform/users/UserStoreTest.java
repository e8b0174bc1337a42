package dev.berth.platform.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.PlatformTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;

/** The users table through its store, against a real PostgreSQL. */
class UserStoreTest extends PlatformTest {
    @Autowired
    UserStore users;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

    @Test
    void usersAreUniqueAndTheSchemaRejectsBadNames() {
        long id = users.insert("repo-user", "{noop}x", false, now).orElseThrow();
        assertThat(users.insert("repo-user", "{noop}y", true, now)).isEmpty();
        var found = users.find("repo-user").orElseThrow();
        assertThat(found.id()).isEqualTo(id);
        assertThat(found.createdAt()).isEqualTo(now);
        assertThatThrownBy(() -> users.insert("Bad Name", "{noop}x", false, now))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void aPasswordChangeMovesTheCredentialsVersionOn() {
        long user = users.insert("repo-version", "{noop}x", false, now).orElseThrow();
        assertThat(users.credentialsVersion(user)).contains(0L);
        assertThat(users.setPassword(user, "{noop}y")).isEqualTo(1L);
        assertThat(users.find(user).orElseThrow().credentialsVersion()).isEqualTo(1L);
        assertThat(users.credentialsVersion(-5)).isEmpty();
    }
}
