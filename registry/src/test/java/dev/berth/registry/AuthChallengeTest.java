package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuthChallengeTest {

    static Stream<Arguments> challenges() {
        return Stream.of(
                Arguments.of("Basic realm=\"Registry Realm\"", new AuthChallenge.Basic("Registry Realm")),
                Arguments.of("basic realm=plain", new AuthChallenge.Basic("plain")),
                Arguments.of("Basic", new AuthChallenge.Basic(null)),
                Arguments.of("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/nginx:pull\"",
                        new AuthChallenge.Bearer("https://auth.docker.io/token", "registry.docker.io", "repository:library/nginx:pull")),
                Arguments.of("BEARER Realm=\"http://127.0.0.1:1/token\", Service=\"test\"",
                        new AuthChallenge.Bearer("http://127.0.0.1:1/token", "test", null)),
                // comma inside a quoted value (several scopes), and an escaped quote
                Arguments.of("Bearer realm=\"https://a/t\",scope=\"repository:a:pull,push repository:b:pull\",service=\"s\\\"q\"",
                        new AuthChallenge.Bearer("https://a/t", "s\"q", "repository:a:pull,push repository:b:pull")),
                Arguments.of("Bearer realm=https://a/t,service=svc", new AuthChallenge.Bearer("https://a/t", "svc", null)),
                // a second challenge after the first is ignored
                Arguments.of("Bearer realm=\"https://a/t\",service=\"x\", Basic realm=\"y\"",
                        new AuthChallenge.Bearer("https://a/t", "x", null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("challenges")
    void parses(String header, AuthChallenge expected) {
        assertThat(AuthChallenge.parse(header)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "  ", "Negotiate abc", "Bearer service=\"x\"", "Digest realm=\"r\""})
    void rejects(String header) {
        assertThatThrownBy(() -> AuthChallenge.parse(header)).isInstanceOf(IllegalArgumentException.class);
    }
}
