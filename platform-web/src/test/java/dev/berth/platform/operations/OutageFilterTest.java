package dev.berth.platform.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.problem.ProblemWriter;
import jakarta.servlet.FilterChain;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class OutageFilterTest {
    private static final FilterChain DATABASE_DOWN = (request, response) -> {
        response.getWriter().write("half an answer");
        throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                new SQLTransientConnectionException("berth - Connection is not available, request timed out after 5000ms"));
    };

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
        new OutageFilter(new ProblemWriter()).doFilter(new MockHttpServletRequest("GET", path), response, DATABASE_DOWN);
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
        assertThatThrownBy(() -> new OutageFilter(new ProblemWriter()).doFilter(new MockHttpServletRequest("GET", "/api/v1/teams"),
                response, bug)).isInstanceOf(IllegalStateException.class).hasMessage("a bug");
    }
}
