package dev.berth.agent.firewall;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs {@code nft}: the only class of the agent that starts it. A ruleset goes in on stdin
 * ({@code nft -f -}), so one call is one kernel transaction; listings come back on stdout. Output
 * is capped and a run that outlasts its timeout is killed.
 */
final class Nft {
    /** What nft may print: a table of many containers lists in well under this. */
    static final int MAX_OUTPUT = 1 << 20;

    private final Path binary;
    private final Duration timeout;

    Nft(Path binary, Duration timeout) {
        if (!binary.isAbsolute()) throw new IllegalArgumentException("nft path must be absolute: " + binary);
        this.binary = binary;
        this.timeout = timeout;
    }

    /** What one run printed; {@code exit} 0 is success. */
    record Output(int exit, String stdout, String stderr) {
        boolean ok() {
            return exit == 0;
        }

        /** nft's own explanation, for an error message. */
        String message() {
            String s = stderr.strip();
            return s.isEmpty() ? "exit " + exit : s;
        }
    }

    /** Applies {@code script} in one transaction; an IOException carrying nft's message when it is refused. */
    void apply(String script) throws IOException {
        Output out = feed(script, "-f", "-");
        if (!out.ok()) throw new IOException("nft refused the ruleset: " + out.message());
    }

    /** Runs {@code nft args...} with nothing on stdin. */
    Output run(String... args) throws IOException {
        return feed("", args);
    }

    private Output feed(String stdin, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command);
        pb.environment().clear();
        Process p = pb.start();
        var stdout = CompletableFuture.supplyAsync(() -> readCapped(p.getInputStream()));
        var stderr = CompletableFuture.supplyAsync(() -> readCapped(p.getErrorStream()));
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // nft exited before reading: its stderr says why.
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("nft " + String.join(" ", args) + " did not finish within " + timeout.toMillis() + " ms");
            }
            byte[] out = stdout.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            byte[] err = stderr.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (out == null || err == null) throw new IOException("nft " + String.join(" ", args) + " printed more than " + MAX_OUTPUT + " bytes");
            return new Output(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while nft ran");
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new IOException("nft's output could not be read: " + e.getMessage());
        }
    }

    /** The bytes of {@code in}, or null past {@link #MAX_OUTPUT}. */
    private static byte[] readCapped(InputStream in) {
        try (in) {
            byte[] all = in.readNBytes(MAX_OUTPUT + 1);
            return all.length > MAX_OUTPUT ? null : all;
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
