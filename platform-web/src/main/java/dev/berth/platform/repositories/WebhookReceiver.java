package dev.berth.platform.repositories;

import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.FailureAudit;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Acts on a forge's push webhook: checks the signature and the delivery id, and starts a sync of
 * the repository in the background when the push is to its branch. The caller gets its answer at once.
 */
@Service
public class WebhookReceiver {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RepositoryStore store;
    private final SecretBox secrets;
    private final ExternalSync sync;
    private final AuditLog audit;
    private final FailureAudit failures;
    private final Clock clock;
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

    public WebhookReceiver(RepositoryStore store, SecretBox secrets, ExternalSync sync, AuditLog audit,
                           FailureAudit failures, Clock clock) {
        this.store = store;
        this.secrets = secrets;
        this.sync = sync;
        this.audit = audit;
        this.failures = failures;
        this.clock = clock;
    }

    /** What happened to a call. */
    public record Receipt(String status, String detail) {
    }

    /**
     * Refused deliveries (unknown repository, bad signature, replay) come from callers nobody has
     * authenticated, so they are audited through {@link FailureAudit}: a flood of forged calls
     * writes a bounded number of rows and never queues on the audit log's head. Accepted ones are
     * audited one by one.
     */
    public Receipt receive(long repositoryId, Function<String, String> headers, byte[] body, String source) {
        var found = store.find(repositoryId).filter(RepositoryStore.Row::external);
        if (found.isEmpty()) {
            String reason = "no external repository " + repositoryId;
            failures.report(AuditEvent.of(new AuditEvent.Actor(AuditEvent.ActorType.ANONYMOUS, "webhook"), "repository.webhook",
                    "repository:" + repositoryId).source(source, null).outcome(AuditEvent.Outcome.DENIED).detail("reason", reason));
            throw new Problem.NotFound(reason);
        }
        var row = found.get();
        String target = "repository:" + row.team() + "/" + row.name();
        String secret = secrets.open(row.remote().sealedWebhookSecret(), RepositorySeals.webhookSecret(row));
        switch (WebhookCheck.check(headers, body, secret, clock.instant())) {
            case WebhookCheck.Rejected r -> {
                failures.report(AuditEvent.of(new AuditEvent.Actor(AuditEvent.ActorType.ANONYMOUS, "webhook"), "repository.webhook", target)
                        .team(row.team()).source(source, null).outcome(AuditEvent.Outcome.DENIED).detail("reason", r.reason()));
                throw new Problem.Unauthorized(r.reason());
            }
            case WebhookCheck.Authentic a -> {
                if (!store.firstDelivery(repositoryId, a.deliveryId(), a.payloadDigest(), clock.instant())) {
                    failures.report(AuditEvent.of(new AuditEvent.Actor(AuditEvent.ActorType.ANONYMOUS, a.forge()), "repository.webhook", target)
                            .team(row.team()).source(source, null).outcome(AuditEvent.Outcome.DENIED)
                            .detail("reason", "replayed delivery").detail("delivery", a.deliveryId()).detail("payload", a.payloadDigest()));
                    throw new Problem.Conflict("delivery " + a.deliveryId() + " (or this signed payload under another delivery id)"
                            + " was already received; a replay is not acted on");
                }
                String ref = ref(body);
                audit.record(AuditEvent.of(new AuditEvent.Actor(AuditEvent.ActorType.ANONYMOUS, a.forge()), "repository.webhook", target)
                        .team(row.team()).source(source, null).detail("delivery", a.deliveryId()).detail("ref", ref));
                if (ref != null && !ref.equals("refs/heads/" + row.deployBranch())) {
                    return new Receipt("ignored", "the push was to " + ref + ", not to " + row.deployBranch());
                }
                background.submit(() -> sync.sync(repositoryId, "webhook"));
                return new Receipt("accepted", "a sync of " + row.team() + "/" + row.name() + " has started");
            }
        }
    }

    /** The pushed ref from any of the three forges' payloads, or null (a ping, say). */
    static String ref(byte[] body) {
        try {
            var node = JSON.readTree(body);
            return node.path("ref").isString() ? node.path("ref").asString() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
