package dev.berth.platform.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The pure rules: DNS against the edges, when to renew, and ACME problems as sentences. */
class CertificateRulesTest {
    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> dns() {
        var edges = Set.of(ip("127.0.0.1"), ip("198.51.100.7"));
        return Stream.of(
                Arguments.of(List.of(ip("127.0.0.1")), edges, null),
                Arguments.of(List.of(ip("127.0.0.1"), ip("198.51.100.7")), edges, null),
                Arguments.of(List.of(ip("203.0.113.9")), edges,
                        "DNS for shop.example.com points to 203.0.113.9, not to an edge host (edges: 127.0.0.1, 198.51.100.7)"),
                Arguments.of(List.of(ip("127.0.0.1"), ip("2001:db8::1")), edges,
                        "DNS for shop.example.com points to 2001:db8:0:0:0:0:0:1, not to an edge host (edges: 127.0.0.1, 198.51.100.7)"),
                Arguments.of(List.of(), edges,
                        "DNS has no A or AAAA record for shop.example.com; point it at an edge host (edges: 127.0.0.1, 198.51.100.7)"),
                Arguments.of(List.of(ip("127.0.0.1")), Set.of(),
                        "DNS for shop.example.com points to 127.0.0.1, not to an edge host (edges: none yet)"));
    }

    @ParameterizedTest
    @MethodSource("dns")
    void dnsMustPointOnlyAtEdges(List<InetAddress> resolved, Set<InetAddress> edges, String problem) {
        assertThat(DnsCheck.problem("shop.example.com", resolved, edges)).isEqualTo(Optional.ofNullable(problem));
    }

    @ParameterizedTest
    @CsvSource({
            "2026-01-01T00:00:00Z, 2026-04-01T00:00:00Z, 2026-03-01T23:59:59Z, false",
            "2026-01-01T00:00:00Z, 2026-04-01T00:00:00Z, 2026-03-02T00:00:00Z, true",
            "2026-01-01T00:00:00Z, 2026-04-01T00:00:00Z, 2026-05-01T00:00:00Z, true",
            "2026-01-01T00:00:00Z, 2026-01-01T09:00:00Z, 2026-01-01T05:59:59Z, false",
            "2026-01-01T00:00:00Z, 2026-01-01T09:00:00Z, 2026-01-01T06:00:00Z, true"})
    void renewalIsDueWithAThirdOfTheLifetimeLeft(Instant notBefore, Instant notAfter, Instant now, boolean due) {
        assertThat(Renewal.due(notBefore, notAfter, now)).isEqualTo(due);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "urn:ietf:params:acme:error:rateLimited|too many certificates|Let's Encrypt refused to issue for shop.example.com for now because of its rate limits: too many certificates; the platform tries again later",
            "urn:ietf:params:acme:error:caa|CAA record forbids|Let's Encrypt may not issue for shop.example.com because of the domain's CAA records: CAA record forbids; add a CAA record that allows it or remove the restricting one",
            "urn:ietf:params:acme:error:unauthorized|got 404|Let's Encrypt could not fetch http://shop.example.com/.well-known/acme-challenge/TOKEN: got 404; check that shop.example.com points to an edge host and port 80 is open",
            "urn:ietf:params:acme:error:connection|timeout|Let's Encrypt could not fetch http://shop.example.com/.well-known/acme-challenge/TOKEN: timeout; check that shop.example.com points to an edge host and port 80 is open",
            "urn:ietf:params:acme:error:rejectedIdentifier|blocked name|Let's Encrypt will not issue for shop.example.com: blocked name; choose a public DNS name for the route",
            "urn:ietf:params:acme:error:serverInternal||Let's Encrypt refused the order for shop.example.com: serverInternal"})
    void acmeProblemsBecomeSentences(String type, String detail, String sentence) {
        assertThat(AcmeProblems.sentence("Let's Encrypt", "shop.example.com", "TOKEN", type, detail)).isEqualTo(sentence);
    }
}
