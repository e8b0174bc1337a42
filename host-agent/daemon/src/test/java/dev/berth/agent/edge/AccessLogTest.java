package dev.berth.agent.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.EdgeRoute;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogTest {
    static final RouteTable ROUTES = RouteTable.of(List.of(new EdgeRoute("shop.example.com", "/", "t/shop", List.of()),
            new EdgeRoute("shop.example.com", "/api", "t/api", List.of())));

    /** An access entry as Caddy 2.6.2 writes it (trimmed of headers it also writes). */
    static String line(String host, String uri, int status) {
        return "{\"level\":\"info\",\"ts\":1796497222.25,\"logger\":\"http.log.access.berth_access\",\"msg\":\"handled request\","
                + "\"request\":{\"remote_ip\":\"127.0.0.1\",\"proto\":\"HTTP/2.0\",\"method\":\"POST\",\"host\":\"" + host
                + "\",\"uri\":\"" + uri + "\",\"headers\":{}},\"user_id\":\"\",\"duration\":0.0125,\"size\":335,\"status\":" + status
                + ",\"resp_headers\":{}}";
    }

    @Test
    void parsesCaddysEntryWithoutTheQuery() {
        var entry = AccessLog.parse(line("shop.example.com:443", "/api/orders?token=secret", 201)).orElseThrow();
        assertThat(entry.time()).isEqualTo(Instant.ofEpochSecond(1796497222L, 250_000_000));
        assertThat(entry.method()).isEqualTo("POST");
        assertThat(entry.path()).isEqualTo("/api/orders");
        assertThat(entry.status()).isEqualTo(201);
        assertThat(entry.duration()).isEqualTo(Duration.ofMillis(12).plusNanos(500_000));
        assertThat(entry.bytes()).isEqualTo(335);
    }

    @Test
    void attributesByTheRoutesAndCountsPerApp() {
        var log = new AccessLog();
        assertThat(log.accept(line("shop.example.com:443", "/api/x", 200), ROUTES)).isTrue();
        assertThat(log.accept(line("shop.example.com", "/apiary", 502), ROUTES)).isTrue();
        assertThat(log.accept(line("other.example.com", "/", 404), ROUTES)).isFalse();
        assertThat(log.accept("{\"level\":\"warn\",\"msg\":\"not an access entry\"}", ROUTES)).isFalse();
        assertThat(log.accept("not json", ROUTES)).isFalse();
        assertThat(log.recent("t/api")).extracting(AccessEntry::path).containsExactly("/api/x");
        assertThat(log.recent("t/shop")).extracting(AccessEntry::status).containsExactly(502);
        assertThat(log.counts()).containsEntry("t/api", new AppTraffic.Counts(1, 0, 335)).containsEntry("t/shop", new AppTraffic.Counts(1, 1, 335));
        assertThat(log.unattributed()).isEqualTo(3);
    }

    @Test
    void keepsABoundedBufferPerApp() {
        var log = new AccessLog();
        for (int i = 0; i < AccessLog.PER_APP + 5; i++) log.accept(line("shop.example.com", "/n" + i, 200), ROUTES);
        assertThat(log.recent("t/shop")).hasSize(AccessLog.PER_APP).first().extracting(AccessEntry::path).isEqualTo("/n5");
        assertThat(log.counts().get("t/shop").requests()).isEqualTo(AccessLog.PER_APP + 5);
    }

    @Test
    void followsTheFileFromItsEndThroughARoll(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("access.log");
        Files.writeString(file, "old entry\n");
        var lines = new ArrayList<String>();
        try (var follower = new AccessLogFollower(file)) {
            follower.poll(lines::add);
            assertThat(lines).isEmpty();
            Files.writeString(file, "one\ntw", StandardOpenOption.APPEND);
            follower.poll(lines::add);
            assertThat(lines).containsExactly("one");
            Files.writeString(file, "o\n", StandardOpenOption.APPEND);
            Files.move(file, dir.resolve("access-rolled.log"));
            Files.writeString(file, "three\n" + "x".repeat(AccessLogFollower.MAX_LINE + 10) + "\nfour\n");
            follower.poll(lines::add);
            assertThat(lines).containsExactly("one", "two", "three", "four");
        }
    }
}
