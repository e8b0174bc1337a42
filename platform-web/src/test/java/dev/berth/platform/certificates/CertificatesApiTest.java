package dev.berth.platform.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import dev.berth.platform.repositories.TeamPushes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Uploaded certificates over HTTP: deployers upload and delete for their app's routes, viewers
 * see the state, every refusal says why, the key never comes back and is audited never.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CertificatesApiTest extends PlatformTest {
    private static final String TEAM = "certs-api";
    private static final String HOST = "shop.certs-api.example.com";
    private static final String PASSWORD = "a-long-enough-password";


    private TeamPushes pushes;

    /** The team's app web routes HOST and www, pushed in a berth.yaml as a team would. */
    @BeforeAll
    void routes() throws Exception {
        pushes = TeamPushes.start(port, "berth-certs-api", "acme/certs:1", List.of(TEAM));
        assertThat(pushes.root.put("/api/v1/teams/" + TEAM + "/domains", Map.of("domains", List.of("*." + TEAM + ".example.com")))
                .status()).isEqualTo(200);
        var pushed = pushes.push(TEAM, "site", "admin", pushes.rootToken, """
                  web:
                    image: %s
                    ports: [{name: http, port: 8080, publish: true}]
                    health: {http: {port: http, path: /}}
                    routes: [{host: %s, port: http}, {host: www.%s.example.com, port: http}]
                """.formatted(pushes.image, HOST, TEAM));
        assertThat(pushed.exit()).as(pushed.out()).isZero();
    }

    @AfterAll
    void stopRegistry() throws Exception {
        if (pushes != null) pushes.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    CertificateManager manager;

    private static String path(String host) {
        return "/api/v1/teams/" + TEAM + "/apps/web/certificates" + (host == null ? "" : "/" + host);
    }

    @Test
    void aDeployerUploadsAViewerSeesItEdgesGetItSealedAndTheKeyNeverComesBack() throws Exception {
        var api = Api.at(port);
        var root = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        for (var user : List.of("certs-deployer", "certs-viewer")) {
            assertThat(root.post("/api/v1/users", Map.of("username", user, "password", PASSWORD)).status()).isEqualTo(201);
        }
        root.post("/api/v1/teams/" + TEAM + "/members", Map.of("username", "certs-deployer", "role", "DEPLOYER"));
        root.post("/api/v1/teams/" + TEAM + "/members", Map.of("username", "certs-viewer", "role", "VIEWER"));
        var deployer = api.bearer(api.tokenFor("certs-deployer", PASSWORD));
        var viewer = api.bearer(api.tokenFor("certs-viewer", PASSWORD));

        var keys = Pem.newKeyPair();
        String key = Pem.privateKey(keys.getPrivate());
        String chain = Pem.certificates(List.of(TestCertificates.selfSigned(keys, List.of(HOST), Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(30)))));
        var upload = Map.of("certificate", chain, "key", key);

        assertThat(viewer.put(path(HOST), upload).status()).isEqualTo(403);
        var notRouted = deployer.put(path("other.certs-api.example.com"), upload);
        assertThat(notRouted.status()).isEqualTo(400);
        assertThat(notRouted.json().get("detail").asString()).isEqualTo("other.certs-api.example.com is not a route of"
                + " certs-api/web; add it to the app's routes in berth.yaml and push before uploading its certificate");
        var wrongKey = deployer.put(path(HOST), Map.of("certificate", chain, "key", Pem.privateKey(Pem.newKeyPair().getPrivate())));
        assertThat(wrongKey.status()).isEqualTo(400);
        assertThat(wrongKey.json().get("detail").asString()).startsWith("the key does not match the certificate");
        var notCovered = deployer.put(path("www.certs-api.example.com"), upload);
        assertThat(notCovered.json().get("detail").asString())
                .isEqualTo("the certificate does not cover www.certs-api.example.com; it names " + HOST);

        var stored = deployer.put(path(HOST), upload);
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        assertThat(stored.json().get("source").asString()).isEqualTo("uploaded");
        assertThat(stored.json().get("status").asString()).isEqualTo("uploaded");
        assertThat(stored.json().get("issuer").asString()).isEqualTo("Test Upload CA");
        assertThat(stored.body()).doesNotContain("PRIVATE");

        var listed = viewer.get(path(null));
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().get(0).get("host").asString()).isEqualTo(HOST);
        assertThat(listed.json().get(0).get("status").asString()).isEqualTo("uploaded");
        assertThat(listed.json().get(1).get("host").asString()).isEqualTo("www.certs-api.example.com");
        assertThat(listed.json().get(1).get("status").asString()).isEqualTo("pending");
        assertThat(listed.body()).doesNotContain("PRIVATE");

        var agent = Pem.newKeyPair();
        var sealed = manager.forEdge(agent.getPublic()).stream().filter(c -> c.host().equals(HOST)).findFirst().orElseThrow();
        assertThat(new String(sealed.key().open(agent.getPrivate(), HOST), StandardCharsets.US_ASCII)).isEqualTo(key);

        var audit = root.get("/api/v1/audit?action=certificate.upload&team=" + TEAM).body();
        assertThat(audit).contains("\"host\":\"" + HOST + "\"").doesNotContain("PRIVATE").doesNotContain(key.lines().skip(1).findFirst().orElseThrow());

        assertThat(viewer.delete(path(HOST)).status()).isEqualTo(403);
        assertThat(deployer.delete(path(HOST)).status()).isEqualTo(204);
        assertThat(deployer.delete(path(HOST)).status()).isEqualTo(404);
        assertThat(root.get("/api/v1/audit?action=certificate.delete&team=" + TEAM).body()).contains(HOST);
        assertThat(viewer.get(path(null)).json().get(0).get("source").asString()).isEqualTo("none");
    }

    @Test
    void anOutsiderHearsTheTeamDoesNotExistAndTheBodyIsCapped() {
        var api = Api.at(port);
        var root = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        root.post("/api/v1/users", Map.of("username", "certs-outsider", "password", PASSWORD));
        var outsider = api.bearer(api.tokenFor("certs-outsider", PASSWORD));
        assertThat(outsider.get("/api/v1/teams/no-such-certs-team/apps/web/certificates").status()).isEqualTo(404);
        var huge = root.put("/api/v1/teams/no-such-certs-team/apps/web/certificates/" + HOST,
                Map.of("certificate", "x".repeat(2 << 20), "key", "k"));
        assertThat(huge.status()).isEqualTo(413);
    }
}
