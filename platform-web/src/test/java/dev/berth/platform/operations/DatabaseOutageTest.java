package dev.berth.platform.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

class DatabaseOutageTest {
    static Stream<Arguments> failures() {
        var poolTimeout = new SQLTransientConnectionException("berth - Connection is not available, request timed out after 5000ms");
        return Stream.of(
                Arguments.of("the pool timed out", poolTimeout, true),
                Arguments.of("no connection for a transaction", new CannotCreateTransactionException("could not open", poolTimeout), true),
                Arguments.of("no connection for a query", new CannotGetJdbcConnectionException("failed", new SQLException("x")), true),
                Arguments.of("connection refused (08001)", new SQLException("Connection refused", "08001"), true),
                Arguments.of("connection broke mid-query (08006)",
                        new DataAccessResourceFailureException("query", new SQLException("I/O error", "08006")), true),
                Arguments.of("the server shut down (57P01)", new RuntimeException(new SQLException("terminating", "57P01")), true),
                Arguments.of("the server is starting (57P03)", new SQLException("the database system is starting up", "57P03"), true),
                Arguments.of("a unique key clash", new DataIntegrityViolationException("dup", new SQLException("dup", "23505")), false),
                Arguments.of("a query cancelled (57014)", new SQLException("cancelled", "57014"), false),
                Arguments.of("no SQL state", new SQLException("odd"), false),
                Arguments.of("nothing to do with the database", new IllegalStateException("x"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void tellsAnOutageFromOtherFailures(String name, Throwable failure, boolean outage) {
        assertThat(DatabaseOutage.in(failure)).isEqualTo(outage);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void anOutageIsFoundBehindOtherWrappers(String name, Throwable failure, boolean outage) {
        assertThat(DatabaseOutage.in(new IllegalStateException("wrapped", new RuntimeException(failure)))).isEqualTo(outage);
    }

    @org.junit.jupiter.api.Test
    void aCycleOfCausesEnds() {
        var a = new RuntimeException("a");
        var b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(DatabaseOutage.in(a)).isFalse();
    }
}
