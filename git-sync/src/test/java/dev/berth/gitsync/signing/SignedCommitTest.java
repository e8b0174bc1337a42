package dev.berth.gitsync.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The payload is the commit without signature headers, byte for byte as git computes it. */
class SignedCommitTest {
    static final String PAYLOAD = TestKeys.payload("msg\n\n gpgsig in the message stays\n");

    static SignedCommit parse(String raw) {
        return SignedCommit.parse(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void splitsSignatureFromPayload() {
        String signature = "-----BEGIN PGP SIGNATURE-----\n\nabc\n=xyz\n-----END PGP SIGNATURE-----\n";
        SignedCommit commit = SignedCommit.parse(TestKeys.signed(PAYLOAD, signature));
        assertThat(commit.signature()).contains(signature);
        assertThat(new String(commit.payload(), StandardCharsets.UTF_8)).isEqualTo(PAYLOAD);
    }

    @Test
    void otherSignatureHeadersLeaveThePayloadToo() {
        String raw = PAYLOAD.replace("committer", "gpgsig-sha256 -----BEGIN PGP SIGNATURE-----\n two\n -----END PGP SIGNATURE-----\n"
                + "gpgsig -----BEGIN PGP SIGNATURE-----\n one\n -----END PGP SIGNATURE-----\ncommitter");
        SignedCommit commit = parse(raw);
        assertThat(commit.signature()).contains("-----BEGIN PGP SIGNATURE-----\none\n-----END PGP SIGNATURE-----\n");
        assertThat(new String(commit.payload(), StandardCharsets.UTF_8)).isEqualTo(PAYLOAD);
    }

    @Test
    void sha256SignatureAloneIsUsed() {
        SignedCommit commit = parse(PAYLOAD.replace("committer", "gpgsig-sha256 X\n Y\ncommitter"));
        assertThat(commit.signature()).contains("X\nY\n");
        assertThat(new String(commit.payload(), StandardCharsets.UTF_8)).isEqualTo(PAYLOAD);
    }

    @Test
    void otherMultiLineHeadersStayInThePayload() {
        String raw = PAYLOAD.replace("committer", "mergetag object 0123\n type commit\n tag v1\ncommitter");
        SignedCommit commit = parse(raw);
        assertThat(commit.signature()).isEmpty();
        assertThat(new String(commit.payload(), StandardCharsets.UTF_8)).isEqualTo(raw);
    }
}
