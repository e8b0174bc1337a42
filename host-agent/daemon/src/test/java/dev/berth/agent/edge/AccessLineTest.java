package dev.berth.agent.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessLineTest {
    private static AccessEntry entry(String method, String path, int status, Duration duration, long bytes) {
        return new AccessEntry(Instant.parse("2026-12-05T19:40:01.123456Z"), "acme/web", "shop.example.com", method, path, status,
                duration, bytes);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            GET    | /api/orders       | 200 | 3200000    | 512 | 2026-12-05T19:40:01.123Z GET /api/orders 200 3.2ms 512B
            POST   | /                 | 503 | 0          | 0   | 2026-12-05T19:40:01.123Z POST / 503 0.0ms 0B
            GET    | /a b              | 404 | 1520049000 | 9   | 2026-12-05T19:40:01.123Z GET /a%20b 404 1520.0ms 9B
            GET    | /caf\u00e9        | 200 | 50000      | 1   | 2026-12-05T19:40:01.123Z GET /caf%C3%A9 200 0.1ms 1B
            GET    | /100%25/x%zz      | 200 | 50000      | 1   | 2026-12-05T19:40:01.123Z GET /100%25/x%25zz 200 0.1ms 1B
            'BR EW' | /x\\nGET /forged  | 200 | 50000      | 1   | 2026-12-05T19:40:01.123Z BR%20EW /x%0AGET%20/forged 200 0.1ms 1B
            ''     | ''                | 400 | 50000      | 0   | 2026-12-05T19:40:01.123Z - - 400 0.1ms 0B
            """)
    void oneLineOfSixFieldsPerRequest(String method, String path, int status, long nanos, long bytes, String line) {
        String formatted = AccessLine.format(entry(method, unescape(path), status, Duration.ofNanos(nanos), bytes));
        assertThat(formatted).isEqualTo(line).doesNotContain("\n");
        assertThat(formatted.split(" ")).hasSize(6);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", textBlock = """
            acme/web,               edge_acme.web
            a/b,                    edge_a.b
            acme/web-2,             edge_acme.web-2
            acme,                   null
            acme/../etc,            null
            ../x/y,                 null
            Acme/web,               null
            acme/web/x,             null
            1acme/web,              null
            null,                   null
            """)
    void streamsAreNamedForTheirAppAndNothingElse(String app, String stream) {
        assertThat(AccessLine.stream(app)).isEqualTo(stream);
    }

    @org.junit.jupiter.api.Test
    void longMethodsAndPathsAreCut() {
        String line = AccessLine.format(entry("X".repeat(100), "/" + "p".repeat(5000), 200, Duration.ZERO, 0));
        var fields = line.split(" ");
        assertThat(fields[1]).hasSize(AccessLine.MAX_METHOD);
        assertThat(fields[2]).hasSize(AccessLine.MAX_PATH);
        // An escape is never cut in half.
        String spaces = AccessLine.escape(" ".repeat(100), 10);
        assertThat(spaces).isEqualTo("%20%20%20");
    }

    private static String unescape(String csv) {
        return csv.replace("\\n", "\n").replace("\\u00e9", "\u00e9");
    }
}
