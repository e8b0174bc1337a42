package dev.berth.platform.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeerAddressTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            203.0.113.11:7443
            worker-1.example.com:7443
            worker-1:1
            [2001:db8::1]:65535
            """)
    void valid(String address) {
        assertThat(PeerAddress.refusal(address)).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            203.0.113.11        | is not host:port
            :7443               | is not host:port
            worker-1:0          | needs a port from 1 to 65535
            worker-1:65536      | needs a port from 1 to 65535
            worker-1:74x3       | needs a port from 1 to 65535
            worker-1:           | needs a port from 1 to 65535
            2001:db8::1:7443    | needs a host name
            -worker:7443        | needs a host name
            worker_1:7443       | needs a host name
            'a b:7443'          | needs a host name
            '[]:7443'           | needs a host name
            [example.com]:7443  | needs a host name
            """)
    void invalid(String address, String why) {
        assertThat(PeerAddress.refusal(address)).contains(why);
    }

    @org.junit.jupiter.api.Test
    void tooLong() {
        assertThat(PeerAddress.refusal("a".repeat(300) + ":1")).contains("at most 300");
    }
}
