package dev.berth.gitsync.external;

import java.io.IOException;
import java.net.Proxy;
import java.util.Optional;

/**
 * What a fetch of a remote repository may do: which hosts it may connect to, the way its
 * connections leave, and how many bytes the remote may send.
 *
 * @param maxBytes     the most bytes all responses of one fetch may carry together (the pack, mostly)
 * @param hosts        checks each host before a connection to it, redirects included
 * @param egress       where the connections go: straight out, or through a proxy that resolves and
 *                     checks each host itself and connects to the address it checked
 * @param limitSetting the setting that raises {@code maxBytes}, named when it is exceeded
 */
public record FetchLimits(long maxBytes, HostCheck hosts, Egress egress, String limitSetting) {

    /** Refuses a host with an exception whose message says why. */
    @FunctionalInterface
    public interface HostCheck {
        void check(String host) throws IOException;
    }

    /**
     * The way out: {@code proxy} for every connection (null: the system's choice), and why it
     * refused a host, asked once when a connection to that host failed.
     */
    public record Egress(Proxy proxy, Refusals refusals) {
        /** Connections go where the system's proxy settings send them; nothing refuses on the way. */
        public static final Egress DIRECT = new Egress(null, host -> Optional.empty());

        public Egress {
            java.util.Objects.requireNonNull(refusals, "refusals");
        }
    }

    /** Why the egress refused a host, if it did. */
    @FunctionalInterface
    public interface Refusals {
        Optional<String> refusal(String host);
    }

    public FetchLimits {
        if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be positive");
        java.util.Objects.requireNonNull(hosts, "hosts");
        java.util.Objects.requireNonNull(egress, "egress");
        java.util.Objects.requireNonNull(limitSetting, "limitSetting");
    }

    /** Connections straight to the hosts {@code hosts} allows. */
    public FetchLimits(long maxBytes, HostCheck hosts, String limitSetting) {
        this(maxBytes, hosts, Egress.DIRECT, limitSetting);
    }
}
