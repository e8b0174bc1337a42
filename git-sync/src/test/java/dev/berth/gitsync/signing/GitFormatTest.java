package dev.berth.gitsync.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.gitsync.signing.SignatureStatus.Verified;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lets the real git CLI write a signed commit, so the header layout and payload are git's and not
 * our guess. gpg.program points at a script that records what git asks it to sign and answers with
 * a signature made here in advance (the payload is predictable with fixed dates).
 */
class GitFormatTest {
    static final String IDENT = "Ada Lovelace <ada@example.com> 1717200000 +0000";

    @Test
    void verifiesACommitSignedThroughGit(@TempDir Path dir) throws Exception {
        assumeTrue(gitAvailable(), "git is not on PATH");
        git(dir, null, "init", "-q", "repo");
        Path repo = dir.resolve("repo");
        String tree = git(repo, "", "mktree").strip();
        String payload = "tree " + tree + "\nauthor " + IDENT + "\ncommitter " + IDENT + "\n\nSigned through git\n";

        TestKeys.Key ada = TestKeys.generate("Ada Lovelace <ada@example.com>");
        Files.writeString(dir.resolve("signature.asc"), ada.sign(payload));
        Path fakeGpg = dir.resolve("fake-gpg");
        Files.writeString(fakeGpg, """
                #!/bin/sh
                cat > "%1$s/payload"
                printf '\\n[GNUPG:] SIG_CREATED D 22 8 00 1717200000 X\\n' >&2
                cat "%1$s/signature.asc"
                """.formatted(dir));
        Files.setPosixFilePermissions(fakeGpg, PosixFilePermissions.fromString("rwx------"));

        String id = git(repo, null, "-c", "gpg.program=" + fakeGpg, "-c", "user.signingkey=" + ada.fingerprint(),
                "commit-tree", "-S", "-m", "Signed through git", tree).strip();
        byte[] raw = git(repo, null, "cat-file", "commit", id).getBytes(StandardCharsets.UTF_8);

        assertThat(Files.readString(dir.resolve("payload"))).isEqualTo(payload);
        assertThat(new String(raw, StandardCharsets.UTF_8)).contains("\ngpgsig -----BEGIN PGP SIGNATURE-----\n");
        assertThat(new String(SignedCommit.parse(raw).payload(), StandardCharsets.UTF_8)).isEqualTo(payload);
        assertThat(CommitSignatures.verify(raw, List.of(ada.trusted())))
                .isEqualTo(new Verified(ada.fingerprint(), "Ada Lovelace <ada@example.com>"));
        // and our own layout, hashed by git, is the object git wrote
        String ours = git(repo, new String(TestKeys.signed(payload, ada.sign(payload)), StandardCharsets.UTF_8),
                "hash-object", "-t", "commit", "--stdin").strip();
        assertThat(ours).isEqualTo(id);
    }

    private static boolean gitAvailable() {
        try {
            return new ProcessBuilder("git", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String git(Path dir, String stdin, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<String>(List.of("git"));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false);
        Map<String, String> env = builder.environment();
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_AUTHOR_NAME", "Ada Lovelace");
        env.put("GIT_AUTHOR_EMAIL", "ada@example.com");
        env.put("GIT_AUTHOR_DATE", "1717200000 +0000");
        env.put("GIT_COMMITTER_NAME", "Ada Lovelace");
        env.put("GIT_COMMITTER_EMAIL", "ada@example.com");
        env.put("GIT_COMMITTER_DATE", "1717200000 +0000");
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + err);
        return out;
    }
}
