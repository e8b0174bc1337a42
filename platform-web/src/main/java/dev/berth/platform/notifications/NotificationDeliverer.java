package dev.berth.platform.notifications;

import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditOutbox;
import dev.berth.platform.repositories.SecretBox;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends owed webhooks: every few seconds, and when asked ({@link #deliverDue}). Each platform
 * instance runs one; they claim rows with {@code FOR UPDATE SKIP LOCKED} and a lease
 * ({@link DeliveryStore#claim}), so each attempt is made by one of them. A receiver that answers
 * 2xx has it; anything else is tried again on the {@link RetrySchedule} for up to a day. After
 * {@code berth.notifications.pause-after} (default {@value #PAUSE_AFTER}) failures in a row, or a
 * day of nothing but failures, the endpoint is paused, and that is audited; a team admin resumes it.
 * <p>
 * At least once, not exactly once, in one case: an instance that dies after the receiver got the
 * body but before the outcome is written sends it again once the lease ends. Receivers can tell by
 * {@code X-Berth-Delivery}.
 */
@Component
public class NotificationDeliverer implements SmartLifecycle {
    static final int PAUSE_AFTER = 20;
    static final Duration PAUSE_AFTER_FAILING_FOR = Duration.ofHours(24);
    /**
     * Longer than an attempt can take, so a lease never ends while its sender still waits: a
     * claimed batch is attempted all at once, so it takes as long as its slowest attempt, not the sum.
     */
    static final Duration LEASE = Duration.ofMinutes(2);
    private static final Duration TICK = Duration.ofSeconds(2);
    private static final int BATCH = 20;
    private static final Logger log = LoggerFactory.getLogger(NotificationDeliverer.class);

    private final DeliveryStore deliveries;
    private final EndpointStore endpoints;
    private final SecretBox box;
    private final WebhookSender sender;
    private final AuditOutbox audit;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final int pauseAfter;
    private ScheduledExecutorService executor;

    NotificationDeliverer(DeliveryStore deliveries, EndpointStore endpoints, SecretBox box, WebhookSender sender,
                          AuditOutbox audit, TransactionTemplate tx, Clock clock,
                          @Value("${berth.notifications.pause-after:" + PAUSE_AFTER + "}") int pauseAfter) {
        if (pauseAfter < 1) throw new IllegalArgumentException("berth.notifications.pause-after must be at least 1, was " + pauseAfter);
        this.pauseAfter = pauseAfter;
        this.deliveries = deliveries;
        this.endpoints = endpoints;
        this.box = box;
        this.sender = sender;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /** What the signing secret of endpoint {@code id} is sealed to. */
    static String secretContext(long id) {
        return "notification-secret:" + id;
    }

    /** Makes one attempt at every delivery due now that no other deliverer holds; how many. */
    public int deliverDue() {
        int made = 0;
        for (var batch = claim(); !batch.isEmpty(); batch = claim()) {
            // Side by side: one after another, 20 receivers that time out would outlast the batch's lease,
            // and another instance would send the rest again; and one slow receiver would hold up the others.
            try (var each = Executors.newVirtualThreadPerTaskExecutor()) {
                for (var claimed : batch) each.execute(() -> attemptLogged(claimed));
            }
            made += batch.size();
        }
        return made;
    }

    private void attemptLogged(DeliveryStore.Claimed claimed) {
        try {
            attempt(claimed);
        } catch (RuntimeException e) {
            // Not recorded (the database failed): the lease ends and the delivery is tried again.
            log.warn("Notification delivery {} could not be recorded; it is tried again: {}", claimed.id(), e.getMessage());
        }
    }

    private java.util.List<DeliveryStore.Claimed> claim() {
        Instant now = clock.instant();
        return deliveries.claim(now, now.plus(LEASE), BATCH);
    }

    private void attempt(DeliveryStore.Claimed d) {
        var endpoint = endpoints.find(d.endpointId()).orElse(null);
        if (endpoint == null) return; // deleted meanwhile; its deliveries went with it
        WebhookSender.Outcome outcome;
        try {
            outcome = send(d, endpoint);
        } catch (RuntimeException e) {
            // Counted as a failed attempt, so a delivery that cannot be made (a replaced secret key) ends after a day.
            outcome = new WebhookSender.Outcome.NoAnswer("not sent: " + e.getMessage());
        }
        record(d, endpoint, outcome);
    }

    private WebhookSender.Outcome send(DeliveryStore.Claimed d, NotificationEndpoint endpoint) {
        Notice notice = Payloads.parse(d.event());
        byte[] body = Payloads.body(endpoint.format(), notice).getBytes(StandardCharsets.UTF_8);
        String secret = box.open(endpoints.sealedSecret(endpoint.id()), secretContext(endpoint.id()));
        var headers = new LinkedHashMap<String, String>();
        headers.put(Signature.HEADER, Signature.of(secret, body));
        headers.put("X-Berth-Event", notice.type().value());
        headers.put("X-Berth-Event-Id", notice.id().toString());
        headers.put("X-Berth-Delivery", Long.toString(d.id()));
        headers.put("X-Berth-Timestamp", Long.toString(clock.instant().getEpochSecond()));
        return sender.post(java.net.URI.create(endpoint.url()), body, headers);
    }

    private void record(DeliveryStore.Claimed d, NotificationEndpoint endpoint, WebhookSender.Outcome outcome) {
        Instant now = clock.instant();
        boolean paused = Boolean.TRUE.equals(tx.execute(s -> {
            if (outcome instanceof WebhookSender.Outcome.Answered a && a.delivered()) {
                deliveries.delivered(d.id(), a.code(), a.body());
                endpoints.succeeded(endpoint.id());
                return false;
            }
            // Counted from the attempt's start, not its end: a slow receiver does not stretch the schedule.
            var next = RetrySchedule.next(d.createdAt(), d.attempts(), d.claimedAt()).orElse(null);
            switch (outcome) {
                case WebhookSender.Outcome.Answered a ->
                        deliveries.failed(d.id(), a.code(), a.body(), "the receiver answered " + a.code(), next);
                case WebhookSender.Outcome.NoAnswer n -> deliveries.failed(d.id(), null, null, n.error(), next);
                case WebhookSender.Outcome.Refused r -> deliveries.failed(d.id(), null, null, r.reason(), next);
            }
            var failing = endpoints.failed(endpoint.id(), now);
            String why = failing.inARow() >= pauseAfter ? failing.inARow() + " deliveries failed in a row"
                    : !failing.since().plus(PAUSE_AFTER_FAILING_FOR).isAfter(now) ? "every delivery failed since " + failing.since()
                    : null;
            if (why == null || !endpoints.pause(endpoint.id(), why, now)) return false;
            audit.add(AuditEvent.of(AuditEvent.Actor.system(), "notification.endpoint.pause",
                            "notification-endpoint:" + endpoint.team() + "/" + endpoint.name())
                    .team(endpoint.team()).detail("endpoint", endpoint.id()).detail("reason", why));
            return true;
        }));
        if (paused) {
            log.warn("Notification endpoint {} of team {} paused: it keeps failing", endpoint.name(), endpoint.team());
            audit.deliver();
        }
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("notification-deliverer").daemon().factory());
        executor.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            deliverDue();
        } catch (RuntimeException e) {
            log.warn("Delivering notifications failed; trying again shortly: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        if (executor == null) return;
        executor.shutdownNow();
        try {
            executor.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
