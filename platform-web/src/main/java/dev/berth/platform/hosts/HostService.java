package dev.berth.platform.hosts;

import dev.berth.agent.protocol.CertificateIssued;
import dev.berth.agent.protocol.CertificateRequest;
import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.protocol.Heartbeat;
import dev.berth.agent.protocol.HostCapacity;
import dev.berth.agent.protocol.Registered;
import dev.berth.agent.protocol.Registration;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.pki.AgentPublicKeys;
import dev.berth.platform.pki.CertificateAuthority;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.Permission;
import dev.berth.platform.access.RequestOrigin;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hosts joining the platform and reporting to it. A platform admin creates a single-use, expiring
 * join token; an agent trades it once for its own credential, and from then on reports heartbeats
 * with it. Tokens and credentials are stored as sha256 only.
 */
@Service
@EnableConfigurationProperties(HostProperties.class)
public class HostService {
    /** The one answer for an unknown, used or expired join token, so a guesser learns nothing. */
    public static final String INVALID_JOIN_TOKEN = "join token is not valid";
    static final int MAX_CONTAINERS = 10_000;
    static final int MAX_PUBLISHED = 64;
    static final int MAX_ISOLATION_CHECKS = 256;
    static final int MAX_REPORTED_TEXT = 1024;
    static final int MAX_REASON = 500;
    private static final System.Logger LOG = System.getLogger(HostService.class.getName());

    private final HostStore store;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final HostProperties properties;
    private final ApplicationEventPublisher events;
    /** The invalid peer address each host reported last, so it is warned of once. */
    private final java.util.Map<String, String> refusedPeerAddresses = new java.util.concurrent.ConcurrentHashMap<>();
    private final CertificateAuthority authority;
    private final EdgeStatusStore edgeStatus;

    public HostService(HostStore store, AuditLog audit, TransactionTemplate tx, Clock clock, HostProperties properties,
                       ApplicationEventPublisher events, CertificateAuthority authority, EdgeStatusStore edgeStatus) {
        this.events = events;
        this.edgeStatus = edgeStatus;
        this.authority = authority;
        this.store = store;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.properties = properties;
    }

