package dev.berth.platform.egress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The allow-list over HTTP: replaced whole, refused entries named in a problem document, every change audited. */
class EgressAllowApiTest extends PlatformTest {
    @LocalServerPort
    int port;

    private Api root() {
        return Api.at(port).bearer(Api.at(port).tokenFor("admin", ADMIN_PASSWORD));
    }

    private static String path(String team) {
        return "/api/v1/teams/" + team + "/network/egress-allow";
    }

    @Test
    void anAdminReplacesTheListAndTheAuditKeepsBeforeAndAfter() {
        var root = root();
        assertThat(root.post("/api/v1/teams", Map.of("name", "egress-one")).status()).isEqualTo(201);
        assertThat(root.get(path("egress-one")).body()).isEqualTo("{\"team\":\"egress-one\",\"ranges\":[]}");

        var first = root.put(path("egress-one"), Map.of("ranges", List.of("10.20.0.0/16", "FD00:1:0::/64")));
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("ranges").toString()).isEqualTo("[\"10.20.0.0/16\",\"fd00:1::/64\"]");
        var second = root.put(path("egress-one"), Map.of("ranges", List.of("192.168.10.0/24")));
        assertThat(second.status()).isEqualTo(200);
        assertThat(root.get(path("egress-one")).json().get("ranges").toString()).isEqualTo("[\"192.168.10.0/24\"]");

        var events = root.get("/api/v1/audit?action=team.egress-allow.replace&team=egress-one").body().lines().toList();
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).contains("\"before\":\"\"").contains("\"after\":\"10.20.0.0/16,fd00:1::/64\"");
        assertThat(events.get(1)).contains("\"before\":\"10.20.0.0/16,fd00:1::/64\"").contains("\"after\":\"192.168.10.0/24\"")
                .contains("\"target\":\"team:egress-one\"");
    }

    @Test
    void aWrongEntryIsNamedAndNothingChanges() {
        var root = root();
        root.post("/api/v1/teams", Map.of("name", "egress-two"));
        root.put(path("egress-two"), Map.of("ranges", List.of("10.1.0.0/16")));

        var hostBits = root.put(path("egress-two"), Map.of("ranges", List.of("10.2.0.0/16", "10.20.0.1/16")));
        assertThat(hostBits.status()).isEqualTo(400);
        assertThat(hostBits.contentType()).startsWith("application/problem+json");
        assertThat(hostBits.json().get("detail").asString())
                .isEqualTo("ranges[1] '10.20.0.1/16' has bits set past its /16 prefix; did you mean 10.20.0.0/16?");
        var loopback = root.put(path("egress-two"), Map.of("ranges", List.of("127.0.0.0/8")));
        assertThat(loopback.json().get("detail").asString()).startsWith("ranges[0] '127.0.0.0/8' includes a loopback range");
        var tooMany = root.put(path("egress-two"), Map.of("ranges", Collections.nCopies(65, "10.0.0.0/8")));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().get("detail").asString()).contains("at most 64");
        var noList = root.put(path("egress-two"), Map.of());
        assertThat(noList.status()).isEqualTo(400);

        assertThat(root.get(path("egress-two")).json().get("ranges").toString()).isEqualTo("[\"10.1.0.0/16\"]");
        assertThat(root.get(path("no-such-team")).status()).isEqualTo(404);
        assertThat(root.put(path("no-such-team"), Map.of("ranges", List.of())).status()).isEqualTo(404);
    }

    @Test
    void theBodyIsCappedLikeEveryApiBody() {
        var root = root();
        root.post("/api/v1/teams", Map.of("name", "egress-three"));
        var huge = root.put(path("egress-three"), Map.of("ranges", List.of("x".repeat(2 << 20))));
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.contentType()).startsWith("application/problem+json");
    }
}
