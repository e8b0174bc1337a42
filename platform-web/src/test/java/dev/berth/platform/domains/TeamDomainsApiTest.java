package dev.berth.platform.domains;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Team domains over HTTP: replaced whole, wrong or overlapping entries named, every change audited. */
class TeamDomainsApiTest extends PlatformTest {
    @LocalServerPort
    int port;

    private Api root() {
        return Api.at(port).bearer(Api.at(port).tokenFor("admin", ADMIN_PASSWORD));
    }

    private static String path(String team) {
        return "/api/v1/teams/" + team + "/domains";
    }

    @Test
    void anAdminReplacesTheListKeepingWhoAddedEachAndTheAuditSaysWhatChanged() {
        var root = root();
        assertThat(root.post("/api/v1/teams", Map.of("name", "domains-one")).status()).isEqualTo(201);
        assertThat(root.get(path("domains-one")).body()).isEqualTo("{\"team\":\"domains-one\",\"domains\":[]}");

        var first = root.put(path("domains-one"), Map.of("domains", List.of("shop.domains-one.example", "*.pay.domains-one.example")));
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        var added = first.json().get("domains").get(1);
        assertThat(added.get("pattern").asString()).isEqualTo("*.pay.domains-one.example");
        assertThat(added.get("addedBy").asString()).isEqualTo("admin");
        String addedAt = added.get("addedAt").asString();

        var second = root.put(path("domains-one"), Map.of("domains", List.of("*.pay.domains-one.example", "www.domains-one.example")));
        assertThat(second.status()).isEqualTo(200);
        var kept = root.get(path("domains-one")).json().get("domains");
        assertThat(kept.get(0).get("pattern").asString()).isEqualTo("*.pay.domains-one.example");
        assertThat(kept.get(0).get("addedAt").asString()).isEqualTo(addedAt);
        assertThat(kept.get(1).get("pattern").asString()).isEqualTo("www.domains-one.example");

        var events = root.get("/api/v1/audit?action=team.domains.replace&team=domains-one").body().lines().toList();
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).contains("\"before\":\"\"")
                .contains("\"after\":\"shop.domains-one.example,*.pay.domains-one.example\"");
        assertThat(events.get(1)).contains("\"added\":\"www.domains-one.example\"")
                .contains("\"removed\":\"shop.domains-one.example\"").contains("\"target\":\"team:domains-one\"");
    }

    @Test
    void aWrongOrOverlappingEntryIsNamedAndNothingChanges() {
        var root = root();
        root.post("/api/v1/teams", Map.of("name", "domains-two"));
        root.post("/api/v1/teams", Map.of("name", "domains-three"));
        assertThat(root.put(path("domains-two"), Map.of("domains", List.of("*.a.domains-two.example"))).status()).isEqualTo(200);
        root.put(path("domains-three"), Map.of("domains", List.of("b.domains-two.example")));

        var upper = root.put(path("domains-three"), Map.of("domains", List.of("c.domains-two.example", "X.domains-two.example")));
        assertThat(upper.status()).isEqualTo(400);
        assertThat(upper.contentType()).startsWith("application/problem+json");
        assertThat(upper.json().get("detail").asString())
                .isEqualTo("domains[1] 'X.domains-two.example' must be written in lower case: x.domains-two.example");
        var overlap = root.put(path("domains-three"), Map.of("domains", List.of("c.domains-two.example", "x.a.domains-two.example")));
        assertThat(overlap.status()).isEqualTo(409);
        assertThat(overlap.json().get("detail").asString()).isEqualTo("domains[1] 'x.a.domains-two.example' overlaps"
                + " '*.a.domains-two.example', which team domains-two holds; a host belongs to one team");
        assertThat(root.put(path("domains-three"), Map.of()).status()).isEqualTo(400);

        assertThat(root.get(path("domains-three")).json().get("domains").get(0).get("pattern").asString())
                .isEqualTo("b.domains-two.example");
        assertThat(root.get(path("no-such-team")).status()).isEqualTo(404);
        assertThat(root.put(path("no-such-team"), Map.of("domains", List.of())).status()).isEqualTo(404);
    }

    @Test
    void theBodyIsCappedLikeEveryApiBody() {
        var root = root();
        root.post("/api/v1/teams", Map.of("name", "domains-four"));
        var huge = root.put(path("domains-four"), Map.of("domains", List.of("x".repeat(2 << 20))));
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.contentType()).startsWith("application/problem+json");
    }
}
