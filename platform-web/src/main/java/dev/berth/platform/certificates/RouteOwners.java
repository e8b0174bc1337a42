package dev.berth.platform.certificates;

import java.util.Set;

/**
 * Which apps route a host now, so a failing certificate is told to their teams. The integrator
 * implements it; until it exists, no app routes any host.
 */
public interface RouteOwners {
    /** The apps routing {@code host}, as {@code team/app}; empty when none does. */
    Set<String> appsRouting(String host);
}
