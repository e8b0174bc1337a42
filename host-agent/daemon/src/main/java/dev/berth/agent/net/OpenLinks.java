package dev.berth.agent.net;

import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The connections one listener relays now, so that closing the listener cuts every one of them. */
public final class OpenLinks {
    private final Relay relay;
    private final Set<Relay.Link> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    public OpenLinks(Relay relay) {
        this.relay = relay;
    }

    /**
     * Relays between {@code client} and {@code upstream} (a socket channel or a {@link ByteStream})
     * until both directions end; a link started after {@link #cutAll} is cut at once.
     */
    public void relay(SocketChannel client, ByteChannel upstream) {
        var link = relay.start(client, upstream);
        open.add(link);
        if (cut) link.cut(); // the listener closed while this connection was being dialled
        try {
            link.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(link);
        }
    }

    /** Cuts every link under way and every one started from now on. */
    public void cutAll() {
        cut = true;
        open.forEach(Relay.Link::cut);
    }
}
