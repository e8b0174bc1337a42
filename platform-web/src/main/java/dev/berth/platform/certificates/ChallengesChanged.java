package dev.berth.platform.certificates;

import dev.berth.agent.protocol.AcmeChallenge;
import java.util.List;

/**
 * Published (on the instance that changed them, after the change committed) when the set of open
 * ACME challenges changed: edges' assignments must carry {@code open} from now on, so the
 * integrator moves the edge hosts' generations.
 *
 * @param open every challenge open now, as {@link CertificateManager#openChallenges()} returns them
 */
public record ChallengesChanged(List<AcmeChallenge> open) {
    public ChallengesChanged {
        open = List.copyOf(open);
    }
}
