package dev.berth.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostBasedAuthTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            local all all scram-sha-256                                 | true
            host all all 127.0.0.1/32 scram-sha-256                     | true
            host all all 127.0.0.1 255.255.255.255 scram-sha-256        | true
            host all all 127.0.0.1 255.255.255.255 trust                | false
            local all all trust                                         | false
            host all all 127.0.0.1/32 trust                             | false
            host all all ::1/128 md5                                    | false
            host all all 0.0.0.0/0 password                             | false
            hostssl all all 0.0.0.0/0 reject                            | true
            local replication all peer                                  | false
            include_dir conf.d                                          | false
            # only a comment                                            | false
            """)
    void onlyScramOrRejectCounts(String rule, boolean locked) {
        assertThat(HostBasedAuth.onlyScram(List.of("# header", rule))).isEqualTo(locked);
    }

    @org.junit.jupiter.api.Test
    void whatBerthWritesPassesItsOwnCheck() {
        assertThat(HostBasedAuth.onlyScram(HostBasedAuth.CONTENT.lines().toList())).isTrue();
    }
}
