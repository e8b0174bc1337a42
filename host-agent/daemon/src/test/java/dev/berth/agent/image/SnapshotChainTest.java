package dev.berth.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotChainTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);

    @Test
    void theBaseKeyIsItsDigestAndLaterKeysChain() {
        var keys = SnapshotChain.keys(List.of(A, B));
        assertThat(keys.get(0)).isEqualTo("a".repeat(64));
        // sha256("aaaa…a sha256:bbbb…b"), computed with sha256sum
        assertThat(keys.get(1)).isEqualTo("0afb61219d5d068fbeadc4b56841bbe0379a43befae52e09c89b1c715c0849ff");
        assertThat(SnapshotChain.keys(List.of(B, A)).get(1)).isNotEqualTo(keys.get(1));
        assertThat(SnapshotChain.keys(List.of(A, B, A)).subList(0, 2)).isEqualTo(keys);
    }

    @Test
    void onlySha256DigestsNameFiles() {
        for (String bad : List.of("sha256:../../etc", "sha512:" + "a".repeat(128), "sha256:" + "A".repeat(64), "")) {
            assertThatThrownBy(() -> SnapshotChain.keys(List.of(bad))).hasMessageContaining("is not a sha256 digest");
        }
    }
}
