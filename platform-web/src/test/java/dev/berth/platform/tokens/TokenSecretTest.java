package dev.berth.platform.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenSecretTest {
    @Test
    void roundTripsAndMatchesOnlyItsOwnHash() {
        var secret = TokenSecret.generate();
        var parsed = TokenSecret.parse(secret.text()).orElseThrow();
        assertThat(parsed).isEqualTo(secret);
        assertThat(parsed.matches(secret.hash())).isTrue();
        assertThat(TokenSecret.generate().matches(secret.hash())).isFalse();
        assertThat(secret.toString()).doesNotContain(secret.secret());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "berth_", "berth_short_x", "ghp_abcdefabcdefabcdefabcdefabcdefabcdef",
            "berth_AAAAAAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!", "berth_AAAAAAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void rejectsAnythingNotShapedLikeAToken(String text) {
        assertThat(TokenSecret.parse(text)).isEmpty();
    }
}
