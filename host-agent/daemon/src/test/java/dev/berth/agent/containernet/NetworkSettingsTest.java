package dev.berth.agent.containernet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The agent's container subnet and DNS options: accepted as written, refused with the reason. */
class NetworkSettingsTest {

    @ParameterizedTest
    @ValueSource(strings = {"10.213.0.0/16", "198.51.100.64/26", "172.20.0.0/14", "100.64.0.0/10", "203.0.113.16/28"})
    void acceptsIpv4Ranges(String text) {
        assertThat(NetworkSettings.subnet(text).toString()).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "subnet|10.213.0.0|needs a prefix length",
            "subnet|fd00::/64|not an IPv4 range",
            "subnet|10.0.0.0/7|prefix from /8 to /28",
            "subnet|10.0.0.0/30|prefix from /8 to /28",
            "subnet|127.0.0.0/8|loopback, link-local, multicast or reserved",
            "subnet|169.254.0.0/16|loopback, link-local, multicast or reserved",
            "subnet|224.0.0.0/8|loopback, link-local, multicast or reserved",
            "subnet|240.0.0.0/8|loopback, link-local, multicast or reserved",
            "subnet|0.0.0.0/8|loopback, link-local, multicast or reserved",
            "subnet|10.213.0.1/16|host bits set",
            "subnet|berth.example.com/16|not an IP address or range",
            "subnet|10.0.0.0/x|no valid prefix length",
            "resolver|dns.example.com|not an IP address",
            "resolver|203.0.113.0/24|is a range",
            "resolver|0.0.0.0|cannot be a DNS server",
            "resolver|224.0.0.251|cannot be a DNS server"})
    void refusesWhatCannotBeASubnetOrResolver(String option, String text, String reason) {
        assertThatThrownBy(() -> {
            if (option.equals("subnet")) NetworkSettings.subnet(text);
            else NetworkSettings.resolver(text);
        }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.53", "2001:db8::53", "10.0.0.2"})
    void acceptsResolverLiterals(String text) throws Exception {
        assertThat(NetworkSettings.resolver(text)).isEqualTo(InetAddress.getByName(text));
    }

    @org.junit.jupiter.api.Test
    void theDefaultIsDocumented() {
        assertThat(NetworkSettings.defaults().subnet().toString()).isEqualTo(NetworkSettings.DEFAULT_SUBNET);
        assertThat(NetworkSettings.defaults().dns()).isEqualTo(List.of());
    }
}
