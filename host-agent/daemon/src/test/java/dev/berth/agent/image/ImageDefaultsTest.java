package dev.berth.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.protocol.HealthCheck;
import dev.berth.registry.ImageConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageDefaultsTest {
    private static final ImageDefaults.Accounts ACCOUNTS = new ImageDefaults.Accounts("""
            root:x:0:0:root:/root:/bin/sh
            www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
            app:x:1000:1001::/home/app:/bin/sh
            """, """
            root:x:0:
            www-data:x:33:
            staff:x:50:
            app:x:1001:
            """);

    private static ContainerSpec spec(List<String> command, ContainerSpec.UserId user, String workingDir, Map<String, String> env,
                                      HealthCheck health) {
        return new ContainerSpec(ContainerSpec.VERSION, "web-1", "web", null, "127.0.0.1:5000/acme/web:1", command, env, user,
                workingDir, null, null, null, null, null, health, null, null, null);
    }

    private static ImageConfig image(String user) {
        return new ImageConfig(List.of("/entry"), List.of("serve", "--port", "80"), List.of("PATH=/usr/bin:/bin", "MODE=image"),
                "/srv", user, Set.of("80/tcp"),
                new ImageConfig.Healthcheck(List.of("CMD-SHELL", "wget -q -O- localhost"), Duration.ofSeconds(5), Duration.ZERO, 3),
                List.of(), "linux", "amd64");
    }

    @Test
    void theImageGivesEveryDefault() {
        var settled = ImageDefaults.apply(spec(List.of(), null, null, Map.of(), null), image("www-data"), "/snap", ACCOUNTS);
        assertThat(settled.rootfs()).isEqualTo("/snap");
        assertThat(settled.command()).containsExactly("/entry", "serve", "--port", "80");
        assertThat(settled.user()).isEqualTo(new ContainerSpec.UserId(33, 33));
        assertThat(settled.workingDir()).isEqualTo("/srv");
        assertThat(settled.env()).containsEntry("MODE", "image").containsEntry("PATH", "/usr/bin:/bin");
        assertThat(settled.health()).isEqualTo(new HealthCheck.Exec(List.of("/bin/sh", "-c", "wget -q -O- localhost")));
    }

    @Test
    void theSpecOverridesEachOne() {
        var settled = ImageDefaults.apply(spec(List.of("/bin/sh", "-c", "true"), new ContainerSpec.UserId(7, 8), "/work",
                Map.of("MODE", "spec"), new HealthCheck.Tcp(80)), image("www-data"), "/snap", ACCOUNTS);
        assertThat(settled.command()).as("the command replaces entrypoint and cmd").containsExactly("/bin/sh", "-c", "true");
        assertThat(settled.user()).isEqualTo(new ContainerSpec.UserId(7, 8));
        assertThat(settled.workingDir()).isEqualTo("/work");
        assertThat(settled.env()).containsEntry("MODE", "spec").containsEntry("PATH", "/usr/bin:/bin");
        assertThat(settled.health()).isEqualTo(new HealthCheck.Tcp(80));
    }

    @Test
    void withoutAnImageRootAndSlashAreTheDefaults() {
        var local = new ContainerSpec(ContainerSpec.VERSION, "a", "a", "/srv/rootfs", null, List.of("/bin/true"), null, null,
                null, null, null, null, null, null, null, null, null, null);
        var settled = ImageDefaults.apply(local, null, "/srv/rootfs", ImageDefaults.Accounts.NONE);
        assertThat(settled.user()).isEqualTo(new ContainerSpec.UserId(0, 0));
        assertThat(settled.workingDir()).isEqualTo("/");
        assertThat(settled.health()).isNull();
    }

    static Stream<Arguments> users() {
        return Stream.of(
                Arguments.of("", 0, 0),
                Arguments.of("1000", 1000, 1001),
                Arguments.of("4242", 4242, 0),
                Arguments.of("app", 1000, 1001),
                Arguments.of("app:staff", 1000, 50),
                Arguments.of("app:77", 1000, 77),
                Arguments.of("33:app", 33, 1001),
                Arguments.of("0:0", 0, 0));
    }

    @ParameterizedTest
    @MethodSource("users")
    void imageUsersResolveAsDockerDoes(String user, int uid, int gid) {
        var settled = ImageDefaults.apply(spec(List.of(), null, null, Map.of(), null), image(user), "/snap", ACCOUNTS);
        assertThat(settled.user()).isEqualTo(new ContainerSpec.UserId(uid, gid));
    }

    static Stream<Arguments> badUsers() {
        return Stream.of(
                Arguments.of("nobody", "runs as user 'nobody', which its /etc/passwd does not define"),
                Arguments.of("app:wheel", "runs as group 'wheel', which its /etc/group does not define"),
                Arguments.of("70000", "outside the container's ids 0-65535"),
                Arguments.of("1:99999999999", "runs as group '99999999999'"));
    }

    @ParameterizedTest
    @MethodSource("badUsers")
    void unknownOrUnmappableUsersAreNamed(String user, String message) {
        assertThatThrownBy(() -> ImageDefaults.apply(spec(List.of(), null, null, Map.of(), null), image(user), "/snap", ACCOUNTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("image 127.0.0.1:5000/acme/web:1")
                .hasMessageContaining(message);
    }

    @Test
    void anImageWithoutCommandNeedsOne() {
        var bare = new ImageConfig(List.of(), List.of(), List.of(), null, null, Set.of(), null, List.of(), "linux", "amd64");
        assertThatThrownBy(() -> ImageDefaults.apply(spec(List.of(), null, null, Map.of(), null), bare, "/snap", ACCOUNTS))
                .hasMessage("image 127.0.0.1:5000/acme/web:1 has no entrypoint or cmd; give the command to run");
    }

    static Stream<Arguments> healthchecks() {
        return Stream.of(
                Arguments.of(List.of("CMD", "/bin/check", "-q"), new HealthCheck.Exec(List.of("/bin/check", "-q"))),
                Arguments.of(List.of("CMD-SHELL", "exit 0"), new HealthCheck.Exec(List.of("/bin/sh", "-c", "exit 0"))),
                Arguments.of(List.of("NONE"), null),
                Arguments.of(List.of(), null));
    }

    @ParameterizedTest
    @MethodSource("healthchecks")
    void dockerHealthchecksBecomeExecChecks(List<String> test, HealthCheck expected) {
        assertThat(ImageDefaults.health(test)).isEqualTo(expected);
    }
}
