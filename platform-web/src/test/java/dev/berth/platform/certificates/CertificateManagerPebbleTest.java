package dev.berth.platform.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.MutableClock;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.repositories.SecretBox;
import dev.berth.registry.network.AddressPolicy;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The certificate manager against a real ACME CA (Debian's Pebble) and a real database: issue,
 * restart, renewal, two instances, and the failures a person must be able to act on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CertificateManagerPebbleTest extends PlatformTest {
    private static final InetAddress EDGE = InetAddress.getLoopbackAddress();

    @Autowired
    JdbcClient jdbc;
    @Autowired
    SecretBox box;

    private Pebble pebble;
    private ChallengeServer edge;
    private final List<Object> events = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock();

    @BeforeAll
    void start() throws Exception {
        int httpPort = Pebble.freePort();
        pebble = Pebble.start(httpPort);
        edge = new ChallengeServer(httpPort, () -> manager().openChallenges());
    }

    @AfterAll
    void stop() {
        if (edge != null) edge.close();
        if (pebble != null) pebble.close();
    }

    private AcmeProperties properties(boolean agree) {
        return new AcmeProperties(pebble.directory(), "certs@example.com", agree, pebble.caFile(), pebble.dnsServer(),
                Duration.ofSeconds(30));
    }

    private CertificateManager manager() {
        return manager(clock);
    }

    private CertificateManager manager(MutableClock clock) {
        return manager(properties(true), AddressPolicy.of(List.of("127.0.0.0/8"), Set.of(), "test"), clock);
    }

    private CertificateManager manager(AcmeProperties properties, AddressPolicy policy) {
        return manager(properties, policy, clock);
    }

    private CertificateManager manager(AcmeProperties properties, AddressPolicy policy, MutableClock clock) {
        // Every challenge is served as soon as it is published: the test server reads them straight from the database.
        return new CertificateManager(new AcmeStore(jdbc), new UploadedCertificateStore(jdbc), box, properties, policy,
                new JdkHostResolver(pebble.dnsServer()), () -> Set.of(EDGE), challenge -> true, events::add, clock, () -> { });
    }

    private int orders(String host) {
        return jdbc.sql("SELECT orders FROM acme_certificates WHERE host = ?").param(host).query(Integer.class).single();
    }

    private CertificateState state(CertificateManager manager, String host) {
        return manager.states(List.of(host)).getFirst();
    }

    @Test
    void aRouteGetsACertificateFromPebbleThatEdgesCanOpenAndARestartKeepsIt() throws Exception {
        var manager = manager();
        manager.ensure(Set.of("shop.example.com"));

        var state = state(manager, "shop.example.com");
        assertThat(state.status()).as(state.lastError() + pebble.logs()).isEqualTo(CertificateState.Status.ISSUED);
        assertThat(state.source()).isEqualTo(CertificateState.Source.ACME);
        assertThat(state.issuer()).containsIgnoringCase("pebble");
        assertThat(state.lastError()).isNull();
        assertThat(manager.openChallenges()).isEmpty();
        assertThat(events).anyMatch(e -> e instanceof ChallengesChanged c && !c.open().isEmpty());
        assertThat(events).contains(new CertificatesChanged("shop.example.com"));

        var agent = Pem.newKeyPair();
        var forEdge = manager.forEdge(agent.getPublic()).stream().filter(c -> c.host().equals("shop.example.com")).findFirst().orElseThrow();
        String keyPem = new String(forEdge.key().open(agent.getPrivate(), "shop.example.com"), StandardCharsets.US_ASCII);
        var chain = Pem.parseCertificates(forEdge.chainPem());
        assertThat(UploadedCertificate.check("shop.example.com", forEdge.chainPem(), keyPem, clock.instant()).notAfter())
                .isEqualTo(state.notAfter());
        verifies(chain, pebble.root());
        assertThat(forEdge.toString()).doesNotContain("PRIVATE");

        // A restart: a new manager over the same database orders nothing and serves the same certificate.
        var restarted = manager();
        restarted.ensure(Set.of("shop.example.com"));
        assertThat(orders("shop.example.com")).isEqualTo(1);
        assertThat(state(restarted, "shop.example.com").notAfter()).isEqualTo(state.notAfter());
    }

    @Test
    void aCertificateIsRenewedOnceLessThanAThirdOfItsLifetimeRemains() {
        var clock = new MutableClock();
        var manager = manager(clock);
        manager.ensure(Set.of("renew.example.com"));
        var first = state(manager, "renew.example.com");
        assertThat(first.status()).as(first.lastError()).isEqualTo(CertificateState.Status.ISSUED);

        Duration left = Duration.between(clock.instant(), first.notAfter());
        clock.advance(left.dividedBy(2));
        manager.ensure(Set.of("renew.example.com"));
        assertThat(orders("renew.example.com")).isEqualTo(1);

        clock.advance(left.dividedBy(4));
        manager.ensure(Set.of("renew.example.com"));
        assertThat(orders("renew.example.com")).isEqualTo(2);
        assertThat(state(manager, "renew.example.com").status()).isEqualTo(CertificateState.Status.ISSUED);
    }

    @Test
    void dnsThatPointsElsewhereIsNamedAndNothingIsOrdered() throws Exception {
        pebble.addA("bad.example.com", "203.0.113.9");
        var manager = manager();
        manager.ensure(Set.of("bad.example.com"));

        var state = state(manager, "bad.example.com");
        assertThat(state.status()).isEqualTo(CertificateState.Status.FAILED);
        assertThat(state.lastError()).isEqualTo("DNS for bad.example.com points to 203.0.113.9, not to an edge host (edges: 127.0.0.1)");
        assertThat(state.lastAttempt()).isNotNull();
        assertThat(orders("bad.example.com")).isZero();
    }

    @Test
    void aFailedChallengeSaysWhatTheCaSawAndBacksOff() {
        edge.answerWrongly("wrong.example.com");
        var manager = manager();
        manager.ensure(Set.of("wrong.example.com"));

        var state = state(manager, "wrong.example.com");
        assertThat(state.status()).isEqualTo(CertificateState.Status.FAILED);
        assertThat(state.lastError()).startsWith("the ACME CA at 127.0.0.1 could not fetch http://wrong.example.com/.well-known/acme-challenge/")
                .endsWith("; check that wrong.example.com points to an edge host and port 80 is open");
        assertThat(manager.openChallenges()).isEmpty();

        // Backing off: the next tick does not order again.
        manager.ensure(Set.of("wrong.example.com"));
        assertThat(orders("wrong.example.com")).isEqualTo(1);
    }

    @Test
    void twoPlatformInstancesOrderAHostOnce() throws Exception {
        var one = manager();
        var two = manager();
        try (var pool = Executors.newFixedThreadPool(2)) {
            var a = pool.submit(() -> one.ensure(Set.of("twice.example.com")));
            var b = pool.submit(() -> two.ensure(Set.of("twice.example.com")));
            a.get();
            b.get();
        }
        assertThat(orders("twice.example.com")).isEqualTo(1);
        assertThat(state(two, "twice.example.com").status()).isEqualTo(CertificateState.Status.ISSUED);
    }

    @Test
    void anOrderInterruptedByAStoppingPlatformReleasesItsHostWithoutBackoff() throws Exception {
        // Edges that never serve the challenge keep the order waiting, as a stopping platform finds it.
        var waiting = new CertificateManager(new AcmeStore(jdbc), new UploadedCertificateStore(jdbc), box, properties(true),
                AddressPolicy.of(List.of("127.0.0.0/8"), Set.of(), "test"), new JdkHostResolver(pebble.dnsServer()),
                () -> Set.of(EDGE), challenge -> false, events::add, clock, () -> { });
        var stillInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
        var order = Thread.ofPlatform().start(() -> {
            waiting.ensure(Set.of("stopping.example.com"));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (waiting.openChallenges().stream().noneMatch(c -> c.host().equals("stopping.example.com"))) {
            assertThat(System.nanoTime()).as("the order published its challenge").isLessThan(deadline);
            Thread.sleep(20);
        }
        order.interrupt();
        order.join(Duration.ofSeconds(5));
        assertThat(order.isAlive()).as("the order stopped when interrupted").isFalse();
        assertThat(stillInterrupted).as("the interrupt is kept for the job's thread").isTrue();

        var state = state(waiting, "stopping.example.com");
        assertThat(state.lastError()).isNull();
        assertThat(waiting.openChallenges()).noneMatch(c -> c.host().equals("stopping.example.com"));
        // Released, not backed off: the next instance orders at once.
        var next = manager();
        next.ensure(Set.of("stopping.example.com"));
        assertThat(state(next, "stopping.example.com").status()).isEqualTo(CertificateState.Status.ISSUED);
    }

    @Test
    void withoutTheTermsAcceptedOrWithADirectoryThePolicyRefusesNothingIsOrdered() {
        var noTerms = manager(properties(false), AddressPolicy.of(List.of("127.0.0.0/8"), Set.of(), "test"));
        noTerms.ensure(Set.of("terms.example.com"));
        assertThat(state(noTerms, "terms.example.com").lastError()).isEqualTo("the platform has not accepted the terms of"
                + " service of the ACME CA at 127.0.0.1; an administrator reads them and sets berth.acme.agree-to-terms=true");

        var refused = manager(properties(true), AddressPolicy.of(List.of(), Set.of(), "berth.network.allowed-private-targets"));
        refused.ensure(Set.of("policy.example.com"));
        assertThat(state(refused, "policy.example.com").lastError()).startsWith("the ACME directory (berth.acme.directory) is"
                + " refused: '127.0.0.1' resolves to 127.0.0.1").contains("berth.network.allowed-private-targets");
        assertThat(orders("terms.example.com") + orders("policy.example.com")).isZero();
    }

    @Test
    void anUploadedCertificateWinsAndOneThatExpiredGivesWayToTheAcmeOne() {
        long team = jdbc.sql("INSERT INTO teams (name, created_at) VALUES ('certs-pebble', now()) RETURNING id").query(Long.class).single();
        var keys = Pem.newKeyPair();
        var now = clock.instant();
        var chain = Pem.certificates(List.of(TestCertificates.selfSigned(keys, List.of("mine.example.com"), now.minusSeconds(60),
                now.plus(Duration.ofDays(10)))));
        var upload = UploadedCertificate.check("mine.example.com", chain, Pem.privateKey(keys.getPrivate()), now);
        new UploadedCertificateStore(jdbc).put(team, "web", upload, chain,
                box.seal(Pem.privateKey(keys.getPrivate()), CertificateUploads.context("mine.example.com")), "someone", now);

        var clock = new MutableClock();
        var manager = manager(clock);
        manager.ensure(Set.of("mine.example.com"));
        assertThat(state(manager, "mine.example.com").status()).isEqualTo(CertificateState.Status.UPLOADED);
        assertThat(jdbc.sql("SELECT count(*) FROM acme_certificates WHERE host = 'mine.example.com'").query(Long.class).single()).isZero();
        var agent = Pem.newKeyPair();
        assertThat(manager.forEdge(agent.getPublic())).filteredOn(c -> c.host().equals("mine.example.com"))
                .singleElement().satisfies(c -> assertThat(c.chainPem()).isEqualTo(chain));

        clock.advance(Duration.ofDays(11));
        manager.ensure(Set.of("mine.example.com"));
        var state = state(manager, "mine.example.com");
        assertThat(state.source()).as(state.lastError()).isEqualTo(CertificateState.Source.ACME);
        assertThat(state.status()).isEqualTo(CertificateState.Status.ISSUED);
        assertThat(manager.forEdge(agent.getPublic())).filteredOn(c -> c.host().equals("mine.example.com"))
                .singleElement().satisfies(c -> assertThat(c.chainPem()).isNotEqualTo(chain));
    }

    private static void verifies(List<X509Certificate> chain, X509Certificate root) throws Exception {
        var path = CertificateFactory.getInstance("X.509").generateCertPath(chain);
        var parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(path, parameters);
    }
}
