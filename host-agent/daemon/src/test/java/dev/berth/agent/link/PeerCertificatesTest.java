package dev.berth.agent.link;

import static dev.berth.agent.link.StandInPlatform.CREDENTIAL;
import static dev.berth.agent.link.StandInPlatform.HOST_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.peer.PeerCredentials;
import dev.berth.agent.peer.PeerIdentity;
import dev.berth.agent.peer.PeerIdentityStore;
import dev.berth.agent.peer.TestCa;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's peer certificate against a stand-in platform on 127.0.0.1 that issues real
 * certificates: asked for at join with a key made here, asked for at start by an agent that joined
 * before certificates, and renewed with a new key once a third of its lifetime remains.
 */
class PeerCertificatesTest {
    private static final String TOKEN = "berth-join_tokentokentoken";
    private static final PlatformLink.Timing FAST = new PlatformLink.Timing(Duration.ofMillis(100), Duration.ofMillis(50), 1,
            Duration.ofMillis(50));
    @TempDir
    Path state;
    private StandInPlatform platform;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    /** A clock the test moves. */
    private static final class FakeClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T00:00:00Z"));

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        platform = new StandInPlatform();
        platform.ca = new TestCa("Berth platform CA test");
    }

    @AfterEach
    void stop() {
        platform.close();
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).doesNotContain(CREDENTIAL).doesNotContain("PRIVATE KEY");
    }

    @Test
    void joiningSendsAKeyMadeHereAndStoresItsCertificateOwnerOnly() throws Exception {
        try (var link = PlatformLink.join(platform.uri(), state, TOKEN, FAST, log)) {
            var identity = link.peerCredentials().identity().orElseThrow();
            assertThat(identity.hostId()).isEqualTo(HOST_ID);
            assertThat(identity.ca()).isEqualTo(platform.ca.certificate);
        }
        var file = PeerIdentityStore.in(state).file();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        var stored = PeerIdentityStore.in(state).read().orElseThrow();
        assertThat(stored.hostId()).isEqualTo(HOST_ID);
        // A restart finds it again without asking.
        try (var again = PlatformLink.join(platform.uri(), state, null, FAST, log)) {
            assertThat(again.peerCredentials().identity().orElseThrow().certificate()).isEqualTo(stored.certificate());
        }
        assertThat(platform.certificateRequests).hasValue(0);
    }

    @Test
    void anAgentThatJoinedBeforeCertificatesAsksForOneAtStart() throws Exception {
        var ca = platform.ca;
        platform.ca = null;
        try (var link = PlatformLink.join(platform.uri(), state, TOKEN, FAST, log)) {
            assertThat(link.peerCredentials().identity()).isEmpty();
        }
        assertThat(Files.exists(PeerIdentityStore.in(state).file())).isFalse();

        platform.ca = ca;
        try (var link = PlatformLink.join(platform.uri(), state, null, FAST, log)) {
            assertThat(link.peerCredentials().identity()).isEmpty();
            link.start(new RecordingAgent());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (link.peerCredentials().identity().isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(link.peerCredentials().identity()).hasValueSatisfying(i -> assertThat(i.hostId()).isEqualTo(HOST_ID));
        }
        assertThat(platform.certificateRequests).hasValue(1);
        assertThat(PeerIdentityStore.in(state).read()).isPresent();
    }

    @Test
    void aCertificateIsRenewedWithANewKeyOnceAThirdOfItsLifetimeRemains() throws Exception {
        var clock = new FakeClock();
        platform.clock = clock;
        var credentials = new PeerCredentials();
        var store = PeerIdentityStore.in(state);
        var calls = new PlatformCalls(new PlatformInstances(java.util.List.of(platform.uri()), Duration.ofMillis(50), clock, log), CREDENTIAL, PlatformCalls.client());
        var rotation = new CertificateRotation(calls, credentials, store, HOST_ID, clock, Duration.ofMillis(50), log);

        assertThat(rotation.renewIfDue()).as("none yet").isTrue();
        var first = credentials.identity().orElseThrow();
        assertThat(first.notBefore()).isEqualTo(clock.instant());
        assertThat(rotation.untilNextCheck()).isEqualTo(CertificateRotation.MAX_CHECK);

        clock.advance(Duration.ofDays(19));
        assertThat(rotation.renewIfDue()).isFalse();
        assertThat(credentials.identity()).containsSame(first);
        assertThat(rotation.untilNextCheck()).isEqualTo(CertificateRotation.MAX_CHECK);
        clock.advance(Duration.ofDays(1).minusMinutes(10));
        assertThat(rotation.untilNextCheck()).isEqualTo(Duration.ofMinutes(10));

        clock.advance(Duration.ofMinutes(11));
        assertThat(rotation.renewIfDue()).isTrue();
        var second = credentials.identity().orElseThrow();
        assertThat(second.certificate().getSerialNumber()).isNotEqualTo(first.certificate().getSerialNumber());
        assertThat(second.certificate().getPublicKey()).as("a new key").isNotEqualTo(first.certificate().getPublicKey());
        assertThat(second.notAfter()).isAfter(first.notAfter());
        assertThat(store.read().orElseThrow().certificate()).isEqualTo(second.certificate());
        assertThat(platform.certificateRequests).hasValue(2);
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("new peer certificate "
                + second.certificate().getSerialNumber().toString(16));
    }

    @Test
    void aRenewedCertificateServesNewHandshakesWhileAConnectionOfTheOldOneKeepsWorking() throws Exception {
        // Only the agent's clock moves: the certificates are checked by real TLS at the real time.
        var clock = new FakeClock();
        clock.now.set(Instant.now());
        var credentials = new PeerCredentials();
        var rotation = new CertificateRotation(new PlatformCalls(new PlatformInstances(java.util.List.of(platform.uri()), Duration.ofMillis(50), clock, log), CREDENTIAL, PlatformCalls.client()), credentials,
                PeerIdentityStore.in(state), HOST_ID, clock, Duration.ofMillis(50), log);
        rotation.renewIfDue();
        var first = credentials.identity().orElseThrow();
        var consumer = new PeerCredentials(platform.ca.identity("h-consumer0001"));
        var loopback = java.net.InetAddress.getLoopbackAddress();
        try (var replica = new java.net.ServerSocket(0, 10, loopback);
             var listener = dev.berth.agent.peer.PeerServer.start(new java.net.InetSocketAddress(loopback, 0), credentials,
                     () -> java.util.List.of(new dev.berth.agent.protocol.ConnectGrant("t.api", "http", "t.web",
                             java.util.List.of("h-consumer0001"), java.util.Map.of("api-1", replica.getLocalPort()))),
                     container -> java.util.Optional.of(new dev.berth.agent.peer.PeerServer.Replica("t.api",
                             port -> java.nio.channels.SocketChannel.open(new java.net.InetSocketAddress(loopback, port)))),
                     Duration.ofSeconds(5), log)) {
            Thread.ofVirtual().start(() -> {
                while (true) {
                    try {
                        var s = replica.accept();
                        Thread.ofVirtual().start(() -> {
                            try (s) {
                                s.getInputStream().transferTo(s.getOutputStream());
                            } catch (java.io.IOException ignored) {
                                // the test sees what came back
                            }
                        });
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            });
            var backend = new dev.berth.agent.protocol.ConnectTarget.Backend(HOST_ID, "api-1", 80,
                    "127.0.0.1:" + listener.address().getPort());
            var client = new dev.berth.agent.peer.PeerClient(consumer);
            try (var old = client.open(backend, "http", "t.web", Duration.ofSeconds(5))) {
                clock.advance(Duration.ofDays(21));
                assertThat(rotation.renewIfDue()).isTrue();
                var second = credentials.identity().orElseThrow();
                assertThat(second.certificate().getSerialNumber()).isNotEqualTo(first.certificate().getSerialNumber());

                try (var fresh = client.open(backend, "http", "t.web", Duration.ofSeconds(5))) {
                    assertThat(echoes(fresh, "new")).isEqualTo("new");
                }
                assertThat(echoes(old, "old")).isEqualTo("old");
            }
        }
    }

    /** Sends {@code text} and reads as many bytes back. */
    private static String echoes(java.nio.channels.ByteChannel channel, String text) throws java.io.IOException {
        channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        var back = java.nio.ByteBuffer.allocate(text.length());
        while (back.hasRemaining()) {
            if (channel.read(back) < 0) break;
        }
        return new String(back.array(), 0, back.position(), StandardCharsets.UTF_8);
    }

    @Test
    void aCertificateForAnotherKeyOrHostIsNotTaken() {
        var keys = PeerIdentity.newKeyPair();
        var other = PeerIdentity.newKeyPair();
        var now = Instant.now();
        String forOther = TestCa.pem(platform.ca.issue(HOST_ID, other.getPublic(), now, Duration.ofDays(1)));
        String forAnotherHost = TestCa.pem(platform.ca.issue("h-someoneelse1", keys.getPublic(), now, Duration.ofDays(1)));
        String ca = TestCa.pem(platform.ca.certificate);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PeerIdentity.issued(keys, forOther, ca, HOST_ID))
                .hasMessageContaining("for another key");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PeerIdentity.issued(keys, forAnotherHost, ca, HOST_ID))
                .hasMessageContaining("names host h-someoneelse1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PeerIdentity.issued(keys,
                        TestCa.pem(platform.ca.issue(HOST_ID, keys.getPublic(), now, Duration.ofDays(1))),
                        TestCa.pem(new TestCa("another").certificate), HOST_ID))
                .hasMessageContaining("not signed by the CA");
    }
}
