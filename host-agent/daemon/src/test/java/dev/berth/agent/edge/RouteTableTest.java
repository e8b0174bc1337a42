package dev.berth.agent.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.EdgeRoute;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    static final RouteTable ROUTES = RouteTable.of(List.of(
            new EdgeRoute("shop.example.com", "/", "t/root", List.of()),
            new EdgeRoute("shop.example.com", "/api", "t/api", List.of()),
            new EdgeRoute("shop.example.com", "/api/v2", "t/v2", List.of()),
            new EdgeRoute("docs.example.com", "/guide", "t/docs", List.of())));

    @ParameterizedTest
    @CsvSource({
        "shop.example.com, /, t/root", "shop.example.com, /apiary, t/root", "shop.example.com, /api, t/api",
        "shop.example.com, /api/, t/api", "shop.example.com, /api/v2x, t/api", "shop.example.com, /api/v2/x, t/v2",
        "shop.example.com:8443, /API/V2, t/v2", "SHOP.example.com, /x, t/root", "docs.example.com, /guide/a, t/docs",
        "docs.example.com, /other, -", "unknown.example.com, /, -"})
    void longestWholeSegmentPrefixWins(String host, String path, String app) {
        assertThat(ROUTES.match(host, path).map(EdgeRoute::app).orElse("-")).isEqualTo(app);
    }

    @Test
    void ordersByHostThenLongestPath() {
        assertThat(ROUTES.ordered()).extracting(r -> r.host() + r.path())
                .containsExactly("docs.example.com/guide", "shop.example.com/api/v2", "shop.example.com/api", "shop.example.com/");
        assertThat(ROUTES.hosts()).containsExactly("docs.example.com", "shop.example.com");
    }
}
