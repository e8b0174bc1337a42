package dev.berth.platform.certificates;

import dev.berth.agent.protocol.AcmeChallenge;

/**
 * Whether the edges serve a challenge yet. The integrator implements it: every edge host has
 * applied an assignment generation at least the one that first carried {@code challenge} (see
 * {@link ChallengesChanged}). The platform asks the CA to validate only once this says yes, and
 * asks again until the order's timeout.
 */
public interface EdgeReadiness {
    boolean serving(AcmeChallenge challenge);
}
