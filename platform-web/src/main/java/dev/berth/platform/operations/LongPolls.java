package dev.berth.platform.operations;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts agents' assignment long polls held open on this instance ({@code berth_agent_long_polls}). */
public class LongPolls {
    private final AtomicInteger waiting = new AtomicInteger();

    public LongPolls(MeterRegistry meters) {
        Gauge.builder("berth.agent.long.polls", waiting, AtomicInteger::get)
                .description("Agents' assignment long polls waiting on this instance").register(meters);
    }

    /** Counts one poll until the hold is closed. */
    public Hold hold() {
        waiting.incrementAndGet();
        return new Hold(waiting);
    }

    /** One poll held open. */
    public record Hold(AtomicInteger waiting) implements AutoCloseable {
        @Override
        public void close() {
            waiting.decrementAndGet();
        }
    }
}
