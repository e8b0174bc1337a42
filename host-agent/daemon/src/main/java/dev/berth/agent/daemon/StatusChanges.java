package dev.berth.agent.daemon;

/**
 * Says that something a heartbeat reports has changed (a start, stop, removal, health or serving
 * change) to the one listener that wants to know, the platform link; a failing listener is logged.
 */
final class StatusChanges implements Runnable {
    private static final System.Logger log = System.getLogger(StatusChanges.class.getName());

    private volatile Runnable listener = () -> { };

    void listen(Runnable listener) {
        this.listener = listener == null ? () -> { } : listener;
    }

    @Override
    public void run() {
        try {
            listener.run();
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "a change listener failed: " + e);
        }
    }
}
