package dev.berth.platform.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.operations.DatabaseOutage.Kind;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

class DatabaseOutageTest {
    static Stream<Arguments> failures() {
        var poolTimeout = new SQLTransientConnectionException("berth - Connection is not available, request timed out after 5000ms");
        // What Hikari throws while its last try to connect failed: the connection failure as cause and state.
        var poolTimeoutDatabaseAway = new SQLTransientConnectionException(
                "berth - Connection is not available, request timed out after 5001ms (total=0, active=0, idle=0, waiting=0)",
                "08001", new SQLException("Connection to localhost:5432 refused", "08001"));
        return Stream.of(
                Arguments.of("the pool timed out", poolTimeout, Kind.POOL_TIMEOUT),
                Arguments.of("the pool timed out, its last connect refused", poolTimeoutDatabaseAway, Kind.UNREACHABLE),
                Arguments.of("no connection for a transaction", new CannotCreateTransactionException("could not open", poolTimeout),
                        Kind.POOL_TIMEOUT),
                Arguments.of("no connection for a query, the pool timed out",
                        new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", poolTimeout), Kind.POOL_TIMEOUT),
                Arguments.of("no connection for a query, the database away",
                        new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", poolTimeoutDatabaseAway), Kind.UNREACHABLE),
                Arguments.of("no connection for a query", new CannotGetJdbcConnectionException("failed", new SQLException("x")),
                        Kind.UNREACHABLE),
                Arguments.of("connection refused (08001)", new SQLException("Connection refused", "08001"), Kind.UNREACHABLE),
                Arguments.of("connection broke mid-query (08006)",
                        new DataAccessResourceFailureException("query", new SQLException("I/O error", "08006")), Kind.UNREACHABLE),
                Arguments.of("the server shut down (57P01)", new RuntimeException(new SQLException("terminating", "57P01")),
                        Kind.UNREACHABLE),
                Arguments.of("the server is starting (57P03)", new SQLException("the database system is starting up", "57P03"),
                        Kind.UNREACHABLE),
                Arguments.of("a unique key clash", new DataIntegrityViolationException("dup", new SQLException("dup", "23505")),
                        Kind.OTHER),
                Arguments.of("a query cancelled (57014)", new SQLException("cancelled", "57014"), Kind.OTHER),
                Arguments.of("no SQL state", new SQLException("odd"), Kind.OTHER),
                Arguments.of("nothing to do with the database", new IllegalStateException("x"), Kind.OTHER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void tellsAnOutageAndAPoolTimeoutFromOtherFailures(String name, Throwable failure, Kind kind) {
        assertThat(DatabaseOutage.kind(failure)).isEqualTo(kind);
        assertThat(DatabaseOutage.in(failure)).isEqualTo(kind != Kind.OTHER);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void anOutageIsFoundBehindOtherWrappers(String name, Throwable failure, Kind kind) {
        assertThat(DatabaseOutage.kind(new IllegalStateException("wrapped", new RuntimeException(failure)))).isEqualTo(kind);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "berth - Connection is not available, request timed out after 5000ms.|the platform is overloaded: no database connection was free within 5 s; try again",
            "pushes - Connection is not available, request timed out after 1500ms (total=2)|the platform is overloaded: no database connection was free within 2 s; try again",
            "berth - Connection is not available, request timed out after 200ms.|the platform is overloaded: no database connection was free within 1 s; try again",
            "Connection is not available|the platform is overloaded: no database connection was free within the pool's timeout; try again"})
    void theOverloadSentenceSaysHowLongThePoolMadeTheCallerWait(String hikari, String sentence) {
        var failure = new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", new SQLTransientConnectionException(hikari));
        assertThat(DatabaseOutage.overloaded(DatabaseOutage.poolTimeout(failure))).isEqualTo(sentence);
    }

    @org.junit.jupiter.api.Test
    void aCycleOfCausesEnds() {
        var a = new RuntimeException("a");
        var b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(DatabaseOutage.in(a)).isFalse();
    }
}
