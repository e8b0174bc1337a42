package dev.berth.platform.clilogin;

import java.time.Instant;

/**
 * What the CLI's poll with a device code gets, decided from the stored request and the time.
 * Pure. The names follow RFC 8628 section 3.5.
 */
public sealed interface PollVerdict {
    /** Nobody decided yet: ask again after {@code intervalSeconds}. */
    record Pending(int intervalSeconds) implements PollVerdict {
    }

    /** Asked again before the interval passed: the interval is now {@code intervalSeconds}. */
    record SlowDown(int intervalSeconds) implements PollVerdict {
    }

    /** The request is over (expired, or its token already collected); {@code why} says which. */
    record Expired(String why) implements PollVerdict {
    }

    record Denied(String why) implements PollVerdict {
    }

    /** A person approved: the token may be minted for {@code userId}, once. */
    record Approved(long userId, long credentialsVersion) implements PollVerdict {
    }

    /** No request has this device code. */
    record Unknown() implements PollVerdict {
    }

    /** How much longer the interval gets each time a client polls too fast (RFC 8628: 5 s). */
    int SLOW_DOWN_STEP = 5;
    int MAX_INTERVAL = 60;

    static PollVerdict decide(LoginRequest request, Instant now) {
        if (request == null) return new Unknown();
        if (request.state() == LoginRequest.State.CONSUMED) {
            return new Expired("this sign-in was already collected; run berth login again for another");
        }
        if (request.expired(now)) {
            return new Expired("nobody approved the sign-in before it expired at " + request.expiresAt() + "; run berth login again");
        }
        return switch (request.state()) {
            case DENIED -> new Denied("the sign-in was denied on the platform's /cli-login page");
            case APPROVED -> new Approved(request.decidedBy(), request.decidedCredentials());
            default -> request.lastPolledAt() != null && now.isBefore(request.lastPolledAt().plusSeconds(request.intervalSeconds()))
                    ? new SlowDown(Math.min(MAX_INTERVAL, request.intervalSeconds() + SLOW_DOWN_STEP))
                    : new Pending(request.intervalSeconds());
        };
    }
}
