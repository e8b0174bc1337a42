package dev.berth.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LinkPartsTest {

    @Test
    void endpointsKeepThePathThePlatformIsServedUnder() {
        assertThat(LinkParts.endpoint(URI.create("http://127.0.0.1:8080"), "agent/v1/heartbeat"))
                .isEqualTo(URI.create("http://127.0.0.1:8080/agent/v1/heartbeat"));
        assertThat(LinkParts.endpoint(URI.create("https://example.com/berth"), "agent/v1/register"))
                .isEqualTo(URI.create("https://example.com/berth/agent/v1/register"));
        assertThat(LinkParts.endpoint(URI.create("https://example.com/berth/"), "agent/v1/register"))
                .isEqualTo(URI.create("https://example.com/berth/agent/v1/register"));
    }

    @Test
    void memTotalIsReadInBytes() {
        String meminfo = """
                MemTotal:       16318460 kB
                MemFree:         1234567 kB
                MemAvailable:    9876543 kB
                """;
        assertThat(LinkParts.memTotalBytes(meminfo)).isEqualTo(16318460L * 1024);
        assertThat(LinkParts.memTotalBytes("MemFree: 12 kB\n")).isZero();
        assertThat(LinkParts.memTotalBytes("MemTotal: lots kB\n")).isZero();
        assertThat(LinkParts.memTotalBytes("")).isZero();
    }

    @Test
    void backoffDoublesFromTheIntervalUpToAMinute() {
        var ten = Duration.ofSeconds(10);
        assertThat(LinkParts.nextDelay(ten, 0)).isEqualTo(ten);
        assertThat(LinkParts.nextDelay(ten, 1)).isEqualTo(ten);
        assertThat(LinkParts.nextDelay(ten, 2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(LinkParts.nextDelay(ten, 3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(LinkParts.nextDelay(ten, 4)).isEqualTo(Duration.ofSeconds(60));
        assertThat(LinkParts.nextDelay(ten, 1000)).isEqualTo(Duration.ofSeconds(60));
        assertThat(LinkParts.nextDelay(Duration.ofSeconds(1), 3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(LinkParts.nextDelay(Duration.ofMinutes(5), 9)).isEqualTo(Duration.ofMinutes(5));
    }
}
