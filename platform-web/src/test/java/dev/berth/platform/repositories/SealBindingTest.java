package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Remote tokens and webhook secrets are sealed bound to their repository row: a sealed value
 * copied to another row (as someone who can write the database but lacks the key would) opens
 * nowhere else, and values sealed before the binding are rebound once and then only open bound.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SealBindingTest extends PlatformTest {
    private static final String TEAM = "seals";

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    GitProperties git;
    @Autowired
    SecretBox box;
    @Autowired
    SealRebinding rebinding;
    @Autowired
    ExternalSync sync;
    @Autowired
    RepositoryStore store;

    private Api root;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void setUp() {
        root = Api.at(port).bearer(Api.at(port).tokenFor("admin", ADMIN_PASSWORD));
        root.post("/api/v1/teams", Map.of("name", TEAM));
    }

    private record Registered(long id, String secret) {
    }

    private Registered register(String name, String token) throws Exception {
        var r = root.post("/api/v1/teams/" + TEAM + "/repositories", Map.of("name", name,
                "url", Files.createTempDirectory("berth-seal").toString(), "pollSeconds", 86_400, "token", token));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return new Registered(r.json().path("repository").path("id").asLong(), r.json().path("webhookSecret").asString());
    }

    private int webhook(long id, String secret) throws Exception {
        byte[] body = ("{\"ref\":\"refs/heads/other\",\"n\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/repositories/" + id + "/webhook"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(WebhookCheck.hmac(secret, body)))
                .header("X-GitHub-Delivery", UUID.randomUUID().toString());
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private byte[] column(long id, String column) {
        return jdbc.sql("SELECT " + column + " FROM repositories WHERE id = ?").param(id).query(byte[].class).single();
    }

    /** Sealed the way Berth sealed before V15: AES-GCM with no associated data. */
    private byte[] sealedUnbound(String secret) throws Exception {
        byte[] key = Base64.getDecoder().decode(Files.readString(git.secretKeyFile()).strip());
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        var cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
        byte[] out = Arrays.copyOf(nonce, 12 + sealed.length);
        System.arraycopy(sealed, 0, out, 12, sealed.length);
        return out;
    }

    @Test
    void aSealedValueCopiedToAnotherRowOpensThereNot() throws Exception {
        var victim = register("victim", "ghp_victims-token");
        var mine = register("mine", "ghp_my-token");
        assertThat(webhook(mine.id(), mine.secret())).isEqualTo(202);

        jdbc.sql("UPDATE repositories SET webhook_secret = ?, remote_secret = ? WHERE id = ?")
                .params(column(victim.id(), "webhook_secret"), column(victim.id(), "remote_secret"), mine.id()).update();
        assertThat(webhook(mine.id(), victim.secret())).as("the victim's secret, copied, does not open on my row").isEqualTo(500);
        var result = sync.sync(mine.id(), "test");
        assertThat(result).isInstanceOfSatisfying(ExternalSync.Failed.class,
                f -> assertThat(f.error()).contains("the remote token could not be opened").contains("moved from another row"));
        assertThat(webhook(victim.id(), victim.secret())).as("the victim's row is untouched").isEqualTo(202);
    }

    @Test
    void theTokenIsBoundToTheRemoteItWasGivenFor() throws Exception {
        var repo = register("moved", "ghp_token");
        jdbc.sql("UPDATE repositories SET remote_url = 'https://127.0.0.1:1/collect.git' WHERE id = ?").param(repo.id()).update();
        var result = sync.sync(repo.id(), "test");
        assertThat(result).as("never sent to the new address").isInstanceOfSatisfying(ExternalSync.Failed.class,
                f -> assertThat(f.error()).contains("could not be opened"));
    }

    @Test
    void valuesSealedBeforeTheBindingAreReboundOnceAndThenOnlyOpenBound() throws Exception {
        var repo = register("legacy", "ghp_sealed-before-v15");
        String oldSecret = "f".repeat(64);
        byte[] unboundHook = sealedUnbound(oldSecret);
        byte[] unboundToken = sealedUnbound("ghp_legacy-token");
        jdbc.sql("UPDATE repositories SET webhook_secret = ?, remote_secret = ?, seals_unbound = true WHERE id = ?")
                .params(unboundHook, unboundToken, repo.id()).update();
        assertThat(webhook(repo.id(), oldSecret)).as("not opened the old way outside the rebinding").isEqualTo(500);

        assertThat(rebinding.rebind()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.sql("SELECT seals_unbound FROM repositories WHERE id = ?").param(repo.id()).query(Boolean.class).single())
                .isFalse();
        assertThat(webhook(repo.id(), oldSecret)).as("the same secret keeps working, now bound").isEqualTo(202);
        var row = store.find(repo.id()).orElseThrow();
        assertThat(box.open(row.remote().sealedSecret(), RepositorySeals.remoteToken(row))).isEqualTo("ghp_legacy-token");
        assertThat(rebinding.rebind()).as("nothing is left to rebind").isZero();

        // An unbound value put back later, without the mark, is refused rather than rebound.
        jdbc.sql("UPDATE repositories SET webhook_secret = ? WHERE id = ?").params(unboundHook, repo.id()).update();
        assertThat(rebinding.rebind()).isZero();
        assertThat(webhook(repo.id(), oldSecret)).isEqualTo(500);
    }
}
