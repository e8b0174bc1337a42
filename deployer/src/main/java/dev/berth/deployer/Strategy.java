package dev.berth.deployer;

/** How a new revision of an app replaces the replicas of older revisions. */
public sealed interface Strategy {
    /**
     * Replace replicas a few at a time: at most {@code maxSurge} replicas beyond the desired count
     * run at once, and the healthy count never drops below {@code replicas - maxUnavailable}.
     *
     * @param maxSurge extra replicas allowed during the rollout, at least 0
     * @param maxUnavailable replicas that may be missing during the rollout, at least 0
     */
    record Rolling(int maxSurge, int maxUnavailable) implements Strategy {
        /** Checks that both are non-negative and not both 0 (a rollout could then never move). */
        public Rolling {
            if (maxSurge < 0 || maxUnavailable < 0) {
                throw new IllegalArgumentException("maxSurge and maxUnavailable cannot be negative");
            }
            if (maxSurge == 0 && maxUnavailable == 0) {
                throw new IllegalArgumentException("maxSurge and maxUnavailable cannot both be 0");
            }
        }
    }

    /** Stop every replica of older revisions, then start the new ones. */
    record Recreate() implements Strategy {
    }

    /**
     * Start all new replicas beside the old ones, wait until every one is healthy, switch the
     * published ports to them at once, then stop the old ones.
     */
    record BlueGreen() implements Strategy {
    }
}
