package dev.berth.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

class ApiDocsTest extends PlatformTest {
    @LocalServerPort
    int port;

    @Test
    void theOpenApiDocumentDescribesEveryApiPathAndIsPublic() {
        var doc = Api.at(port).get("/v3/api-docs");
        assertThat(doc.status()).isEqualTo(200);
        var paths = doc.json().get("paths");
        for (String path : new String[]{"/api/v1/tokens", "/api/v1/tokens/{id}", "/api/v1/teams", "/api/v1/teams/{team}/members",
                "/api/v1/teams/{team}/members/{user}", "/api/v1/users", "/api/v1/audit", "/api/v1/audit/verify",
                "/api/v1/hosts", "/api/v1/hosts/join-tokens", "/api/v1/teams/{team}/apps", "/api/v1/teams/{team}/apps/{app}",
                "/api/v1/teams/{team}/apps/{app}/deployments", "/api/v1/teams/{team}/apps/{app}/rollback",
                "/api/v1/teams/{team}/apps/{app}/replicas/{replica}/isolation", "/api/v1/teams/{team}/apps/{app}/secrets",
                "/api/v1/teams/{team}/apps/{app}/secrets/{name}",
                "/api/v1/teams/{team}/apps/{app}/logs", "/api/v1/teams/{team}/apps/{app}/logs/edges",
                "/api/v1/teams/{team}/apps/{app}/traffic", "/api/v1/teams/{team}/apps/{app}/network",
                "/api/v1/teams/{team}/apps/{app}/metrics",
                "/api/v1/teams/{team}/network/egress-allow", "/api/v1/teams/{team}/domains",
                "/api/v1/teams/{team}/apps/{app}/certificates", "/api/v1/teams/{team}/apps/{app}/certificates/{host}",
                "/api/v1/teams/{team}/notifications", "/api/v1/teams/{team}/notifications/{id}",
                "/api/v1/teams/{team}/notifications/{id}/deliveries",
                "/api/v1/teams/{team}/notifications/{id}/deliveries/{delivery}/resend",
                "/api/v1/teams/{team}/notifications/{id}/resume",
                "/api/v1/cli/login-requests", "/api/v1/cli/login-requests/token",
                "/api/v1/sso/group-rules", "/api/v1/sso/group-rules/{id}"}) {
            assertThat(paths.has(path)).as(path).isTrue();
        }
    }

    @Test
    void healthIsPublicAndPrometheusNeedsAPlatformAdmin() {
        var api = Api.at(port);
        assertThat(api.get("/actuator/health").body()).contains("\"status\":\"UP\"");
        for (String probe : new String[]{"/actuator/health/liveness", "/actuator/health/readiness"}) {
            var health = api.get(probe);
            assertThat(health.status()).as(probe).isEqualTo(200);
            // The status alone: which parts there are and how they fare is not for anonymous callers.
            assertThat(health.body()).as(probe).isEqualTo("{\"status\":\"UP\"}");
        }
        var metrics = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD)).get("/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("hikaricp_connections")
                .contains("berth_reconcile_round_seconds_count").contains("berth_agent_long_polls")
                .contains("berth_scheduler_requests_queued{job=\"deployer-reconcile\"}").contains("berth_acme_orders_pending")
                .contains("berth_hosts_heartbeats_late").contains("berth_webhooks_failed_total{reason=\"not_authentic\"}")
                .contains("berth_app_metrics_apps_dropped").contains("berth_app_metrics_samples_refused_total");
    }
}
