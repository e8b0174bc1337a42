package dev.berth.agent.peer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * Bytes both ways between two sockets until both directions end: the end of one side's input
 * half-closes the other's output, so a request-then-response protocol that closes its sending
 * side first still gets its answer.
 */
final class Relay {
    private static final int BUFFER = 16 * 1024;

    private Relay() {
    }

    /** Returns when both directions are done; closes nothing but the outputs it half-closes. */
    static void both(Socket a, Socket b) {
        var back = Thread.ofVirtual().start(() -> copy(b, a));
        copy(a, b);
        try {
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // One side failed: close both, so the other direction ends too.
            PeerCredentials.closeQuietly(from);
            PeerCredentials.closeQuietly(to);
            return;
        }
        try {
            to.shutdownOutput();
        } catch (IOException | UnsupportedOperationException e) {
            PeerCredentials.closeQuietly(to);
        }
    }
}
