package dev.berth.testfixtures;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Container subnets for test agents: /28s of 198.51.100.128/25 (TEST-NET-2), each held by one
 * running test process at a time, so that agents of tests running side by side on one host never
 * hand out the same address. A claim is a file holding the claimer's pid; one whose process is gone
 * is taken over. Shared by ui-tests and fault-tests, which may run side by side.
 */
public final class TestSubnets {
    private static final Path CLAIMS = Path.of("/run/berth-test-subnets");

    private TestSubnets() {
    }

    /** A free /28, held until {@link #release} or the end of this process. */
    public static synchronized String claim() throws IOException {
        Files.createDirectories(CLAIMS);
        String pid = Long.toString(ProcessHandle.current().pid());
        for (int slot = 0; slot < 8; slot++) {
            String subnet = "198.51.100." + (128 + 16 * slot);
            Path claim = CLAIMS.resolve(subnet);
            try {
                Files.writeString(Files.createFile(claim), pid);
            } catch (FileAlreadyExistsException held) {
                if (alive(claim)) continue;
                Files.deleteIfExists(claim); // its process is gone; the next to create it wins
                try {
                    Files.writeString(Files.createFile(claim), pid);
                } catch (FileAlreadyExistsException lost) {
                    continue;
                }
            }
            return subnet + "/28";
        }
        throw new IOException("all eight test subnets of 198.51.100.128/25 are held by running tests (" + CLAIMS + ")");
    }

    /** Gives {@code subnet} (as {@link #claim} returned it) back. */
    public static synchronized void release(String subnet) {
        try {
            Files.deleteIfExists(CLAIMS.resolve(subnet.substring(0, subnet.indexOf('/'))));
        } catch (IOException ignored) {
            // a later claimer finds this process gone
        }
    }

    private static boolean alive(Path claim) {
        try {
            String pid = Files.readString(claim).strip();
            // A claim being written is held: empty means its writer is between create and write.
            return pid.isEmpty() || ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return true;
        }
    }
}
