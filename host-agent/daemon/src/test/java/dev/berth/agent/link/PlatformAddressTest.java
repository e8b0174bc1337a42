package dev.berth.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** https:// anywhere, plain http:// only on loopback; decided without resolving a name. */
class PlatformAddressTest {
    @TempDir
    Path state;

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "http://127.0.0.1:8080, allowed",
            "http://127.8.9.10, allowed",
            "http://localhost:8080/, allowed",
            "http://LOCALHOST, allowed",
            "http://[::1]:8080, allowed",
            "http://[0:0:0:0:0:0:0:1], allowed",
            "https://203.0.113.7, allowed",
            "https://berth.example.com:8443/base, allowed",
            "HTTPS://berth.example.com, allowed",
            "http://203.0.113.7:8080, plain http:// to another machine",
            "http://berth.example.com, plain http:// to another machine",
            "http://128.0.0.1, plain http:// to another machine",
            "http://0.0.0.0:8080, plain http:// to another machine",
            "http://[::2], plain http:// to another machine",
            "http://localhost.example.com, plain http:// to another machine",
            "http://127.0.0.1.nip.io, plain http:// to another machine",
            "http://127.1, must be an https:// URL",
            "http://127.0.0.1@203.0.113.7, plain http:// to another machine",
            "ftp://127.0.0.1, must be an https:// URL",
            "file:///etc/passwd, must be an https:// URL",
            "//127.0.0.1:8080, must be an https:// URL",
    })
    void decides(String url, String expected) {
        var refusal = PlatformAddress.refusal(URI.create(url));
        if (expected.equals("allowed")) assertThat(refusal).as(url).isEmpty();
        else assertThat(refusal).as(url).hasValueSatisfying(why -> assertThat(why).contains(expected));
    }

    @Test
    void notAUrlSaysSo() {
        assertThatThrownBy(() -> PlatformAddress.parse("not a url")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--platform must be an https:// URL, not 'not a url'");
    }

    @Test
    void theLinkItselfNeverRegistersOverPlainHttpToAnotherMachine() {
        // 203.0.113.0/24 is TEST-NET: refused before any connection is tried.
        assertThatThrownBy(() -> PlatformLink.join(URI.create("http://203.0.113.7:8080"), state, "berth-join_x",
                Duration.ofSeconds(1), System.err)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plain http:// to another machine");
        assertThat(PlatformLink.hasCredential(state)).isFalse();
    }
}
