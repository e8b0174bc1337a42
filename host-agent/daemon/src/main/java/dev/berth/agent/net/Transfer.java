package dev.berth.agent.net;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/** One direction of a relayed connection: how its bytes get from one socket to the other. */
sealed interface Transfer permits Copier, Splicer {

    /**
     * Moves bytes from {@code from} to {@code to} until end of stream on {@code from}, then returns
     * (the caller half-closes {@code to}). Throws {@link Unavailable} before moving anything when
     * this way of moving cannot serve the pair; any other exception ends the connection.
     */
    void move(SocketChannel from, SocketChannel to) throws IOException;

    /** This transfer cannot serve the pair, and nothing has been moved yet: use another. */
    final class Unavailable extends IOException {
        Unavailable(String why, Throwable cause) {
            super(why, cause);
        }
    }
}
