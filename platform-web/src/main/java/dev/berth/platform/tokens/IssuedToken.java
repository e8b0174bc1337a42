package dev.berth.platform.tokens;

/** A freshly created token: the only time its secret text is available. */
public record IssuedToken(String token, ApiToken details) {
}
