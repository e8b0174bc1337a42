package dev.berth.platform.operations.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/** The dashboard's pop-up says what the 503 and the error page say: the database away, or the platform overloaded. */
class OutageNoticesTest {
    private static final SQLTransientConnectionException POOL_TIMEOUT =
            new SQLTransientConnectionException("berth - Connection is not available, request timed out after 5000ms");

    @Test
    void aPoolTimeoutWhileTheDatabaseAnswersSaysThePlatformIsOverloaded() {
        var notice = OutageNotices.notice(new CannotGetJdbcConnectionException("no connection", POOL_TIMEOUT), true);
        assertThat(notice.text()).isEqualTo("The platform is overloaded: no database connection was free within 5 s; try again.");
        assertThat(notice.id()).isEqualTo("platform-overloaded-notice");

        var unsaid = OutageNotices.notice(new SQLTransientConnectionException("berth - Connection is not available"), true);
        assertThat(unsaid.text()).as("a pool that did not say how long")
                .isEqualTo("The platform is overloaded: no database connection was free within the pool's timeout; try again.");
    }

    @Test
    void otherwiseItSaysTheDatabaseCannotBeReached() {
        for (Throwable failure : new Throwable[] {POOL_TIMEOUT, new SQLException("Connection refused", "08001")}) {
            var notice = OutageNotices.notice(failure, false);
            assertThat(notice.text()).as("%s", failure)
                    .isEqualTo("The platform cannot reach its database; running apps are not affected. Try again in a few seconds.");
            assertThat(notice.id()).isEqualTo("database-unavailable-notice");
        }
    }
}
