package dev.berth.platform.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignatureTest {
    @Test
    void signsLikeGitHubDocumentsItsWebhooks() {
        // The example of GitHub's "Validating webhook deliveries": a receiver's code written for it checks ours too.
        assertThat(Signature.of("It's a Secret to Everybody", "Hello, World!".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }

    @Test
    void secretsAreFreshAndLong() {
        assertThat(Signature.newSecret()).startsWith("whsec_").hasSize(6 + 64).isNotEqualTo(Signature.newSecret());
    }
}
