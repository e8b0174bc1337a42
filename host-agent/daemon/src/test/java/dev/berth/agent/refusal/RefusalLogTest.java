package dev.berth.agent.refusal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.firewall.Refusal;
import dev.berth.agent.protocol.RefusedDestination;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RefusalLogTest {
    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    private static Refusal refusal(String container, String address, String protocol, int port, long packets) {
        try {
            return new Refusal(container, InetAddress.getByName(address), protocol, port, packets);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static RefusedDestination seen(String address, String protocol, int port, long count, int atSecond) {
        return new RefusedDestination(address, protocol, port, count, T0.plusSeconds(atSecond));
    }

    /** A reading taken every ten seconds, starting at T0. */
    record Case(String name, List<List<Refusal>> readings, String container, List<RefusedDestination> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        var pg = refusal("web-1", "203.0.113.9", "tcp", 5432, 3);
        return Stream.of(
                new Case("nothing read: nothing refused", List.of(), "web-1", List.of()),
                new Case("a new destination is seen at its first reading",
                        List.of(List.of(pg)), "web-1", List.of(seen("203.0.113.9", "tcp", 5432, 3, 0))),
                new Case("an unchanged count keeps the time it was last seen",
                        List.of(List.of(pg), List.of(pg), List.of(pg)), "web-1", List.of(seen("203.0.113.9", "tcp", 5432, 3, 0))),
                new Case("a count that grew is seen at the reading it grew in",
                        List.of(List.of(pg), List.of(refusal("web-1", "203.0.113.9", "tcp", 5432, 7)), List.of(
                                refusal("web-1", "203.0.113.9", "tcp", 5432, 7))),
                        "web-1", List.of(seen("203.0.113.9", "tcp", 5432, 7, 10))),
                new Case("a count that went down belongs to new rules, seen now",
                        List.of(List.of(pg), List.of(refusal("web-1", "203.0.113.9", "tcp", 5432, 1))),
                        "web-1", List.of(seen("203.0.113.9", "tcp", 5432, 1, 10))),
                new Case("a container missing from a reading is gone: forgotten",
                        List.of(List.of(pg), List.of()), "web-1", List.of()),
                new Case("a container that comes back starts afresh",
                        List.of(List.of(pg), List.of(), List.of(refusal("web-1", "203.0.113.9", "tcp", 5432, 3))),
                        "web-1", List.of(seen("203.0.113.9", "tcp", 5432, 3, 20))),
                new Case("another container's refusals are not this one's",
                        List.of(List.of(pg, refusal("web-2", "203.0.113.10", "udp", 53, 1))), "web-2",
                        List.of(seen("203.0.113.10", "udp", 53, 1, 0))),
                new Case("port and protocol tell destinations apart; the most recent first, then the larger count",
                        List.of(List.of(pg, refusal("web-1", "203.0.113.9", "udp", 5432, 9)),
                                List.of(pg, refusal("web-1", "203.0.113.9", "udp", 5432, 9),
                                        refusal("web-1", "203.0.113.9", "icmp", 0, 2))),
                        "web-1", List.of(seen("203.0.113.9", "icmp", 0, 2, 10), seen("203.0.113.9", "udp", 5432, 9, 0),
                                seen("203.0.113.9", "tcp", 5432, 3, 0))),
                new Case("IPv6 addresses in their usual form",
                        List.of(List.of(refusal("web-1", "2001:db8:0:0:0:0:0:5", "icmpv6", 0, 4))), "web-1",
                        List.of(seen("2001:db8:0:0:0:0:0:5", "icmpv6", 0, 4, 0))));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void tracks(Case c) {
        var log = new RefusalLog(CLOCK, 50);
        Instant now = T0;
        for (var reading : c.readings()) {
            log.record(reading, now);
            now = now.plus(Duration.ofSeconds(10));
        }
        assertThat(log.of(c.container()).destinations()).containsExactlyElementsOf(c.expected());
        assertThat(log.of(c.container()).leftOut()).isZero();
    }

    @Test
    void keepsTheMostRecentUpToItsCapAndSaysHowManyItLeftOut() {
        var log = new RefusalLog(CLOCK, 3);
        var reading = new ArrayList<Refusal>();
        for (int i = 1; i <= 5; i++) {
            reading.add(refusal("web-1", "203.0.113." + i, "tcp", 80, 1));
            log.record(reading, T0.plusSeconds(i));
        }
        var refused = log.of("web-1");
        assertThat(refused.destinations()).extracting(RefusedDestination::destination)
                .containsExactly("203.0.113.5", "203.0.113.4", "203.0.113.3");
        assertThat(refused.leftOut()).isEqualTo(2);
    }

    @Test
    void aFailedReadingKeepsWhatWasKnown() {
        var failing = new boolean[] {false};
        var readings = new RefusalReadings(() -> {
            if (failing[0]) throw new IOException("nft: no such table");
            return List.of(refusal("web-1", "203.0.113.9", "tcp", 5432, 3));
        }, new RefusalLog(CLOCK, 50));
        assertThat(readings.refresh()).isTrue();
        failing[0] = true;
        assertThat(IntStream.range(0, 3).mapToObj(i -> readings.refresh())).containsOnly(false);
        assertThat(readings.of("web-1").destinations()).containsExactly(seen("203.0.113.9", "tcp", 5432, 3, 0));
        failing[0] = false;
        assertThat(readings.refresh()).isTrue();
    }
}
