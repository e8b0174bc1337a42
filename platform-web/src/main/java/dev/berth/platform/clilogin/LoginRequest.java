package dev.berth.platform.clilogin;

import java.time.Instant;

/**
 * One command line's request to be signed in, as stored (never its device code).
 *
 * @param hostName the machine the CLI says it runs on, or null
 * @param sourceAddress the address the request came from, as the connection showed it
 * @param decidedBy the user who approved or denied it, or null while pending
 * @param decidedCredentials that user's credentials version when deciding
 */
public record LoginRequest(long id, UserCode userCode, String client, String hostName, String sourceAddress, String userAgent,
                           Instant createdAt, Instant expiresAt, int intervalSeconds, Instant lastPolledAt, State state,
                           Long decidedBy, Long decidedCredentials) {

    public enum State { PENDING, APPROVED, DENIED, CONSUMED }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** What a person reads on the approval page: what is asking to be signed in. */
    public String description() {
        return client + (hostName == null ? "" : " on " + hostName);
    }
}
