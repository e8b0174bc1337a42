package dev.berth.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

/** A host that joined with a fresh join token, and its agent's client (by its credential). */
public record JoinedAgent(String hostId, Api api) {
    /** Joins {@code hostname}: {@code admin} makes the join token, {@code api} registers anonymously. */
    public static JoinedAgent join(Api api, Api admin, String hostname) {
        var token = admin.post("/api/v1/hosts/join-tokens", Map.of());
        assertThat(token.status()).as(token.toString()).isEqualTo(201);
        var registration = Map.of("version", 1, "joinToken", token.json().get("token").asString(), "hostname", hostname,
                "capacity", Map.of("memoryBytes", 1L << 30, "cpuMillis", 1000), "agentVersion", "test");
        var r = api.anonymous().post("/agent/v1/register", registration);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return new JoinedAgent(r.json().get("hostId").asString(), api.bearer(r.json().get("credential").asString()));
    }
}
