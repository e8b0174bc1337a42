package dev.berth.platform.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.problem.ProblemWriter;
import jakarta.servlet.FilterChain;
import dev.berth.platform.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class OutageFilterTest {
    /** What Hikari throws while the database is away: its last try to connect failed, and says so. */
    private static final FilterChain DATABASE_DOWN = (request, response) -> {
        response.getWriter().write("half an answer");
        throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                new SQLTransientConnectionException("berth - Connection is not available, request timed out after 5000ms", "08001",
                        new SQLException("Connection to localhost:5432 refused", "08001")));
    };
    /** Every connection was busy: the pool timed out with no failure to connect. */
    private static final FilterChain POOL_EXHAUSTED = (request, response) -> {
        response.getWriter().write("half an answer");
        throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                new SQLTransientConnectionException("berth - Connection is not available, request timed out after 5000ms"));
    };

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private boolean databaseAnswers = true;
    private int probes;
    private final PoolTimeouts poolTimeouts = new PoolTimeouts(() -> {
        probes++;
        return databaseAnswers;
    }, meters, new MutableClock());

    private OutageFilter filter() {
        return new OutageFilter(new ProblemWriter(), poolTimeouts);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "/api/v1/teams, application/problem+json",
            "/agent/v1/heartbeat, application/problem+json",
            "/actuator/prometheus, application/problem+json",
            "/git/team/web.git/info/refs, text/plain;charset=UTF-8",
            "/apps, text/html;charset=UTF-8",
            "/, text/html;charset=UTF-8"})
    void eachAreaIsToldInItsOwnForm(String path, String contentType) throws Exception {
        var response = new MockHttpServletResponse();
        filter().doFilter(new MockHttpServletRequest("GET", path), response, DATABASE_DOWN);
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentType()).startsWith(contentType);
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        String body = response.getContentAsString();
        assertThat(body).doesNotContain("half an answer").doesNotContain("Exception").doesNotContain("JDBC");
        if (contentType.startsWith("text/html")) {
            assertThat(body).contains("The platform's database is unreachable; running apps are not affected. Try again shortly.");
        } else {
            assertThat(body).contains(DatabaseOutage.SENTENCE);
        }
    }

    @Test
    void otherFailuresPassOnUnchanged() {
        var response = new MockHttpServletResponse();
        FilterChain bug = (request, r) -> {
            throw new IllegalStateException("a bug");
        };
        assertThatThrownBy(() -> filter().doFilter(new MockHttpServletRequest("GET", "/api/v1/teams"),
                response, bug)).isInstanceOf(IllegalStateException.class).hasMessage("a bug");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "/api/v1/teams, application/problem+json",
            "/git/team/web.git/info/refs, text/plain;charset=UTF-8",
            "/apps, text/html;charset=UTF-8"})
    void aPoolTimeoutWhileTheDatabaseAnswersSaysThePlatformIsOverloaded(String path, String contentType) throws Exception {
        var response = new MockHttpServletResponse();
        filter().doFilter(new MockHttpServletRequest("GET", path), response, POOL_EXHAUSTED);
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentType()).startsWith(contentType);
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        String body = response.getContentAsString();
        assertThat(body).doesNotContain("half an answer").doesNotContain("Exception").doesNotContain("unreachable");
        assertThat(body).containsIgnoringCase("the platform is overloaded: no database connection was free within 5 s; try again");
        assertThat(meters.get(PoolTimeouts.METER).tag("database", "answers").counter().count()).isEqualTo(1);
    }

    @Test
    void aPoolTimeoutWhileTheDatabaseIsAwayIsAnOutage() throws Exception {
        databaseAnswers = false;
        var response = new MockHttpServletResponse();
        filter().doFilter(new MockHttpServletRequest("GET", "/api/v1/teams"), response, POOL_EXHAUSTED);
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentAsString()).contains(DatabaseOutage.SENTENCE);
        assertThat(meters.get(PoolTimeouts.METER).tag("database", "unreachable").counter().count()).isEqualTo(1);
    }

    @Test
    void anOutageTheFailureSaysItselfAsksTheDatabaseNothing() throws Exception {
        var response = new MockHttpServletResponse();
        filter().doFilter(new MockHttpServletRequest("GET", "/api/v1/teams"), response, DATABASE_DOWN);
        assertThat(response.getContentAsString()).contains(DatabaseOutage.SENTENCE);
        assertThat(probes).isZero();
    }
}
