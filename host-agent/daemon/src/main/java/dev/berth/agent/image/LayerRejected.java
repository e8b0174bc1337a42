package dev.berth.agent.image;

import java.io.IOException;

/** A layer that cannot be applied safely; names the offending entry and says why. Nothing of it is kept. */
public class LayerRejected extends IOException {
    private final String path;
    private final String reason;

    public LayerRejected(String path, String reason) {
        super(path + ": " + reason);
        this.path = path;
        this.reason = reason;
    }

    public LayerRejected(String path, String reason, Throwable cause) {
        super(path + ": " + reason, cause);
        this.path = path;
        this.reason = reason;
    }

    /** The entry's path as written in the layer (or a description such as "layer stream"). */
    public String path() {
        return path;
    }

    public String reason() {
        return reason;
    }
}
