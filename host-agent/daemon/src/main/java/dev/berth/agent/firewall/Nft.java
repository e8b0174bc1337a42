package dev.berth.agent.firewall;

import dev.berth.agent.sys.NftablesLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The firewall's one door to nftables. Where the host has libnftables (Debian's nftables package
 * depends on it) the commands run in-process ({@link NftablesLibrary}): a container's rules are written
 * while it starts, and starting {@code nft} for them cost a program start on every container
 * start. Elsewhere, or when told to, it runs the {@code nft} program: a ruleset goes in on stdin
 * ({@code nft -f -}), listings come back on stdout, and a run that outlasts its timeout is killed.
 * Either way one call is one kernel transaction and output is capped.
 */
final class Nft {
    /** What nft may print: a table of many containers lists in well under this. */
    static final int MAX_OUTPUT = 1 << 20;
    /** Set to {@code program} to run the nft program even where libnftables is present. */
    static final String DOOR_PROPERTY = "berth.nft";

    private final Path binary;
    private final Duration timeout;
    private final Optional<NftablesLibrary> library;

    Nft(Path binary, Duration timeout) {
        this(binary, timeout, "program".equals(System.getProperty(DOOR_PROPERTY)) ? Optional.empty() : NftablesLibrary.load());
    }

    Nft(Path binary, Duration timeout, Optional<NftablesLibrary> library) {
        if (!binary.isAbsolute()) throw new IllegalArgumentException("nft path must be absolute: " + binary);
        this.binary = binary;
        this.timeout = timeout;
        this.library = library;
    }

    /** Whether commands run in-process. */
    boolean inProcess() {
        return library.isPresent();
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
        if (library.isPresent()) return capped(inProcess(library.get(), stdin, args), args);
        return program(stdin, args);
    }

    /** The program's options this class uses, as the library's output flags; the rest is the command. */
    private static Output inProcess(NftablesLibrary nft, String stdin, String... args) throws IOException {
        int flags = 0;
        var command = new ArrayList<String>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-j" -> flags |= NftablesLibrary.OUTPUT_JSON;
                case "-t" -> flags |= NftablesLibrary.OUTPUT_TERSE;
                case "-f" -> {
                    if (i + 1 >= args.length || !args[++i].equals("-")) throw new IOException("nft -f takes only - here");
                    command.add(stdin);
                }
                default -> command.add(args[i]);
            }
        }
        var result = nft.run(String.join(" ", command), flags);
        return new Output(result.exit(), result.output(), result.error());
    }

    private static Output capped(Output out, String... args) throws IOException {
        if (out.stdout().length() > MAX_OUTPUT || out.stderr().length() > MAX_OUTPUT) {
            throw new IOException("nft " + String.join(" ", args) + " printed more than " + MAX_OUTPUT + " bytes");
        }
        return out;
    }

    private Output program(String stdin, String... args) throws IOException {
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
