package dev.berth.agent.refusal;

import dev.berth.agent.firewall.Refusal;
import java.io.IOException;
import java.util.List;

/**
 * Feeds a {@link RefusalLog} from the firewall at each heartbeat. A reading that fails keeps what
 * was known and is logged once, until a reading works again: the heartbeat goes out regardless.
 */
public final class RefusalReadings {
    private static final System.Logger log = System.getLogger(RefusalReadings.class.getName());

    /** The firewall's counters ({@code Firewall.refusals()}). */
    @FunctionalInterface
    public interface Source {
        List<Refusal> read() throws IOException;
    }

    private final Source source;
    private final RefusalLog refusals;
    private boolean failing;

    public RefusalReadings(Source source, RefusalLog refusals) {
        this.source = source;
        this.refusals = refusals;
    }

    /** Reads the counters into the log; false, with the reason logged once, when they cannot be read. */
    public synchronized boolean refresh() {
        try {
            refusals.record(source.read());
            if (failing) log.log(System.Logger.Level.INFO, "the firewall's refusal counters can be read again");
            failing = false;
            return true;
        } catch (IOException | RuntimeException e) {
            if (!failing) {
                log.log(System.Logger.Level.WARNING, "cannot read the firewall's refusal counters; heartbeats report "
                        + "the last known refusals until they can be read: " + e.getMessage());
            }
            failing = true;
            return false;
        }
    }

    /** What was refused to {@code container}, as of the last reading that worked. */
    public RefusalLog.Refused of(String container) {
        return refusals.of(container);
    }
}
