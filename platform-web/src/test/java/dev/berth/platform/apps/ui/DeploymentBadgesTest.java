package dev.berth.platform.apps.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.deployments.Deployment;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The words and themes of badges, which grids now draw in the browser from these two values. */
class DeploymentBadgesTest {
    static Stream<Arguments> badges() {
        return Stream.of(
                Arguments.of(DeploymentBadges.replicas(3, 3), "3/3 healthy", "badge success"),
                Arguments.of(DeploymentBadges.replicas(4, 3), "4/3 healthy", "badge success"),
                Arguments.of(DeploymentBadges.replicas(1, 3), "1/3 healthy", "badge"),
                Arguments.of(DeploymentBadges.replicas(0, 3), "0/3 healthy", "badge error"),
                Arguments.of(DeploymentBadges.replicas(0, 0), "0/0 healthy", "badge success"),
                Arguments.of(DeploymentBadges.replicaState("HEALTHY"), "healthy", "badge success"),
                Arguments.of(DeploymentBadges.replicaState("EXITED"), "exited", "badge error"),
                Arguments.of(DeploymentBadges.replicaState("STARTING"), "starting", "badge"),
                Arguments.of(DeploymentBadges.state(deployment(Deployment.Kind.PUSH, Deployment.State.SUCCEEDED)),
                        Deployment.State.SUCCEEDED.value(), "badge success"),
                Arguments.of(DeploymentBadges.state(deployment(Deployment.Kind.ROLLBACK, Deployment.State.FAILED)),
                        Deployment.State.FAILED.value() + " · " + Deployment.Kind.ROLLBACK.value(), "badge error"));
    }

    @ParameterizedTest
    @MethodSource("badges")
    void wordsAndTheme(DeploymentBadges.Badge badge, String text, String theme) {
        assertThat(badge).isEqualTo(new DeploymentBadges.Badge(text, theme));
        assertThat(badge.span().getText()).isEqualTo(text);
        assertThat(badge.span().getElement().getAttribute("theme")).isEqualTo(theme);
    }

    private static Deployment deployment(Deployment.Kind kind, Deployment.State state) {
        return new Deployment(1, "acme", "web", 2, "c".repeat(40), kind, state, "ada", null, Instant.EPOCH, null, null);
    }
}
