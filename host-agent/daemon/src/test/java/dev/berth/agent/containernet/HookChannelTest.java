package dev.berth.agent.containernet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.bundle.NetworkHook;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hook's handshake when the agent answers first, as it usually does now that the setup runs
 * beside runc: the answer waits in the reply FIFO the agent holds open, and the hook (the bundle's
 * very script, in /bin/sh) finds it whenever it runs.
 */
class HookChannelTest {
    @TempDir
    Path dir;

    @Test
    void anAnswerGivenBeforeTheHookRunsLetsTheStartGoOn() throws Exception {
        HookChannel.create(dir);
        try (var channel = HookChannel.open(dir)) {
            channel.answer("ok");
            Thread.sleep(50);
            var hook = runHook();
            assertThat(hook.exitCode).as(hook.output).isZero();
        }
    }

    @Test
    void aFailureGivenBeforeTheHookRunsAbortsTheStartWithItsReason() throws Exception {
        HookChannel.create(dir);
        try (var channel = HookChannel.open(dir)) {
            channel.answer("CNI ADD failed: no address left");
            var hook = runHook();
            assertThat(hook.exitCode).isEqualTo(1);
            assertThat(hook.output).contains("berth: network setup failed: CNI ADD failed: no address left");
        }
    }

    @Test
    void theHooksRequestStillReachesAnAgentThatWaitsForIt() throws Exception {
        HookChannel.create(dir);
        try (var channel = HookChannel.open(dir)) {
            var hook = Thread.ofPlatform().start(() -> {
                try {
                    runHook();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(channel.awaitState()).isEqualTo("{\"pid\":1}");
            channel.answer("ok");
            hook.join(10_000);
            assertThat(hook.isAlive()).isFalse();
        }
    }

    private record Ran(int exitCode, String output) {
    }

    /** The hook as runc runs it: runc's state on stdin, the two FIFOs as arguments. */
    private Ran runHook() throws IOException, InterruptedException {
        var p = new ProcessBuilder(NetworkHook.SHELL, "-c", NetworkHook.SCRIPT, NetworkHook.NAME,
                dir.resolve(HookChannel.REQUEST).toString(), dir.resolve(HookChannel.REPLY).toString())
                .redirectErrorStream(true).start();
        p.getOutputStream().write("{\"pid\":1}\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("the hook ended").isTrue();
        return new Ran(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
