package dev.berth.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NoticeCodecTest {

    static Stream<Arguments> encodings() {
        return Stream.of(
                Arguments.of(new ChangeBatch(Set.of(), false), List.of()),
                Arguments.of(new ChangeBatch(Set.of(), true), List.of("berth-cluster 1 a1\ng")),
                Arguments.of(new ChangeBatch(Set.of("host:7"), false), List.of("berth-cluster 1 a1\nt host:7")),
                Arguments.of(new ChangeBatch(Set.of("logs:acme.web.3.0", "app:acme/web"), true),
                        List.of("berth-cluster 1 a1\ng\nt app:acme/web\nt logs:acme.web.3.0")),
                // Topics are free text up to the line: spaces and non-ASCII travel as they are.
                Arguments.of(new ChangeBatch(Set.of("repo:acme/ünï code"), false), List.of("berth-cluster 1 a1\nt repo:acme/ünï code")));
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void encodesAndDecodesBack(ChangeBatch batch, List<String> payloads) {
        assertThat(NoticeCodec.encode(new ClusterInstance("a1"), batch)).isEqualTo(payloads);
        for (String p : payloads) {
            var notice = NoticeCodec.decode(p);
            assertThat(notice.instance()).isEqualTo(new ClusterInstance("a1"));
            assertThat(notice.changes()).isEqualTo(batch);
        }
    }

    @Test
    void splitsABigBatchIntoPayloadsUnderTheLimitLosingNothing() {
        var topics = new LinkedHashSet<String>();
        IntStream.range(0, 1000).forEach(i -> topics.add("host:" + java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8)})));
        var payloads = NoticeCodec.encode(new ClusterInstance("instance-1"), new ChangeBatch(topics, true));

        assertThat(payloads).hasSizeGreaterThan(4);
        assertThat(payloads).allSatisfy(p -> assertThat(p.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(NoticeCodec.MAX_PAYLOAD_BYTES));
        var decoded = payloads.stream().map(NoticeCodec::decode).toList();
        assertThat(decoded).allSatisfy(n -> assertThat(n.instance().id()).isEqualTo("instance-1"));
        assertThat(decoded.stream().flatMap(n -> n.changes().topics().stream())).containsExactlyInAnyOrderElementsOf(topics);
        assertThat(decoded.stream().filter(n -> n.changes().generationMoved())).hasSize(1);
    }

    static Stream<Arguments> badPayloads() {
        return Stream.of(
                Arguments.of("hello", "line 1: expected 'berth-cluster 1 INSTANCE', got 'hello'"),
                Arguments.of("berth-cluster 2 a1\ng", "line 1: expected 'berth-cluster 1 INSTANCE'"),
                Arguments.of("berth-cluster 1 \ng", "line 1: a cluster instance id is 1 to 64 letters"),
                Arguments.of("berth-cluster 1 a b\ng", "line 1: a cluster instance id is 1 to 64 letters, digits, '.', '_' or '-', not 'a b'"),
                Arguments.of("berth-cluster 1 a1\nx app:acme/web", "line 2: expected 'g' or 't TOPIC', got 'x app:acme/web'"),
                Arguments.of("berth-cluster 1 a1\ng\nt ", "line 3: expected 'g' or 't TOPIC', got 't '"));
    }

    @ParameterizedTest
    @MethodSource("badPayloads")
    void refusesWhatItCannotReadNamingTheLine(String payload, String message) {
        assertThatThrownBy(() -> NoticeCodec.decode(payload)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    static Stream<Arguments> unsendableTopics() {
        return Stream.of(
                Arguments.of("", "must not be empty"),
                Arguments.of("app:a\nb", "has a line break"),
                Arguments.of("app:a\rb", "has a line break"),
                Arguments.of("logs:" + "x".repeat(4000), "bytes is over 3950"));
    }

    @ParameterizedTest
    @MethodSource("unsendableTopics")
    void refusesTopicsThatCouldNotTravel(String topic, String message) {
        assertThatThrownBy(() -> NoticeCodec.requireSendable(topic)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void refusesAnInstanceIdThatWouldBreakTheHeader() {
        assertThatThrownBy(() -> new ClusterInstance("a b")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a b'");
        assertThat(ClusterInstance.random().id()).matches("[0-9a-f]{16}");
    }
}
