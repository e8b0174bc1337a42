package dev.berth.gitsync.definition;

/**
 * How a new revision replaces the running one. For {@code ROLLING}, at most {@code maxSurge}
 * extra replicas start and at most {@code maxUnavailable} are missing at any time; both are 0
 * for {@code RECREATE}, which stops everything first.
 */
public record Deploy(Strategy strategy, int maxSurge, int maxUnavailable, boolean autoRollback) {
    /** Rolling, one extra replica at a time, none missing, roll back when the new one fails. */
    public static final Deploy DEFAULT = new Deploy(Strategy.ROLLING, 1, 0, true);

    public enum Strategy {
        ROLLING, RECREATE
    }
}
