package dev.berth.gitsync.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefinitionParserTest {
    static byte[] example() {
        try (InputStream in = DefinitionParserTest.class.getResourceAsStream("/definition/example.yaml")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static ParseResult parse(String yaml) {
        return DefinitionParser.parse("berth.yaml", yaml.getBytes(StandardCharsets.UTF_8), DefinitionLimits.DEFAULTS);
    }

    static List<String> problems(ParseResult result) {
        assertThat(result).isInstanceOf(ParseResult.Invalid.class);
        return ((ParseResult.Invalid) result).problems().stream().map(Problem::toString).toList();
    }

    @Test
    void theDesignExampleIsReadWithEveryValue() {
        var result = DefinitionParser.parse("berth.yaml", example(), DefinitionLimits.DEFAULTS);

        assertThat(result).isInstanceOf(ParseResult.Valid.class);
        var definition = ((ParseResult.Valid) result).definition();
        assertThat(definition.apiVersion()).isEqualTo("berth/v1");
        assertThat(definition.apps()).extracting(AppDefinition::name).containsExactly("web", "worker");
        var web = definition.apps().getFirst();
        assertThat(web).isEqualTo(new AppDefinition("web", "registry.example.com/acme/web:1.4",
                List.of("/bin/httpd", "-f", "-p", "8080"), Map.of("GREETING", "hello"), List.of("DB_PASSWORD"), 2,
                new UserSpec(1000, 1000), new Resources(128L << 20, 500, 128), List.of(new Port("http", 8080, true)),
                new Health(new Health.Http(8080, "/healthz"), Duration.ofSeconds(2), Duration.ofSeconds(1), 1),
                List.of(new Volume("data", "/data", 64L << 20)), List.of(new Tmpfs("/tmp", 16L << 20)),
                List.of("NET_BIND_SERVICE"), new Deploy(Deploy.Strategy.ROLLING, 1, 0, true, null),
                new Network(Network.Egress.PUBLIC, List.of(), List.of(new Network.Connect("db", "pg", 5432, 21, 9)))));
        assertThat(definition.apps().get(1).network()).isEqualTo(new Network(Network.Egress.NONE, List.of(
                new Network.EgressDestination("10.20.0.5/32", 5432, 24, 16),
                new Network.EgressDestination("fd00:1::/64", 443, 24, 37)), List.of()));
    }

    @Test
    void egressEgressToAndConnectsTogether() {
        var result = parse("""
                apiVersion: berth/v1
                apps:
                  web:
                    image: web
                    ports: [{name: http, port: 8080}]
                    egress: public
                    connects:
                      - {app: db, port: pg, local: 5432}
                      - {app: billing, port: api, local: 9000}
                    egressTo: ["10.20.0.5/32:5432"]
                  db:
                    image: postgres
                    ports: [{name: pg, port: 5432}]
                    egressTo: [10.30.0.0/16, "fd00::/64"]
                """);

        var apps = ((ParseResult.Valid) result).definition().apps();
        assertThat(apps.get(0).network()).isEqualTo(new Network(Network.Egress.PUBLIC,
                List.of(new Network.EgressDestination("10.20.0.5/32", 5432, 10, 16)),
                List.of(new Network.Connect("db", "pg", 5432, 8, 9), new Network.Connect("billing", "api", 9000, 9, 9))));
        assertThat(apps.get(1).network()).isEqualTo(new Network(Network.Egress.NONE, List.of(
                new Network.EgressDestination("10.30.0.0/16", 0, 14, 16),
                new Network.EgressDestination("fd00::/64", 0, 14, 30)), List.of()));
    }

    @Test
    void anAppWithOnlyAnImageGetsTheDocumentedDefaults() {
        var result = parse("""
                apiVersion: berth/v1
                apps:
                  worker: {image: busybox}
                """);

        var app = ((ParseResult.Valid) result).definition().apps().getFirst();
        assertThat(app).isEqualTo(new AppDefinition("worker", "busybox", List.of(), Map.of(), List.of(), 1, null,
                Resources.DEFAULT, List.of(), null, List.of(), List.of(), List.of(), Deploy.DEFAULT, null));
        assertThat(app.network()).isEqualTo(Network.NONE);
    }

    @Test
    void defaultsAboveTheLimitsAreLoweredToThem() {
        var limits = new DefinitionLimits(1 << 20, 10, 10, 64L << 20, 500, 100, 1L << 30, 1L << 20, 8, 32);
        var result = DefinitionParser.parse("berth.yaml", """
                apiVersion: berth/v1
                apps: {worker: {image: busybox}}
                """.getBytes(StandardCharsets.UTF_8), limits);

        var app = ((ParseResult.Valid) result).definition().apps().getFirst();
        assertThat(app.resources()).isEqualTo(new Resources(64L << 20, 500, 100));
    }

    @Test
    void healthKindsPortsByNumberAndCpuInMillicores() {
        var result = parse("""
                apiVersion: berth/v1
                apps:
                  a:
                    image: a
                    ports: [{name: p, port: 9000}]
                    health: {tcp: {port: 9000}}
                    resources: {cpu: 250m, memory: 1Gi}
                  b:
                    image: b
                    health: {exec: {command: [/bin/true]}, interval: 1m, timeout: 500ms}
                    deploy: {strategy: recreate, autoRollback: false}
                  c:
                    image: c
                    deploy: {strategy: blue-green, healthTimeout: 90s}
                """);

        var apps = ((ParseResult.Valid) result).definition().apps();
        assertThat(apps.get(0).health().check()).isEqualTo(new Health.Tcp(9000));
        assertThat(apps.get(0).resources()).isEqualTo(new Resources(1L << 30, 250, 256));
        assertThat(apps.get(1).health()).isEqualTo(new Health(new Health.Exec(List.of("/bin/true")),
                Duration.ofMinutes(1), Duration.ofMillis(500), 1));
        assertThat(apps.get(1).deploy()).isEqualTo(new Deploy(Deploy.Strategy.RECREATE, 0, 0, false, null));
        assertThat(apps.get(2).deploy()).isEqualTo(new Deploy(Deploy.Strategy.BLUE_GREEN, 0, 0, true, Duration.ofSeconds(90)));
    }

    @Test
    void allProblemsAreReportedSortedByPosition() {
        var result = parse("""
                apiVersion: berth/v2
                apps:
                  Web:
                    image: web
                    replicas: -1
                    replica: 2
                """);

        assertThat(problems(result)).containsExactly(
                "berth.yaml:1:13: apiVersion must be berth/v1, not 'berth/v2'",
                "berth.yaml:3:3: app name 'Web' must be lowercase letters, digits and '-' (not first or last), at most 63 characters",
                "berth.yaml:5:15: replicas must be at least 0",
                "berth.yaml:6:5: unknown key 'replica'; did you mean 'replicas'?");
    }

    @Test
    void capPrefixIsAcceptedAndRemoved() {
        var result = parse("""
                apiVersion: berth/v1
                apps: {a: {image: a, capabilities: [CAP_CHOWN, KILL]}}
                """);

        assertThat(((ParseResult.Valid) result).definition().apps().getFirst().capabilities())
                .containsExactly("CHOWN", "KILL");
    }

    @Test
    void aByteOrderMarkIsIgnored() {
        var result = parse("\uFEFFapiVersion: berth/v1\napps: {}\n");

        assertThat(result).isEqualTo(new ParseResult.Valid(new Definition("berth/v1", List.of())));
    }
}
