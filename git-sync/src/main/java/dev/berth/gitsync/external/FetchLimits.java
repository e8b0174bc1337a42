package dev.berth.gitsync.external;

import java.io.IOException;

/**
 * What a fetch of a remote repository may do: which hosts it may connect to and how many bytes
 * the remote may send.
 *
 * @param maxBytes    the most bytes all responses of one fetch may carry together (the pack, mostly)
 * @param hosts       checks each host before a connection to it, redirects included
 * @param limitSetting the setting that raises {@code maxBytes}, named when it is exceeded
 */
public record FetchLimits(long maxBytes, HostCheck hosts, String limitSetting) {

    /** Refuses a host with an exception whose message says why. */
    @FunctionalInterface
    public interface HostCheck {
        void check(String host) throws IOException;
    }

    public FetchLimits {
        if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be positive");
        java.util.Objects.requireNonNull(hosts, "hosts");
        java.util.Objects.requireNonNull(limitSetting, "limitSetting");
    }
}
