package dev.berth.agent.link;

import dev.berth.agent.daemon.LogSource;
import dev.berth.agent.peer.PeerCredentials;
import dev.berth.agent.peer.PeerIdentity;
import dev.berth.agent.peer.PeerIdentityStore;
import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.ContainerStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The agent's line to the platform. {@link #join} registers once with a join token (retrying
 * while the platform cannot be reached) and keeps the credential it gets in
 * {@code STATE/platform/credential.json} (0600), and the certificate the platform issues for the
 * agent's own TLS key in {@code STATE/platform/peer-identity.json} (0600, see
 * {@link #peerCredentials}). {@link #start} then runs four loops, each on its own thread:
 * heartbeats (at start, every interval, and soon after a change), the assignment long poll (each
 * new assignment goes to the agent to apply), log shipping, and the certificate's renewal. Each
 * retries with backoff and logs its state once per change, not per attempt. Never logs the join
 * token, the credential or the key.
 */
public final class PlatformLink implements AutoCloseable {

    /** What the agent keeps after registering. */
    public record StoredCredential(String hostId, String credential, String platform) {
        /** Never prints the credential. */
        @Override
        public String toString() {
            return "StoredCredential[hostId=" + hostId + ", platform=" + platform + "]";
        }
    }

    /** The platform said no to the join token; the daemon cannot join and exits. */
    public static final class JoinRefusedException extends IOException {
        public JoinRefusedException(String message) {
            super(message);
        }
    }

    /** What the link asks of the host agent ({@code AgentService} in the daemon). */
    public interface Agent {
        /** Every container, for a heartbeat. */
        List<ContainerStatus> statuses() throws IOException;

        /** Converges on the assignment; returns without waiting for containers to start. */
        void apply(Assignment assignment) throws IOException;

        /** The logs of platform containers, for shipping. */
        List<LogSource> platformLogs() throws IOException;

        /** {@code host:port} where other agents reach this one's peer listener, for heartbeats; null when it has none. */
        default String peerAddress() {
            return null;
        }

        /** The edge proxy's state, for heartbeats; null when this agent runs without {@code --edge}. */
        default dev.berth.agent.protocol.EdgeStatus edge() {
            return null;
        }
    }

    /**
     * The link's pace.
     *
     * @param heartbeat the interval between heartbeats
     * @param firstRetry the first wait after a failed call; doubling up to a minute
     * @param pollWaitSeconds how long the platform may hold an assignment poll (1-55)
     * @param logInterval the least time between log shipments
     */
    public record Timing(Duration heartbeat, Duration firstRetry, int pollWaitSeconds, Duration logInterval) {
        public Timing {
            if (heartbeat.isNegative() || heartbeat.isZero()) throw new IllegalArgumentException("the heartbeat interval must be positive");
            if (firstRetry.isNegative() || firstRetry.isZero()) throw new IllegalArgumentException("the first retry must be positive");
            if (pollWaitSeconds < 1 || pollWaitSeconds > 55) throw new IllegalArgumentException("the poll wait must be 1 to 55 seconds");
            if (logInterval.isNegative() || logInterval.isZero()) throw new IllegalArgumentException("the log interval must be positive");
        }

        /** Heartbeats every {@code heartbeat}; retries from a second; polls held 25 s; logs once a second. */
        public static Timing of(Duration heartbeat) {
            return new Timing(heartbeat, Duration.ofSeconds(1), 25, Duration.ofSeconds(1));
        }
    }

    private final PlatformCalls calls;
    private final StoredCredential credential;
    private final Timing timing;
    private final Path state;
    private final PrintStream log;
    private final PeerCredentials peer;
    private final List<Thread> threads = new ArrayList<>();
    private Heartbeats heartbeats;
    private AssignmentPoll poll;

    private PlatformLink(PlatformInstances instances, StoredCredential credential, Timing timing, Path state, PeerCredentials peer,
                         PrintStream log) {
        this.calls = new PlatformCalls(instances, credential.credential(), PlatformCalls.client());
        this.peer = peer;
        this.credential = credential;
        this.timing = timing;
        this.state = state;
        this.log = log;
    }

    public static Path credentialFile(Path state) {
        return state.resolve("platform").resolve("credential.json");
    }

    /** True when this state directory already holds a credential, so no join token is needed. */
    public static boolean hasCredential(Path state) {
        return Files.exists(credentialFile(state));
    }

    /** {@link #join(URI, Path, String, Timing, PrintStream)} with the default pace and this heartbeat interval. */
    public static PlatformLink join(URI platform, Path state, String joinToken, Duration interval, PrintStream log)
            throws IOException {
        return join(platform, state, joinToken, Timing.of(interval), log);
    }

    /**
     * Loads the stored credential, or registers with {@code joinToken} and stores the one the
     * platform answers. Nothing is sent to the platform but the registration, which is retried
     * with backoff while the platform cannot be reached or answers 5xx.
     *
     * @throws JoinRefusedException when the platform refuses the join token
     * @throws IOException when the credential is for another platform or the platform answers the
     *                     registration with something else than a registration
     */
    public static PlatformLink join(URI platform, Path state, String joinToken, Timing timing, PrintStream log)
            throws IOException {
        Objects.requireNonNull(platform, "platform");
        return join(List.of(platform), state, joinToken, timing, log);
    }

    /**
     * {@link #join(URI, Path, String, Timing, PrintStream)} with several instances of one platform
     * (sharing its database): the link talks to one at a time, the first while it answers, and
     * moves to the next when one gives no answer, times out or answers 502, 503 or 504 (see
     * {@link InstanceChoice}). A stored credential must be from one of them.
     */
    public static PlatformLink join(List<URI> platforms, Path state, String joinToken, Timing timing, PrintStream log)
            throws IOException {
        if (platforms.isEmpty()) throw new IllegalArgumentException("no platform URL to join");
        for (URI platform : platforms) {
            var refused = PlatformAddress.refusal(Objects.requireNonNull(platform, "platform"));
            if (refused.isPresent()) throw new IllegalArgumentException(refused.get());
        }
        var instances = new PlatformInstances(platforms, timing.firstRetry(), Clock.systemUTC(), log);
        String named = PlatformAddress.names(platforms);
        Path file = credentialFile(state);
        var identities = PeerIdentityStore.in(state);
        var peer = new PeerCredentials();
        StoredCredential credential;
        if (Files.exists(file)) {
            credential = Joining.read(file);
            if (!Joining.among(credential.platform(), platforms)) {
                throw new IOException(file + " holds a credential for " + credential.platform() + ", not " + named
                        + (platforms.size() > 1 ? " (list that instance too, if it is one of this platform's)" : "")
                        + "; remove it to join this platform with a new join token");
            }
            log.println("berth-agent: host " + credential.hostId() + " of " + named + " (credential from " + file + ")");
            identities.read().ifPresent(peer::use);
        } else {
            if (joinToken == null || joinToken.isBlank()) {
                throw new IllegalArgumentException("no credential in " + file + " and no join token to register with");
            }
            var keys = PeerIdentity.newKeyPair();
            var joined = Joining.register(PlatformCalls.client(), instances, joinToken, PeerIdentity.publicKeyText(keys),
                    timing.firstRetry(), log);
            var registered = joined.registered();
            credential = new StoredCredential(registered.hostId(), registered.credential(), joined.platform().toString());
            Joining.write(file, credential);
            log.println("berth-agent: joined " + joined.platform() + " as host " + credential.hostId() + "; credential stored in " + file);
            if (registered.certificate() != null) {
                try {
                    var identity = PeerIdentity.issued(keys, registered.certificate(), registered.caCertificate(), registered.hostId());
                    identities.write(identity);
                    peer.use(identity);
                } catch (IOException e) {
                    // Joined all the same: the renewal loop asks for a certificate again.
                    log.println("berth-agent: the platform's certificate is not usable (" + e.getMessage() + "); asking again");
                }
            }
        }
        return new PlatformLink(instances, credential, timing, state, peer, log);
    }

    /**
     * This agent's TLS identity among agents, for the peer listener and outgoing peer connections;
     * empty until the platform issued a certificate, and swapped in place when it is renewed.
     */
    public PeerCredentials peerCredentials() {
        return peer;
    }

    public String hostId() {
        return credential.hostId();
    }

    /** This host's name: what the resolver says, else /etc/hostname, else "localhost". */
    public static String hostname() {
        return dev.berth.agent.daemon.AgentOptions.hostname();
    }

    /** Starts heartbeats (the first one now), the assignment poll, log shipping and certificate renewal. */
    public synchronized void start(Agent agent) {
        Objects.requireNonNull(agent, "agent");
        if (!threads.isEmpty()) throw new IllegalStateException("the link is started already");
        heartbeats = new Heartbeats(calls, agent, timing.heartbeat(), credential.hostId(), log);
        poll = new AssignmentPoll(calls, agent, credential.hostId(), timing.pollWaitSeconds(), timing.firstRetry(),
                heartbeats::soon, log);
        var logs = new LogShipping(calls, agent, timing.logInterval(), state, log);
        threads.add(Thread.ofPlatform().name("platform-heartbeats").daemon().start(heartbeats));
        threads.add(Thread.ofPlatform().name("platform-assignments").daemon().start(poll));
        threads.add(Thread.ofPlatform().name("platform-logs").daemon().start(logs));
        var rotation = new CertificateRotation(calls, peer, PeerIdentityStore.in(state), credential.hostId(), Clock.systemUTC(),
                timing.firstRetry(), log);
        threads.add(Thread.ofPlatform().name("platform-certificates").daemon().start(rotation));
    }

    /** Sends a heartbeat soon rather than at the next interval: something the platform should know changed. */
    public void reportSoon() {
        var h = heartbeats;
        if (h != null) h.soon();
    }

    /** The generation of the last assignment handed to the agent; -1 before the first. */
    public long appliedGeneration() {
        var p = poll;
        return p == null ? -1 : p.applied();
    }

    @Override
    public synchronized void close() {
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
