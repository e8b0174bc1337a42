package dev.berth.platform.lockout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.PlatformTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Failed sign-ins through their store, against a real PostgreSQL. */
class LoginFailureStoreTest extends PlatformTest {
    @Autowired
    LoginFailureStore failures;

    @Autowired
    JdbcClient jdbc;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

    @Test
    void failuresAreCountedPerAccountAndAddressInsideTheWindowOnly() {
        long user = insertUser(jdbc, "repo-failures");
        failures.insert(user, "203.0.113.1", now.minusSeconds(3600));
        long mine = failures.insert(user, "203.0.113.1", now);
        failures.insert(null, "203.0.113.1", now);
        failures.insert(user, "203.0.113.2", now);
        var since = now.minusSeconds(900);
        assertThat(failures.ofAccountFrom(user, "203.0.113.1", since, -1)).containsExactly(now);
        assertThat(failures.ofAccountFrom(user, "203.0.113.1", since, mine)).isEmpty();
        assertThat(failures.from("203.0.113.1", since, -1)).hasSize(2);
        assertThat(failures.mostFromOneAddress(user, since)).isEqualTo(1);
        failures.pruneBefore(since);
        assertThat(failures.ofAccountFrom(user, "203.0.113.1", now.minusSeconds(99999), -1)).containsExactly(now);
        failures.clear(user, "203.0.113.1");
        assertThat(failures.ofAccountFrom(user, "203.0.113.1", now.minusSeconds(99999), -1)).isEmpty();
        assertThat(failures.from("203.0.113.1", since, -1)).as("the unknown user's failure stays").hasSize(1);
        failures.clearAccount(user);
        assertThat(failures.mostFromOneAddress(user, since)).isZero();
    }
}