    /** A new join token; {@code token} is its secret, shown only this once. */
    public record IssuedJoinToken(long id, String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "IssuedJoinToken[id=" + id + ", expiresAt=" + expiresAt + "]";
        }
    }

    /** Creates a join token lasting {@code ttl} (default 1h, at most 24h). */
    public IssuedJoinToken createJoinToken(Caller caller, Duration ttl, RequestOrigin origin) {
        AccessPolicy.require(caller, Permission.MANAGE_HOSTS);
        Duration lifetime = ttl == null ? properties.joinTokenTtl() : ttl;
        if (lifetime.compareTo(Duration.ofMinutes(1)) < 0 || lifetime.compareTo(HostProperties.MAX_JOIN_TOKEN_TTL) > 0) {
            throw new Problem.Invalid("a join token lasts between 1 minute and " + HostProperties.MAX_JOIN_TOKEN_TTL.toHours()
                    + " hours; asked for " + lifetime.toMinutes() + " minutes");
        }
        var now = clock.instant();
        var expiresAt = now.plus(lifetime);
        String token = AgentCredential.newJoinToken();
        long id = store.insertJoinToken(AgentCredential.sha256(token), caller.username(), now, expiresAt);
        audit.record(AuditEvent.of(caller, "host.join-token.create", "join-token:" + id)
                .source(origin.address(), origin.userAgent()).detail("expiresAt", expiresAt));
        return new IssuedJoinToken(id, token, expiresAt);
    }

    /**
     * Trades a join token for a new host and its credential. The token is used up in the same
     * transaction that creates the host, so two agents racing with one token get one host. With a
     * {@code publicKey}, the host's certificate is issued in that transaction too.
     */
    public Registered register(Registration registration, RequestOrigin origin) {
        if (registration == null) throw new Problem.Invalid("the request body must be a registration");
        requireVersion(registration.version(), Registration.VERSION);
        String hostname = registration.hostname() == null ? "" : registration.hostname().strip();
        if (hostname.isEmpty() || hostname.length() > 253) throw new Problem.Invalid("hostname must be 1 to 253 characters");
        HostCapacity capacity = registration.capacity();
        if (capacity == null) throw new Problem.Invalid("capacity is missing");
        String agentVersion = registration.agentVersion() == null ? "" : registration.agentVersion().strip();
        if (agentVersion.isEmpty() || agentVersion.length() > 100) throw new Problem.Invalid("agentVersion must be 1 to 100 characters");
        // Checked before the token is used up, so an agent sending garbage can try again with the same token.
        PublicKey key = registration.publicKey() == null ? null : AgentPublicKeys.parse(registration.publicKey(), "publicKey");

        String presented = registration.joinToken();
        var now = clock.instant();
        String hostId = AgentCredential.newHostId();
        var credential = AgentCredential.generate(hostId);
        // The join token used up, and the host's certificate when it sent a key.
        record Joined(long tokenId, CertificateAuthority.IssuedCertificate certificate) {
        }
        Optional<Joined> joined = Optional.empty();
        if (AgentCredential.looksLikeJoinToken(presented)) {
            byte[] hash = AgentCredential.sha256(presented);
            joined = tx.execute(s -> store.lockUsableJoinToken(hash, now).map(id -> {
                store.insertHost(hostId, hostname, credential.hash(), capacity.memoryBytes(), capacity.cpuMillis(),
                        agentVersion, now, id);
                if (!store.markUsed(id, hostId, now)) throw new IllegalStateException("join token " + id + " was used meanwhile");
                return new Joined(id, key == null ? null : authority.issue(hostId, key));
            }));
        }
        if (joined.isEmpty()) {
            audit.record(AuditEvent.of(new AuditEvent.Actor(AuditEvent.ActorType.ANONYMOUS, "anonymous"), "host.register",
                            "host:" + hostname)
                    .source(origin.address(), origin.userAgent()).outcome(AuditEvent.Outcome.FAILURE)
                    .detail("reason", refusal(presented, now)).detail("hostname", hostname));
            throw new Problem.Unauthorized(INVALID_JOIN_TOKEN);
        }
        var certificate = joined.get().certificate();
        audit.record(AuditEvent.of(agent(hostId), "host.register", "host:" + hostId)
                .source(origin.address(), origin.userAgent()).detail("hostname", hostname).detail("joinToken", joined.get().tokenId())
                .detail("agentVersion", agentVersion).detail("memoryBytes", capacity.memoryBytes())
                .detail("cpuMillis", capacity.cpuMillis())
                .detail("certificateSerial", certificate == null ? null : certificate.serial()));
        return new Registered(Registered.VERSION, hostId, credential.text(), certificate == null ? null : certificate.certificate(),
                certificate == null ? null : certificate.caCertificate());
    }

    /**
     * A fresh certificate for an authenticated host's new key, before its current one expires (or
     * the first one, for an agent that joined before the platform issued them). Refused once the
     * host is removed, even by a request already under way.
     */
    public CertificateIssued renewCertificate(String hostId, CertificateRequest request, RequestOrigin origin) {
        if (request == null) throw new Problem.Invalid("the request body must be a certificate request");
        requireVersion(request.version(), CertificateRequest.VERSION);
        PublicKey key = AgentPublicKeys.parse(request.publicKey(), "publicKey");
        var issued = tx.execute(s -> store.lock(hostId).filter(h -> !h.removed()).map(h -> authority.issue(hostId, key)));
        if (issued == null || issued.isEmpty()) throw new Problem.Unauthorized(removedMessage(hostId));
        audit.record(AuditEvent.of(agent(hostId), "host.certificate", "host:" + hostId)
                .source(origin.address(), origin.userAgent()).detail("certificateSerial", issued.get().serial())
                .detail("notAfter", issued.get().notAfter()));
        return new CertificateIssued(CertificateIssued.VERSION, issued.get().certificate(), issued.get().caCertificate());
    }

    /** Why a join token was refused, for the audit log only: the caller is told just {@link #INVALID_JOIN_TOKEN}. */
    private String refusal(String presented, Instant now) {
        if (!AgentCredential.looksLikeJoinToken(presented)) return "not a join token";
        return store.joinToken(AgentCredential.sha256(presented)).map(t -> {
            if (t.usedAt() != null) return "join token " + t.id() + " was already used by " + t.usedByHost();
            if (!t.expiresAt().isAfter(now)) return "join token " + t.id() + " expired at " + t.expiresAt();
            return "join token " + t.id() + " could not be used";
        }).orElse("unknown join token");
    }

    /** What an agent's bearer credential is worth. */
    public sealed interface AgentCheck {
        /** A credential of a host that has not been removed. */
        record Valid(String hostId) implements AgentCheck {
        }

        /** The right credential of a host a platform admin removed: it no longer works. */
        record Removed(String hostId, Instant removedAt) implements AgentCheck {
        }

        /** Not the credential of any host. */
        record Invalid() implements AgentCheck {
        }
    }

    /**
     * Checks an agent's bearer credential against its host's row, on every request, so a removal
     * refuses the very next one. Only the holder of the right secret learns that its host was removed.
     */
    public AgentCheck authenticate(String presented) {
        var credential = AgentCredential.parse(presented);
        if (credential.isEmpty()) return new AgentCheck.Invalid();
        var host = store.find(credential.get().hostId()).filter(h -> credential.get().matches(h.credentialHash()));
        if (host.isEmpty()) return new AgentCheck.Invalid();
        return host.get().removed() ? new AgentCheck.Removed(host.get().id(), host.get().removedAt())
                : new AgentCheck.Valid(host.get().id());
    }

    /** What an agent is told once its host was removed. */
    public static String removedMessage(String hostId) {
        return "host " + hostId + " was removed from the platform; its credential no longer works. "
                + "To join again, start the agent with a new join token";
    }

    /**
     * Records what an authenticated host's agent reports, and publishes {@link HeartbeatRecorded}
     * in the same transaction.
     */
    public void heartbeat(String hostId, Heartbeat heartbeat) {
        if (heartbeat == null) throw new Problem.Invalid("the request body must be a heartbeat");
        requireVersion(heartbeat.version(), Heartbeat.VERSION);
        if (heartbeat.capacity() == null) throw new Problem.Invalid("capacity is missing");
        List<ContainerStatus> containers = heartbeat.containers();
        if (containers.size() > MAX_CONTAINERS) throw new Problem.Invalid("at most " + MAX_CONTAINERS + " containers per heartbeat");
        var names = new HashSet<String>();
        for (var c : containers) {
            if (c.name().isBlank() || c.state() == null || c.state().isBlank()) {
                throw new Problem.Invalid("every container needs a name and a state");
            }
            if (!names.add(c.name())) throw new Problem.Invalid("container '" + c.name() + "' is reported twice");
            checkReport(c);
            ReportedRefusals.check(c);
        }
        String peer = peerAddress(hostId, heartbeat.peerAddress());
        var edge = heartbeat.edge() == null ? null : EdgeReport.checked(heartbeat.edge());
        var now = clock.instant();
        var capacity = heartbeat.capacity();
        boolean recorded = Boolean.TRUE.equals(tx.execute(s -> {
            // Placement counts at most the capacity the host registered with: see HostStore.heartbeat.
            if (!store.heartbeat(hostId, capacity.memoryBytes(), capacity.cpuMillis(), containers, now)) return false;
            if (peer != null && store.peerAddress(hostId, peer)) events.publishEvent(new PeerAddressChanged(hostId));
            if (edgeStatus.record(hostId, edge == null ? null : edge.address(), edge == null ? 0 : edge.appliedGeneration(),
                    edge == null ? null : edge.error(), now)) {
                events.publishEvent(new EdgeHostChanged(hostId));
            }
            events.publishEvent(new HeartbeatRecorded(hostId, containers, now));
            return true;
        }));
        // Removed while this request was under way: refused as the next one will be.
        if (!recorded) throw new Problem.Unauthorized(removedMessage(hostId));
        // After commit, to this instance's listeners alone: totals feed counters kept in memory.
        if (edge != null) events.publishEvent(new EdgeTrafficReported(hostId, edge.traffic(), now));
    }

    /** The reported peer address when it is a valid {@code host:port}; null, with a warning, when it is not. */
    private String peerAddress(String hostId, String reported) {
        if (reported == null) return null;
        String refusal = PeerAddress.refusal(reported);
        if (refusal == null) {
            refusedPeerAddresses.remove(hostId);
            return reported;
        }
        // Once per host and value, not at every heartbeat.
        if (!reported.equals(refusedPeerAddresses.put(hostId, reported))) {
            LOG.log(System.Logger.Level.WARNING, "host " + hostId + " reported peerAddress " + refusal
                    + "; keeping the one it reported before");
        }
        return null;
    }

    /** Bounds what one container's report may carry, naming the container and the field. */
    private static void checkReport(ContainerStatus c) {
        String where = "container '" + c.name() + "': ";
        if (c.restarts() < 0) throw new Problem.Invalid(where + "restarts cannot be negative");
        if (c.error() != null && c.error().length() > ContainerStatus.MAX_ERROR) {
            throw new Problem.Invalid(where + "error is " + c.error().length() + " characters long; at most "
                    + ContainerStatus.MAX_ERROR + " are taken");
        }
        if (c.published().size() > MAX_PUBLISHED) {
            throw new Problem.Invalid(where + "at most " + MAX_PUBLISHED + " published ports, not " + c.published().size());
        }
        for (var p : c.published()) {
            if (p == null || p.address() == null || p.address().isBlank() || p.address().length() > MAX_REPORTED_TEXT) {
                throw new Problem.Invalid(where + "every published port needs an address of at most " + MAX_REPORTED_TEXT
                        + " characters");
            }
        }
        if (c.isolation().size() > MAX_ISOLATION_CHECKS) {
            throw new Problem.Invalid(where + "at most " + MAX_ISOLATION_CHECKS + " isolation checks, not " + c.isolation().size());
        }
        for (var check : c.isolation()) {
            if (check == null || check.name() == null || check.name().isBlank() || tooLong(check.name())
                    || tooLong(check.expected()) || tooLong(check.actual())) {
                throw new Problem.Invalid(where + "every isolation check needs a name, and no field longer than "
                        + MAX_REPORTED_TEXT + " characters");
            }
        }
    }

    private static boolean tooLong(String s) {
        return s != null && s.length() > MAX_REPORTED_TEXT;
    }

    /** Every host that was not removed, with its reported containers, for platform admins. */
    public List<Host> list(Caller caller) {
        AccessPolicy.require(caller, Permission.VIEW_HOSTS);
        var now = clock.instant();
        var containers = store.containers();
        return store.list().stream().map(h -> view(h, containers.getOrDefault(h.id(), List.of()), now)).toList();
    }

    /**
     * Starts draining a host: it gets no new replicas, and the reconciler moves its replicas to
     * other hosts, each stopped once its replacement is healthy. Draining a draining host changes nothing.
     */
    public Host drain(Caller caller, String hostId, String reason, RequestOrigin origin) {
        return change(caller, hostId, reason, origin, "host.drain", (h, now) -> store.drain(h.id(), caller.username(), now));
    }

    /** Ends a drain: the host takes new replicas again. Undraining a host that does not drain changes nothing. */
    public Host undrain(Caller caller, String hostId, String reason, RequestOrigin origin) {
        return change(caller, hostId, reason, origin, "host.undrain", (h, now) -> store.undrain(h.id()));
    }

    /**
     * Removes a host: its agent's credential is refused from the next request on (a re-join needs a
     * new join token), and the reconciler places its replicas on other hosts. The row stays for the
     * audit trail and the replicas' history. Drain first to move the replicas before the host goes.
     */
    public void remove(Caller caller, String hostId, String reason, RequestOrigin origin) {
        change(caller, hostId, reason, origin, "host.remove", (h, now) -> store.remove(h.id(), caller.username(), now));
    }

    /** A drain, undrain or removal: checked, applied under the host's row lock, audited when it changed something. */
    private Host change(Caller caller, String hostId, String reason, RequestOrigin origin, String action,
                        java.util.function.BiPredicate<HostStore.Row, Instant> apply) {
        AccessPolicy.require(caller, Permission.MANAGE_HOSTS);
        String why = reason == null ? "" : reason.strip();
        if (why.length() > MAX_REASON) {
            throw new Problem.Invalid("reason is " + why.length() + " characters long; at most " + MAX_REASON + " are taken");
        }
        var now = clock.instant();
        record Changed(HostStore.Row before, boolean changed) {
        }
        var done = tx.execute(s -> {
            var row = store.lock(hostId).filter(h -> !h.removed())
                    .orElseThrow(() -> new Problem.NotFound("host " + hostId + " does not exist or was removed"));
            boolean changed = apply.test(row, now);
            if (changed) events.publishEvent(new HostStandingChanged(row.id()));
            return new Changed(row, changed);
        });
        // Audited once committed, as every other action: never reported before it happened.
        if (done.changed()) {
            audit.record(AuditEvent.of(caller, action, "host:" + hostId).source(origin.address(), origin.userAgent())
                    .detail("hostname", done.before().hostname()).detail("reason", why.isEmpty() ? null : why));
        }
        var after = store.find(hostId).orElseThrow();
        return view(after, store.containersOf(hostId).values().stream()
                .sorted(java.util.Comparator.comparing(c -> c.status().name())).toList(), now);
    }

    private Host view(HostStore.Row h, List<HostStore.ContainerRow> containers, Instant now) {
        return new Host(h.id(), h.hostname(), h.memoryBytes(), h.cpuMillis(),
                new Host.Capacity(h.memoryCapBytes(), h.cpuCapMillis()), new Host.Capacity(h.reportedMemoryBytes(), h.reportedCpuMillis()),
                h.agentVersion(), h.registeredAt(), h.lastHeartbeatAt(), alive(h.lastHeartbeatAt(), now),
                h.draining() ? new Host.Drain(h.drainingSince(), h.drainingBy()) : null,
                containers.stream().map(c -> new Host.Container(c.status().name(),
                        c.status().app(), c.status().state(), c.status().exitCode(), c.status().oomKilled(),
                        c.status().health(), c.status().restarts(), c.status().published(), c.status().error(),
                        c.reportedAt())).toList(),
                h.edgeAddress() == null ? null : new Host.Edge(h.edgeAddress(),
                        h.edgeError() == null && h.edgeAppliedGeneration() >= h.generation(), h.edgeError()));
    }

    /** Whether a host whose last heartbeat was {@code lastHeartbeat} counts as alive at {@code now}. */
    public boolean alive(Instant lastHeartbeat, Instant now) {
        return lastHeartbeat != null && lastHeartbeat.plus(properties.heartbeatTimeout()).isAfter(now);
    }

    public static AuditEvent.Actor agent(String hostId) {
        return new AuditEvent.Actor(AuditEvent.ActorType.AGENT, hostId);
    }

    private static void requireVersion(int version, int supported) {
        if (version != supported) {
            throw new Problem.Invalid("protocol version " + version + " is not supported; this platform speaks version " + supported);
        }
    }
}
