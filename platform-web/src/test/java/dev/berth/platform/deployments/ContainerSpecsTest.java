package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.protocol.HealthCheck;
import dev.berth.agent.protocol.HealthTiming;
import dev.berth.deployer.Desired;
import dev.berth.deployer.Strategy;
import dev.berth.gitsync.definition.AppDefinition;
import dev.berth.gitsync.definition.Definition;
import dev.berth.gitsync.definition.DefinitionLimits;
import dev.berth.gitsync.definition.DefinitionParser;
import dev.berth.gitsync.definition.Network;
import dev.berth.gitsync.definition.ParseResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** berth.yaml, parsed as a push parses it, to the spec an agent gets and the planner's view of the app. */
class ContainerSpecsTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    /** What an app that names only its image becomes; the other rows differ from it where they say. */
    private static final ContainerSpec MINIMAL = new ContainerSpec(1, "acme.web.7.0", "acme.web", null, "busybox@" + DIGEST,
            List.of(), Map.of(), null, null, new ContainerSpec.Resources(256L << 20, 1000, 256), List.of(), List.of(),
            List.of(), List.of(), null, null, ContainerSpec.RestartPolicy.ON_FAILURE, ContainerSpec.Network.NONE);

    static AppDefinition app(String yaml) {
        var parsed = DefinitionParser.parse("berth.yaml", ("apiVersion: berth/v1\napps:\n" + yaml).getBytes(StandardCharsets.UTF_8),
                DefinitionLimits.DEFAULTS);
        if (!(parsed instanceof ParseResult.Valid(Definition definition))) throw new AssertionError(parsed.toString());
        return definition.apps().getFirst();
    }

    static Stream<Arguments> specs() {
        return Stream.of(
                Arguments.of("the example: every field", """
                          web:
                            image: registry.example.com/acme/web:1.4
                            command: ["/bin/httpd", "-f", "-p", "8080"]
                            env: {GREETING: hello}
                            secrets: [DB_PASSWORD]
                            replicas: 2
                            user: "1000:1000"
                            resources: {memory: 128Mi, cpu: 0.5, pids: 128}
                            ports:
                              - {name: http, port: 8080, publish: true}
                              - {name: admin, port: 9090}
                            health: {http: {port: http, path: /healthz}, interval: 2s, timeout: 1s, healthyAfter: 2}
                            volumes:
                              - {name: data, mount: /data, size: 64Mi}
                            tmpfs: {/tmp: 16Mi}
                            capabilities: [CHOWN]
                        """, new ContainerSpec(1, "acme.web.7.0", "acme.web", null, "registry.example.com/acme/web@" + DIGEST,
                        List.of("/bin/httpd", "-f", "-p", "8080"), Map.of("GREETING", "hello"), new ContainerSpec.UserId(1000, 1000),
                        null, new ContainerSpec.Resources(128L << 20, 500, 128),
                        List.of(new ContainerSpec.VolumeMount("data", "/data", 64L << 20)),
                        List.of(new ContainerSpec.TmpfsMount("/tmp", 16L << 20)),
                        List.of(new ContainerSpec.PortPublish(null, 0, 8080)), List.of("CHOWN"),
                        new HealthCheck.Http(8080, "/healthz"), new HealthTiming(2000, 1000, 2, 3),
                        ContainerSpec.RestartPolicy.ON_FAILURE, ContainerSpec.Network.NONE)),
                Arguments.of("defaults: image's command and user, no health check, no ports", """
                          web:
                            image: busybox:1.36
                        """, MINIMAL),
                Arguments.of("a registry port and an already pinned digest", """
                          web:
                            image: 127.0.0.1:5000/acme/web@sha256:%s
                            ports: [{name: http, port: 8080}]
                            health: {tcp: {port: http}}
                        """.formatted("cd".repeat(32)), MINIMAL.withImage("127.0.0.1:5000/acme/web@" + DIGEST)
                        .withHealth(new HealthCheck.Tcp(8080)).withHealthTiming(new HealthTiming(10_000, 2000, 1, 3))),
                Arguments.of("an exec check", """
                          web:
                            image: busybox
                            health: {exec: {command: ["/bin/true"]}, interval: 1s, timeout: 500ms}
                        """, MINIMAL.withHealth(new HealthCheck.Exec(List.of("/bin/true")))
                        .withHealthTiming(new HealthTiming(1000, 500, 1, 3))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void aDefinitionBecomesTheSpecAnAgentRuns(String name, String yaml, ContainerSpec expected) {
        assertThat(ContainerSpecs.of("acme", app(yaml), DIGEST, "acme.web.7.0")).isEqualTo(expected);
    }

    @Test
    void secretsAreNotInTheSpecTheyTravelBesideIt() {
        var spec = ContainerSpecs.of("acme", app("""
                  web:
                    image: busybox
                    env: {A: b}
                    secrets: [DB_PASSWORD]
                """), DIGEST, "acme.web.1.0");
        assertThat(spec.env()).containsOnlyKeys("A");
    }

    static Stream<Arguments> networks() {
        return Stream.of(
                Arguments.of("loopback only, the default", Network.NONE, ContainerSpec.Network.NONE),
                Arguments.of("the public internet", new Network(Network.Egress.PUBLIC, List.of(), List.of()),
                        new ContainerSpec.Network(ContainerSpec.Egress.PUBLIC, List.of(), List.of())),
                Arguments.of("private destinations, one port or every port, in file order", new Network(Network.Egress.NONE,
                        List.of(new Network.EgressDestination("10.20.0.5/32", 5432, 9, 11),
                                new Network.EgressDestination("fd00:1::/64", 0, 10, 11)), List.of()),
                        new ContainerSpec.Network(ContainerSpec.Egress.NONE, List.of(new ContainerSpec.EgressRule("10.20.0.5/32", 5432),
                                new ContainerSpec.EgressRule("fd00:1::/64", 0)), List.of())),
                Arguments.of("connects name the producer as the agent does, team-qualified", new Network(Network.Egress.PUBLIC,
                        List.of(), List.of(new Network.Connect("db", "pg", 5432, 12, 11), new Network.Connect("cache", "redis", 6379, 13, 11))),
                        new ContainerSpec.Network(ContainerSpec.Egress.PUBLIC, List.of(), List.of(
                                new ContainerSpec.Connect("acme.db", "pg", 5432), new ContainerSpec.Connect("acme.cache", "redis", 6379)))),
                Arguments.of("a long team and app name is fitted like the app's own name", new Network(Network.Egress.NONE, List.of(),
                        List.of(new Network.Connect("d".repeat(63), "pg", 5432, 1, 1))),
                        new ContainerSpec.Network(ContainerSpec.Egress.NONE, List.of(), List.of(
                                new ContainerSpec.Connect(AgentNames.app("acme", "d".repeat(63)), "pg", 5432)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void theDeclaredNetworkBecomesTheSpecsNetwork(String name, Network declared, ContainerSpec.Network expected) {
        var web = app("""
                  web:
                    image: busybox
                """);
        var declaring = new AppDefinition(web.name(), web.image(), web.command(), web.env(), web.secrets(), web.replicas(), web.user(),
                web.resources(), web.ports(), web.health(), web.volumes(), web.tmpfs(), web.capabilities(), web.deploy(), declared);
        assertThat(ContainerSpecs.of("acme", declaring, DIGEST, "acme.web.7.0").network()).isEqualTo(expected);
    }

    static Stream<Arguments> desired() {
        return Stream.of(
                Arguments.of("""
                          web:
                            image: busybox
                        """, new Desired("acme", "web", 7, 1, new dev.berth.deployer.Resources(256L << 20, 1000),
                        new Strategy.Rolling(1, 0), Duration.ofSeconds(60))),
                Arguments.of("""
                          web:
                            image: busybox
                            replicas: 3
                            resources: {memory: 64Mi, cpu: 250m}
                            deploy: {strategy: rolling, maxSurge: 2, maxUnavailable: 1, healthTimeout: 5s}
                        """, new Desired("acme", "web", 7, 3, new dev.berth.deployer.Resources(64L << 20, 250),
                        new Strategy.Rolling(2, 1), Duration.ofSeconds(5))),
                Arguments.of("""
                          web:
                            image: busybox
                            deploy: {strategy: recreate}
                        """, new Desired("acme", "web", 7, 1, new dev.berth.deployer.Resources(256L << 20, 1000),
                        new Strategy.Recreate(), Duration.ofSeconds(60))),
                Arguments.of("""
                          web:
                            image: busybox
                            replicas: 2
                            deploy: {strategy: blue-green, healthTimeout: 2m, autoRollback: false}
                        """, new Desired("acme", "web", 7, 2, new dev.berth.deployer.Resources(256L << 20, 1000),
                        new Strategy.BlueGreen(), Duration.ofMinutes(2))));
    }

    @ParameterizedTest
    @MethodSource("desired")
    void aDefinitionBecomesWhatThePlannerWants(String yaml, Desired expected) {
        assertThat(DesiredApps.of("acme", app(yaml), 7)).isEqualTo(expected);
    }

    static Stream<Arguments> pinned() {
        return Stream.of(
                Arguments.of("busybox", "busybox@" + DIGEST),
                Arguments.of("busybox:1.36", "busybox@" + DIGEST),
                Arguments.of("registry.example.com:5000/acme/web:1.4", "registry.example.com:5000/acme/web@" + DIGEST),
                Arguments.of("registry.example.com:5000/acme/web", "registry.example.com:5000/acme/web@" + DIGEST),
                Arguments.of("acme/web:1@sha256:" + "00".repeat(32), "acme/web@" + DIGEST));
    }

    @ParameterizedTest
    @MethodSource("pinned")
    void theImageIsPinnedToTheDigestResolvedAtPush(String image, String expected) {
        assertThat(ContainerSpecs.pinned(image, DIGEST)).isEqualTo(expected);
    }
}
