package dev.berth.agent.containernet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which DNS servers containers get from the host, and the resolv.conf they see. */
class ResolversTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // host resolv.conf | systemd-resolved's upstream file (- when absent) | servers for containers
            "plain servers|nameserver 203.0.113.53\\nnameserver 2001:db8::53\\n|-|203.0.113.53 2001:db8:0:0:0:0:0:53",
            "loopback left out|nameserver 127.0.0.1\\nnameserver 203.0.113.53\\n|-|203.0.113.53",
            "systemd-resolved's stub|nameserver 127.0.0.53\\noptions edns0\\nsearch example\\n|nameserver 203.0.113.9\\n|203.0.113.9",
            "stub without upstream file|nameserver 127.0.0.53\\n|-|",
            "comments and junk skipped|# nameserver 203.0.113.1\\nnameserver not-an-ip\\nnameserver fe80::1%eth0\\nnameserver 203.0.113.2|-|203.0.113.2",
            "nothing at all||-|"})
    void fromHost(String why, String host, String upstream, String expected) throws Exception {
        var servers = Resolvers.fromHost(unescape(host), upstream.equals("-") ? null : unescape(upstream));
        assertThat(servers).as(why).isEqualTo(addresses(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "may reach something|203.0.113.53 203.0.113.54|true|# written by berth-agent\\nnameserver 203.0.113.53\\nnameserver 203.0.113.54\\n",
            "may reach nothing|203.0.113.53|false|# written by berth-agent\\n# no nameserver: this container may not reach any address beyond itself\\n",
            "none configured|''|true|# written by berth-agent\\n# no nameserver: none is configured for this host's containers\\n"})
    void resolvConf(String why, String servers, boolean reaches, String expected) throws Exception {
        assertThat(Resolvers.resolvConf(addresses(servers), reaches)).as(why).isEqualTo(unescape(expected));
    }

    private static String unescape(String s) {
        return s == null ? "" : s.replace("\\n", "\n");
    }

    private static List<InetAddress> addresses(String spaced) throws Exception {
        if (spaced == null || spaced.isBlank()) return List.of();
        return Arrays.stream(spaced.split(" ")).map(NetworkSettings::resolver).toList();
    }
}
