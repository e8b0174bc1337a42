package dev.berth.platform.certificates;

import java.time.Duration;
import java.time.Instant;

/** When a certificate is due for renewal: once less than a third of its lifetime remains. Pure. */
final class Renewal {
    private Renewal() {
    }

    static boolean due(Instant notBefore, Instant notAfter, Instant now) {
        Duration lifetime = Duration.between(notBefore, notAfter);
        return !now.isBefore(notAfter.minus(lifetime.dividedBy(3)));
    }
}
