package dev.berth.platform.certificates;

import java.util.Set;

/**
 * The hosts an app routes. The integrator implements it from the apps' current revisions; an
 * uploaded certificate is accepted only for one of the app's own route hosts.
 */
public interface AppRoutes {
    /** The hosts {@code team}'s app {@code app} routes now; empty for an app that routes none or does not exist. */
    Set<String> hosts(String team, String app);
}
