package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.ContainerSpec;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Secret values join a container's environment for its bundle, winning over env; nothing else of the spec changes. */
class SecretsInEnvTest {
    private static final ContainerSpec SPEC = new ContainerSpec(ContainerSpec.VERSION, "web-1", "web", null,
            "registry.example.com/acme/web:1", List.of("/bin/httpd"), Map.of("MODE", "fast", "CLASH", "from-env"), null, "/",
            null, null, null, null, null, null, null, null, null);

    static Stream<Arguments> merges() {
        return Stream.of(
                Arguments.of("no secrets", Map.of(), Map.of("MODE", "fast", "CLASH", "from-env")),
                Arguments.of("a new name", Map.of("DB_PASSWORD", "s3cret"),
                        Map.of("MODE", "fast", "CLASH", "from-env", "DB_PASSWORD", "s3cret")),
                Arguments.of("a secret wins over env", Map.of("CLASH", "from-secret"), Map.of("MODE", "fast", "CLASH", "from-secret")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("merges")
    void secretsJoinTheEnvironment(String name, Map<String, String> secrets, Map<String, String> env) {
        var merged = ContainerLauncher.withSecretsInEnv(SPEC, secrets);
        assertThat(merged.env()).isEqualTo(env);
        assertThat(merged.withEnv(SPEC.env())).isEqualTo(SPEC);
    }
}
