package dev.berth.registry.network;

import java.io.IOException;

/** A connection the {@link AddressPolicy} does not allow; the message says which host, why and what to configure. */
public final class ForbiddenTargetException extends IOException {
    private final String host;

    public ForbiddenTargetException(String host, String reason) {
        super(reason);
        this.host = host;
    }

    public String host() {
        return host;
    }
}
