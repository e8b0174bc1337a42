package dev.berth.agent.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.AcmeChallenge;
import dev.berth.agent.protocol.EdgeAssignment;
import dev.berth.agent.protocol.EdgeRoute;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EdgeChecksTest {

    @ParameterizedTest
    @ValueSource(strings = {"shop.example.com", "a.b", "x-1.example.org", "xn--bcher-kva.example"})
    void hostNamesThatPass(String host) {
        assertThat(EdgeChecks.hostProblem(host)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|empty", "localhost|two labels", "Shop.example.com|lower-case", "shop.example.com.|lower-case",
        "*.example.com|lower-case", "shop.example.com:443|lower-case", "10.0.0.1|all-digit", "-a.example.com|lower-case",
        "a..example.com|lower-case", "a_b.example.com|lower-case", "{http.request.host}.example|lower-case"})
    void hostNamesRefused(String host, String reason) {
        assertThat(EdgeChecks.hostProblem(host)).contains(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/api", "/api/v1", "/a%20b", "/~user/x.y", "/a:b@c"})
    void pathsThatPass(String path) {
        assertThat(EdgeChecks.pathProblem(path)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "api", "/api/", "//", "/a//b", "/a/*", "/{path}", "/a b", "/a?b", "/a#b", "/%zz", "/../x", "/a/."})
    void pathsRefused(String path) {
        assertThat(EdgeChecks.pathProblem(path)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1.2.3:8080", "[::1]:1", "[2001:db8::1]:65535", "host-1.internal:443", "replica.example.com:20001"})
    void upstreamsThatPass(String upstream) {
        assertThat(UpstreamAddress.problem(upstream)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.1.2.3", "10.1.2.3:0", "10.1.2.3:65536", "10.1.2.3:080", "::1:80", "[::1:80", "[x]:80",
        "{env.HOST}:80", "a b:80", "host:80/path", "Host.example:80", "10.1.2.3:+80",
        "169.254.169.254:80", "[fe80::1]:80", "0.0.0.0:80", "[::]:80", "224.0.0.1:80"})
    void upstreamsRefused(String upstream) {
        assertThat(UpstreamAddress.problem(upstream)).isNotNull();
    }

    @Test
    void badEntriesAreLeftOutWithAReasonAndBadUpstreamsLeaveTheirRoute() {
        var checked = EdgeChecks.check(new EdgeAssignment(List.of(
                new EdgeRoute("shop.example.com", "/", "team/shop", List.of("10.0.0.1:20000", "10.0.0.2:99999")),
                new EdgeRoute("shop.example.com", "/", "team/other", List.of("10.0.0.3:20000")),
                new EdgeRoute("Bad.example.com", "/", "team/shop", List.of()),
                new EdgeRoute("shop.example.com", "/x/*", "team/shop", List.of()),
                new EdgeRoute("shop.example.com", "/api", "team {x}", List.of())), List.of(), List.of(
                new AcmeChallenge("shop.example.com", "tok_1-A", "tok_1-A.thumb"),
                new AcmeChallenge("shop.example.com", "tok/../x", "tok.thumb"),
                new AcmeChallenge("shop.example.com", "tok", "other.thumb"),
                new AcmeChallenge("shop.example.com", "tok", "tok.{env.SECRET}"))));
        assertThat(checked.routes()).containsExactly(new EdgeRoute("shop.example.com", "/", "team/shop", List.of("10.0.0.1:20000")));
        assertThat(checked.challenges()).extracting(AcmeChallenge::token).containsExactly("tok_1-A");
        assertThat(checked.refusals()).hasSize(8).anySatisfy(r -> assertThat(r).contains("10.0.0.2:99999").contains("port"))
                .anySatisfy(r -> assertThat(r).contains("routed twice"));
    }
}
