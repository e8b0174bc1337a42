package dev.berth.platform.deployments;

/**
 * PostgreSQL advisory lock keys, two-int form {@code (class, key)}: every platform instance on one
 * database takes the same ones, so a lock here holds across instances.
 */
final class Locks {
    /** {@code (RECONCILER, 0)}: one reconcile round at a time, whichever instance runs it. */
    static final int RECONCILER = 0x62657201;
    /** {@code (APP, hashtext(teamId/app))}: one change to an app's deployments at a time. */
    static final int APP = 0x62657202;

    private Locks() {
    }
}
