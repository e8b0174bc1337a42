package dev.berth.platform.certificates;

import java.util.Set;

/**
 * Every host some app routes now. The integrator implements it; the platform's minutely job keeps
 * an ACME certificate for each of them that has no uploaded one.
 */
public interface RoutedHosts {
    Set<String> hosts();
}
