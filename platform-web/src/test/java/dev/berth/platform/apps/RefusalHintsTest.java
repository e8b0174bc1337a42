package dev.berth.platform.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RefusalHintsTest {
    private static AppNetwork network(String egress) {
        return new AppNetwork("acme", "web", 3, egress,
                List.of(new AppNetwork.Destination("10.20.0.0/16", 5432), new AppNetwork.Destination("203.0.113.64/26", 0)),
                List.of(), List.of("10.20.0.0/16", "172.16.5.0/24"), List.of());
    }

    @ParameterizedTest(name = "{0} {1}:{2} with egress {3}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            10.30.0.5     | tcp    | 5432 | none   | not allowed: add it under egressTo (an admin must allow the range for the team)
            192.168.1.1   | udp    | 53   | public | DNS goes only to the resolvers in its /etc/resolv.conf (it has them with egress: public or any egressTo): to query this server, list it under egressTo with port 53
            169.254.169.254 | tcp  | 80   | public | not allowed: add it under egressTo (an admin must allow the range for the team)
            172.16.5.9    | tcp    | 6379 | none   | not allowed: add it under egressTo (the team may use 172.16.5.0/24)
            10.20.0.5     | tcp    | 6379 | none   | egressTo allows 10.20.0.0/16 only on port 5432: list port 6379 too
            10.20.0.5     | tcp    | 5432 | none   | egressTo allows it now: it was refused under an earlier revision
            10.20.0.5     | icmp   | 0    | none   | egressTo lets TCP and UDP through, not icmp
            203.0.113.9   | tcp    | 5432 | none   | egress is none: declare egress: public or list it under egressTo
            2001:4860::8888 | udp  | 53   | none   | DNS goes only to the resolvers in its /etc/resolv.conf (it has them with egress: public or any egressTo): to query this server, list it under egressTo with port 53
            203.0.113.70  | tcp    | 53   | public | DNS goes only to the resolvers in its /etc/resolv.conf (it has them with egress: public or any egressTo): to query this server, list it under egressTo with port 53
            203.0.113.70  | icmp   | 53   | public | egressTo lets TCP and UDP through, not icmp
            203.0.113.9   | tcp    | 5432 | public | egress is public now: it was refused under an earlier revision
            203.0.113.70  | udp    | 123  | none   | egressTo allows it now: it was refused under an earlier revision
            fd00::5       | tcp    | 443  | public | not allowed: add it under egressTo (an admin must allow the range for the team)
            not-an-address | tcp   | 80   | none   | null
            10.20.0.0/16  | tcp    | 80   | none   | null
            """)
    void hints(String destination, String protocol, int port, String egress, String expected) {
        assertThat(RefusalHints.hint(destination, protocol, port, network(egress))).isEqualTo(expected);
    }
}
