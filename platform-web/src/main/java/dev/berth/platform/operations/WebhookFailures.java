package dev.berth.platform.operations;

import dev.berth.platform.problem.Problem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/** Counts incoming webhook calls that were refused or failed, by reason ({@code berth_webhooks_failed_total}). */
public class WebhookFailures {
    static final String METER = "berth.webhooks.failed";
    /** Every reason, so each series exists (at 0) before its first failure. */
    static final List<String> REASONS = List.of("unknown_repository", "not_authentic", "replayed", "invalid", "too_large",
            "database_unavailable", "error");
    private final MeterRegistry meters;

    public WebhookFailures(MeterRegistry meters) {
        this.meters = meters;
        REASONS.forEach(this::counter);
    }

    /** Counts the failure of one call. */
    public void count(Throwable failure) {
        counter(reason(failure)).increment();
    }

    private Counter counter(String reason) {
        return Counter.builder(METER).description("Incoming webhook calls refused or failed").tag("reason", reason).register(meters);
    }

    static String reason(Throwable failure) {
        if (DatabaseOutage.in(failure)) return "database_unavailable";
        return switch (failure) {
            case Problem.NotFound p -> "unknown_repository";
            case Problem.Unauthorized p -> "not_authentic";
            case Problem.Conflict p -> "replayed";
            case Problem.Invalid p -> "invalid";
            case Problem.TooLarge p -> "too_large";
            default -> "error";
        };
    }
}
