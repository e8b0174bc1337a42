package dev.berth.agent.link;

import dev.berth.agent.peer.PeerCredentials;
import dev.berth.agent.peer.PeerIdentity;
import dev.berth.agent.peer.PeerIdentityStore;
import dev.berth.agent.protocol.CertificateIssued;
import dev.berth.agent.protocol.CertificateRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.core.JacksonException;

/**
 * Keeps the agent's peer certificate current: at start (an agent that joined before the platform
 * issued certificates has none) and whenever less than a third of its lifetime remains, it makes
 * a new key, asks {@code POST /agent/v1/certificate} for a certificate, stores both in one file and
 * swaps them in for new handshakes. The old key is never sent anywhere; failures retry with backoff.
 */
final class CertificateRotation implements Runnable {
    /** Checked at least this often, so a clock that jumps or a suspended host is noticed. */
    static final Duration MAX_CHECK = Duration.ofHours(1);

    private final PlatformCalls calls;
    private final PeerCredentials credentials;
    private final PeerIdentityStore store;
    private final String hostId;
    private final Clock clock;
    private final Duration firstRetry;
    private final PrintStream log;
    private final LinkState state;

    CertificateRotation(PlatformCalls calls, PeerCredentials credentials, PeerIdentityStore store, String hostId, Clock clock,
                        Duration firstRetry, PrintStream log) {
        this.calls = calls;
        this.credentials = credentials;
        this.store = store;
        this.hostId = hostId;
        this.clock = clock;
        this.firstRetry = firstRetry;
        this.log = log;
        this.state = new LinkState(log);
    }

    @Override
    public void run() {
        int failures = 0;
        while (!Thread.currentThread().isInterrupted()) {
            Duration wait;
            URI target = calls.platform();
            try {
                renewIfDue();
                failures = 0;
                state.is("current", "peer certificate valid until " + credentials.identity().map(PeerIdentity::notAfter).orElseThrow());
                wait = untilNextCheck();
            } catch (IOException e) {
                failures++;
                state.is("failing", "cannot renew the peer certificate: " + e.getMessage() + "; retrying with backoff");
                wait = calls.retryAfter(target, LinkParts.nextDelay(firstRetry, failures));
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Renews when there is no certificate or less than a third of its lifetime remains; true when it did. */
    boolean renewIfDue() throws IOException, InterruptedException {
        var current = credentials.identity();
        if (current.isPresent() && clock.instant().isBefore(current.get().renewAt())) return false;
        renew();
        return true;
    }

    /** How long until the next check: the renewal time, between a second and {@link #MAX_CHECK} away. */
    Duration untilNextCheck() {
        Instant now = clock.instant();
        Duration until = credentials.identity().map(i -> Duration.between(now, i.renewAt())).orElse(Duration.ZERO);
        if (until.compareTo(Duration.ofSeconds(1)) < 0) return Duration.ofSeconds(1);
        return until.compareTo(MAX_CHECK) > 0 ? MAX_CHECK : until;
    }

    private void renew() throws IOException, InterruptedException {
        var keys = PeerIdentity.newKeyPair();
        var response = calls.post(calls.platform(), "agent/v1/certificate", new CertificateRequest(CertificateRequest.VERSION,
                PeerIdentity.publicKeyText(keys)));
        if (response.statusCode() != 200) {
            throw new IOException("the platform answered the certificate request with HTTP " + response.statusCode()
                    + PlatformCalls.detail(response.body()));
        }
        CertificateIssued issued;
        try {
            issued = PlatformCalls.JSON.readValue(response.body(), CertificateIssued.class);
        } catch (JacksonException e) {
            throw new IOException("the platform's answer to the certificate request is not one: " + e.getOriginalMessage(), e);
        }
        var identity = PeerIdentity.issued(keys, issued.certificate(), issued.caCertificate(), hostId);
        // Stored first: a crash between the two leaves the new identity on disk, not an unknown one in use.
        store.write(identity);
        credentials.use(identity);
        log.println("berth-agent: new peer certificate " + identity.certificate().getSerialNumber().toString(16)
                + ", valid until " + identity.notAfter());
    }
}
