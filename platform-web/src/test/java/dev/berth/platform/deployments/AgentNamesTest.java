package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AgentNamesTest {
    /** The agent's own rule for container and app names. */
    private static final Pattern AGENT = Pattern.compile("[a-z0-9]([a-z0-9_.-]{0,61}[a-z0-9])?");

    static Stream<Arguments> names() {
        String team63 = "t" + "x".repeat(61) + "z";
        String app63 = "a" + "y".repeat(61) + "z";
        return Stream.of(
                Arguments.of("acme.web.12.0", "acme.web.12.0"),
                Arguments.of("a".repeat(63), "a".repeat(63)),
                Arguments.of(team63 + "." + app63 + ".12.0", null),
                Arguments.of(team63 + "." + app63 + ".12.1", null),
                Arguments.of("a".repeat(62) + "-.0", null));
    }

    @ParameterizedTest
    @MethodSource("names")
    void containerNamesFitTheAgentsRule(String replicaId, String expected) {
        String name = AgentNames.container(replicaId);
        assertThat(name).matches(AGENT);
        if (expected != null) assertThat(name).isEqualTo(expected);
        else assertThat(name).hasSize(63).startsWith(replicaId.substring(0, 50));
    }

    @Test
    void longNamesStayUniqueAndStable() {
        String base = "t" + "x".repeat(61) + "z." + "a" + "y".repeat(61) + "z.12.";
        assertThat(AgentNames.container(base + "0")).isNotEqualTo(AgentNames.container(base + "1"))
                .isEqualTo(AgentNames.container(base + "0"));
        assertThat(AgentNames.app("acme", "web")).isEqualTo("acme.web");
        assertThat(AgentNames.app("t" + "x".repeat(61) + "z", "web")).matches(AGENT).hasSize(63);
    }
}
