package dev.berth.agent.cni;

import java.io.IOException;

/**
 * A CNI plugin said no, or could not be run: which plugin, for which command, and the error the
 * plugin reported (its code, message and details, as the CNI specification defines them).
 */
public final class CniFailure extends IOException {
    private final String plugin;
    private final int code;

    CniFailure(String command, String plugin, int code, String message) {
        super("CNI " + command + " failed in plugin '" + plugin + "'" + (code > 0 ? " (code " + code + ")" : "") + ": " + message);
        this.plugin = plugin;
        this.code = code;
    }

    public String plugin() {
        return plugin;
    }

    /** The plugin's error code (1 to 99 are the specification's, 100 and up the plugin's); 0 when it gave none. */
    public int code() {
        return code;
    }
}
