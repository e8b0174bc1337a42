package dev.berth.platform.sso;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsernamesTest {
    @ParameterizedTest(name = "''{0}'' → ''{1}''")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "alice|alice",
            "Alice.Smith|alice.smith",
            "alice@example.com|alice",
            "José García|jose-garcia",
            "42alice|alice",
            "__x__|x",
            "me|user-me",
            "''|user",
            "NULL|user",
            "漢字|user",
            "a/b\\c d|a-b-c-d"})
    void aClaimedNameBecomesAValidUsername(String claimed, String expected) {
        assertThat(Usernames.base(claimed)).isEqualTo(expected).matches("[a-z][a-z0-9._-]{0,62}");
    }

    @ParameterizedTest
    @CsvSource({"1,alice", "2,alice-2", "17,alice-17"})
    void clashesTakeTheNextNumber(int n, String expected) {
        assertThat(Usernames.candidate("alice", n)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void aLongNameIsCutSoTheSuffixFits() {
        String base = Usernames.base("a".repeat(100));
        assertThat(base).hasSize(63);
        assertThat(Usernames.candidate(base, 12)).hasSize(63).endsWith("-12").matches("[a-z][a-z0-9._-]{0,62}");
    }
}
