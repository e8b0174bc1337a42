package dev.berth.agent.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.AcmeChallenge;
import dev.berth.agent.protocol.EdgeRoute;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CaddyConfigTest {
    static final EdgeDirectory DIR = new EdgeDirectory(Path.of("/var/lib/berth/edge"));
    static final EdgeSettings SETTINGS = new EdgeSettings(EdgeSettings.Listen.parse("0.0.0.0:80"),
            EdgeSettings.Listen.parse("[::]:443"), "edge.example.com");
    static final RouteTable ROUTES = RouteTable.of(List.of(
            new EdgeRoute("shop.example.com", "/", "t/shop", List.of("10.0.0.1:20000", "10.0.0.2:20000")),
            new EdgeRoute("shop.example.com", "/api", "t/api", List.of())));

    static JsonNode config(List<OpenedCertificate> certificates, EdgeSettings settings) {
        return JsonMapper.builder().build().readTree(CaddyConfig.json(ROUTES,
                List.of(new AcmeChallenge("shop.example.com", "tok_1", "tok_1.thumb")), certificates, settings, DIR.caddyFiles()));
    }

    @Test
    void keepsTheAdminApiOnTheSocketAndCaddysOwnHttpsOff() {
        var config = config(List.of(), SETTINGS);
        assertThat(config.at("/admin/listen").asString()).isEqualTo("unix//var/lib/berth/edge/admin.sock");
        assertThat(config.at("/admin/config/persist").asBoolean()).isFalse();
        assertThat(config.at("/storage/root").asString()).isEqualTo("/var/lib/berth/edge/storage");
        for (String server : List.of("berth_https", "berth_http")) {
            assertThat(config.at("/apps/http/servers/" + server + "/automatic_https/disable").asBoolean()).isTrue();
        }
        assertThat(config.at("/apps/http/servers/berth_https/logs/default_logger_name").asString()).isEqualTo(CaddyConfig.ACCESS_LOGGER);
        assertThat(config.at("/apps/http/servers/berth_http/logs").isMissingNode()).isTrue();
        assertThat(config.at("/apps/http/servers/berth_https/listen/0").asString()).isEqualTo("[::]:443");
        assertThat(config.at("/apps/http/servers/berth_https/protocols").toString()).isEqualTo("[\"h1\",\"h2\"]");
        assertThat(config.at("/logging/logs/berth_access/writer/filename").asString()).isEqualTo("/var/lib/berth/edge/access.log");
        // No certificate: HTTPS stays on, with a policy no client name matches.
        assertThat(config.at("/apps/http/servers/berth_https/tls_connection_policies/0/match/sni").toString())
                .isEqualTo("[\"no-certificate.berth.invalid\"]");
        assertThat(config.at("/apps/tls").isMissingNode()).isTrue();
    }

    @Test
    void routesLongestPathFirstEachARoundRobinProxyOrA503() {
        var routes = config(List.of(), SETTINGS).at("/apps/http/servers/berth_https/routes");
        assertThat(routes.size()).isEqualTo(3);
        assertThat(routes.at("/0/match/0/path").toString()).isEqualTo("[\"/api\",\"/api/*\"]");
        assertThat(routes.at("/0/handle/0/status_code").asInt()).isEqualTo(503);
        assertThat(routes.at("/1/match/0/path").isMissingNode()).isTrue();
        var proxy = routes.at("/1/handle/0");
        assertThat(proxy.at("/handler").asString()).isEqualTo("reverse_proxy");
        assertThat(proxy.at("/upstreams").toString()).isEqualTo("[{\"dial\":\"10.0.0.1:20000\"},{\"dial\":\"10.0.0.2:20000\"}]");
        assertThat(proxy.at("/load_balancing/selection_policy/policy").asString()).isEqualTo("round_robin");
        assertThat(proxy.at("/load_balancing/try_duration").asString()).isEqualTo(CaddyConfig.TRY_DURATION);
        assertThat(routes.at("/2/handle/0/status_code").asInt()).isEqualTo(404);
    }

    @Test
    void httpAnswersChallengesExactlyAndRedirectsRoutedHosts() {
        var routes = config(List.of(), SETTINGS).at("/apps/http/servers/berth_http/routes");
        assertThat(routes.at("/0/match/0/path_regexp/pattern").asString()).isEqualTo("^/\\.well-known/acme-challenge/tok_1$");
        assertThat(routes.at("/0/handle/0/body").asString()).isEqualTo("tok_1.thumb");
        assertThat(routes.at("/1/handle/0/status_code").asInt()).isEqualTo(308);
        assertThat(routes.at("/1/handle/0/headers/Location/0").asString()).isEqualTo("https://{http.request.host}{http.request.uri}");
        var highPort = new EdgeSettings(EdgeSettings.Listen.parse("127.0.0.1:8080"), EdgeSettings.Listen.parse("127.0.0.1:8443"), "x");
        assertThat(config(List.of(), highPort).at("/apps/http/servers/berth_http/routes/1/handle/0/headers/Location/0").asString())
                .isEqualTo("https://{http.request.host}:8443{http.request.uri}");
    }

    @Test
    void certificatesAreLoadedAndNameTheConnectionPolicy() {
        var config = config(List.of(new OpenedCertificate("shop.example.com", "CHAIN", "KEY")), SETTINGS);
        assertThat(config.at("/apps/tls/certificates/load_pem/0/certificate").asString()).isEqualTo("CHAIN");
        assertThat(config.at("/apps/tls/certificates/load_pem/0/key").asString()).isEqualTo("KEY");
        assertThat(config.at("/apps/http/servers/berth_https/tls_connection_policies/0/match/sni").toString())
                .isEqualTo("[\"shop.example.com\"]");
        assertThat(new OpenedCertificate("shop.example.com", "CHAIN", "KEY").toString()).doesNotContain("KEY]").doesNotContain("CHAIN");
    }
}
