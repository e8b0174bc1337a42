package dev.berth.platform.certificates;

import dev.berth.agent.protocol.AcmeChallenge;
import dev.berth.agent.protocol.EdgeCertificate;
import dev.berth.agent.protocol.SealedKey;
import dev.berth.backoff.Backoff;
import dev.berth.platform.certificates.CertificateState.Source;
import dev.berth.platform.certificates.CertificateState.Status;
import dev.berth.platform.repositories.SecretBox;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The platform's route certificates: the only ACME client (edges never order). {@link #ensure}
 * orders, one host per order, what is missing or due (a third of the lifetime left), at most one
 * order per host in flight across platform instances (a claim on the host's row); failures back
 * off per host and leave a sentence in {@code last_error}. Before ordering, the host's DNS must
 * point only at edge hosts. Keys are EC P-256, made here, stored sealed with the platform's
 * {@link SecretBox}, and leave only sealed to an edge agent's key ({@link #forEdge}).
 */
public class CertificateManager {
    static final Backoff BACKOFF = new Backoff(Duration.ofMinutes(1), Duration.ofHours(6));
    private static final Logger log = LoggerFactory.getLogger(CertificateManager.class);

    private final AcmeStore acme;
    private final UploadedCertificateStore uploads;
    private final SecretBox box;
    private final AcmeOrders orders;
    private final AcmeProperties properties;
    private final HostResolver resolver;
    private final EdgeAddresses edges;
    private final EdgeReadiness readiness;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Runnable soon;
    /** Names this instance's claims, so it releases only its own. */
    private final String instance = UUID.randomUUID().toString();

    /** The integrator's seams: {@code edges}, {@code readiness}; {@code soon} runs {@link #ensure} in the background. */
    public CertificateManager(AcmeStore acme, UploadedCertificateStore uploads, SecretBox box, AcmeProperties properties,
                              dev.berth.registry.network.AddressPolicy policy, HostResolver resolver, EdgeAddresses edges,
                              EdgeReadiness readiness, ApplicationEventPublisher events, Clock clock, Runnable soon) {
        this.acme = acme;
        this.uploads = uploads;
        this.box = box;
        this.orders = new AcmeOrders(properties, policy);
        this.properties = properties;
        this.resolver = resolver;
        this.edges = edges;
        this.readiness = readiness;
        this.events = events;
        this.clock = clock;
        this.soon = soon;
    }

    /**
     * Orders a certificate for every host of {@code hosts} that has no valid uploaded one and whose
     * ACME certificate is missing or due, unless its last failure's backoff runs. Blocks while it
     * orders (each order up to {@code berth.acme.order-timeout}); a host another instance orders
     * now is skipped.
     */
    public void ensure(Set<String> hosts) {
        Instant now = clock.instant();
        var wanted = withoutUploads(hosts, now);
        acme.ensureRows(wanted);
        for (var row : acme.rows(wanted)) {
            // Interrupted: the platform is stopping, and another instance (or the next start) orders the rest.
            if (Thread.currentThread().isInterrupted()) return;
            if (needsOrder(row, now)) orderOne(row.host());
        }
    }

    /**
     * How many of {@code hosts} wait for an ACME order now: no valid uploaded certificate, and an
     * ACME one missing or due with any backoff over (an order in flight counts until it lands).
     */
    public int ordersPending(Set<String> hosts) {
        Instant now = clock.instant();
        var wanted = withoutUploads(hosts, now);
        var rows = acme.rows(wanted);
        // A host without a row yet has never been ordered.
        return wanted.size() - rows.size() + (int) rows.stream().filter(r -> needsOrder(r, now)).count();
    }

    private Set<String> withoutUploads(Set<String> hosts, Instant now) {
        var wanted = new LinkedHashSet<String>();
        hosts.forEach(h -> wanted.add(h.toLowerCase(Locale.ROOT)));
        uploads.of(wanted).stream().filter(u -> u.notAfter().isAfter(now)).forEach(u -> wanted.remove(u.host()));
        return wanted;
    }

    /** Runs {@link #ensure} with every routed host soon, in the background (after a push changed routes). */
    public void ensureSoon() {
        soon.run();
    }

    /** The HTTP-01 challenges of every open order (on any instance), for the edges' assignments. */
    public List<AcmeChallenge> openChallenges() {
        return acme.challenges();
    }

    /**
     * A certificate that serves a host now, without its key.
     *
     * @param fingerprint SHA-256 of the chain, hex: what changes when the certificate does
     */
    public record Served(String host, String chainPem, String fingerprint) {
    }

    /** A served certificate with a way to its key, opened only when someone seals it. */
    private record Current(Served served, java.util.function.Supplier<String> keyPem) {
    }

    /** Every valid certificate, an uploaded one winning over the ACME one of its host. */
    private List<Current> current() {
        Instant now = clock.instant();
        var out = new ArrayList<Current>();
        var uploaded = new java.util.HashSet<String>();
        for (var u : uploads.all()) {
            if (!u.notAfter().isAfter(now)) continue;
            uploaded.add(u.host());
            out.add(new Current(served(u.host(), u.chainPem()), () -> box.open(u.sealedKey(), CertificateUploads.context(u.host()))));
        }
        for (var row : acme.valid(now)) {
            if (uploaded.contains(row.host())) continue;
            out.add(new Current(served(row.host(), row.chainPem()), () -> box.open(row.sealedKey(), context(row.host()))));
        }
        return out;
    }

    private static Served served(String host, String chainPem) {
        try {
            var digest = java.security.MessageDigest.getInstance("SHA-256").digest(chainPem.getBytes(StandardCharsets.US_ASCII));
            return new Served(host, chainPem, java.util.HexFormat.of().formatHex(digest));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Every certificate that serves a host now (an upload wins while valid), without keys: what edges are to serve. */
    public List<Served> served() {
        return current().stream().map(Current::served).toList();
    }

    /**
     * Every valid certificate (uploaded ones win over ACME ones for their host), each key sealed to
     * {@code agentKey} with the host bound in.
     */
    public List<EdgeCertificate> forEdge(PublicKey agentKey) {
        return List.copyOf(forEdge(agentKey, h -> true, s -> null).values());
    }

    /**
     * The valid certificates of the hosts {@code wanted} accepts, each key sealed to {@code agentKey};
     * {@code known} may answer with a certificate sealed before for the same {@link Served}, which
     * is then used as it is (sealing is randomised: the same certificate sealed twice differs).
     *
     * @return each served certificate with its sealed form, by host order of storage
     */
    public java.util.Map<Served, EdgeCertificate> forEdge(PublicKey agentKey, java.util.function.Predicate<String> wanted,
                                                          Function<Served, EdgeCertificate> known) {
        var out = new java.util.LinkedHashMap<Served, EdgeCertificate>();
        for (var c : current()) {
            if (!wanted.test(c.served().host())) continue;
            var before = known.apply(c.served());
            out.put(c.served(), before != null ? before : sealed(c.served().host(), c.served().chainPem(), c.keyPem().get(), agentKey));
        }
        return out;
    }

    /** Where each host's certificate stands, in the order given. */
    public List<CertificateState> states(Collection<String> hosts) {
        Instant now = clock.instant();
        var lower = hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).distinct().toList();
        var uploaded = uploads.of(lower).stream().collect(Collectors.toMap(UploadedCertificateStore.Row::host, Function.identity()));
        var ordered = new HashMap<String, AcmeStore.Row>();
        acme.rows(lower).forEach(r -> ordered.put(r.host(), r));
        var out = new ArrayList<CertificateState>();
        for (String host : lower) {
            var u = uploaded.get(host);
            var a = ordered.get(host);
            boolean uploadValid = u != null && u.notAfter().isAfter(now);
            boolean acmeServes = a != null && status(a, now) == Status.ISSUED;
            // An expired upload gives way to an ACME certificate (ensure orders one), as forEdge does.
            if (u != null && (uploadValid || !acmeServes)) {
                out.add(new CertificateState(host, Source.UPLOADED, uploadValid ? Status.UPLOADED : Status.EXPIRED,
                        u.issuer(), u.notAfter(), null, null));
            } else if (a == null) {
                out.add(new CertificateState(host, Source.NONE, Status.PENDING, null, null, null, null));
            } else {
                out.add(new CertificateState(host, Source.ACME, status(a, now), a.issuer(), a.notAfter(), a.lastError(), a.lastAttempt()));
            }
        }
        return out;
    }

    private static Status status(AcmeStore.Row row, Instant now) {
        if (row.hasCertificate()) return row.notAfter().isAfter(now) ? Status.ISSUED : Status.EXPIRED;
        return row.lastError() != null ? Status.FAILED : Status.PENDING;
    }

    private static boolean needsOrder(AcmeStore.Row row, Instant now) {
        boolean wanted = !row.hasCertificate() || Renewal.due(row.notBefore(), row.notAfter(), now);
        return wanted && (row.nextAttempt() == null || !row.nextAttempt().isAfter(now));
    }

    private void orderOne(String host) {
        Instant now = clock.instant();
        var claimed = acme.claim(host, instance, now, now.plus(properties.orderTimeout()).plusSeconds(60));
        // Another instance orders it now, or just did.
        if (claimed.isEmpty()) return;
        var row = claimed.get();
        if (!needsOrder(row, now)) {
            acme.release(host, instance);
            return;
        }
        boolean stopping = false;
        try {
            refuseWithoutTerms();
            checkDns(host);
            orders.checkDirectory();
            KeyPair account = accountKey();
            KeyPair key = Pem.newKeyPair();
            acme.orderPlaced(host, now);
            var chain = orders.order(host, account, key, new AcmeOrders.Edges() {
                @Override
                public void publish(AcmeChallenge challenge) {
                    acme.addChallenge(challenge, clock.instant());
                    events.publishEvent(new ChallengesChanged(acme.challenges()));
                }

                @Override
                public boolean serving(AcmeChallenge challenge) {
                    return readiness.serving(challenge);
                }
            });
            var leaf = chain.getFirst();
            acme.issued(host, Pem.certificates(chain), box.seal(Pem.privateKey(key.getPrivate()), context(host)), Pem.issuer(leaf),
                    leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), clock.instant());
            events.publishEvent(new CertificatesChanged(host));
            log.info("certificate for {} issued by {}, valid until {}", host, Pem.issuer(leaf), leaf.getNotAfter().toInstant());
        } catch (OrderFailed e) {
            // Stopping is no failure of the host's: it is released for the next attempt, without backoff.
            // The flag is cleared while the database is written (the pool refuses interrupted threads), then set again.
            stopping = Thread.interrupted();
            if (stopping) acme.release(host, instance);
            else fail(row, e.getMessage(), now);
        } catch (RuntimeException e) {
            fail(row, "the order for " + host + " failed unexpectedly: " + e.getMessage(), now);
        } finally {
            if (acme.removeChallenges(host)) events.publishEvent(new ChallengesChanged(acme.challenges()));
            if (stopping) Thread.currentThread().interrupt();
        }
    }

    /** Records the failure and backs off; then {@link CertificateOrderFailed} tells the host's team, when it should hear. */
    private void fail(AcmeStore.Row row, String sentence, Instant now) {
        String host = row.host();
        Duration wait = BACKOFF.delay(row.failures() + 1);
        acme.failed(host, sentence, now, now.plus(wait));
        log.warn("no certificate for {} (next attempt in {} s): {}", host, wait.toSeconds(), sentence);
        events.publishEvent(new CertificateOrderFailed(host, sentence, row.failures() + 1, row.notAfter(), now, now.plus(wait)));
    }

    private void refuseWithoutTerms() throws OrderFailed {
        if (!properties.agreeToTerms()) {
            throw new OrderFailed("the platform has not accepted the terms of service of " + properties.caName()
                    + "; an administrator reads them and sets berth.acme.agree-to-terms=true");
        }
    }

    /** Resolves only: nothing here connects to the addresses found. */
    private void checkDns(String host) throws OrderFailed {
        List<java.net.InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UncheckedIOException e) {
            throw new OrderFailed(e.getCause().getMessage() + "; the platform tries again later");
        }
        var problem = DnsCheck.problem(host, addresses, edges.addresses());
        if (problem.isPresent()) throw new OrderFailed(problem.get());
    }

    /** The account key for the configured directory, made and stored sealed on first use (the first instance wins). */
    private KeyPair accountKey() {
        String directory = properties.directory().toString();
        String accountContext = "acme-account:" + directory;
        var sealed = acme.accountKey(directory);
        if (sealed.isEmpty()) {
            KeyPair fresh = Pem.newKeyPair();
            var encoder = Base64.getEncoder();
            String both = encoder.encodeToString(fresh.getPrivate().getEncoded()) + "." + encoder.encodeToString(fresh.getPublic().getEncoded());
            acme.insertAccountIfAbsent(directory, box.seal(both, accountContext), clock.instant());
            sealed = acme.accountKey(directory);
        }
        String[] parts = box.open(sealed.orElseThrow(), accountContext).split("\\.");
        try {
            var factory = KeyFactory.getInstance("EC");
            var decoder = Base64.getDecoder();
            return new KeyPair(factory.generatePublic(new X509EncodedKeySpec(decoder.decode(parts[1]))),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(decoder.decode(parts[0]))));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("the stored ACME account key cannot be read", e);
        }
    }

    private static EdgeCertificate sealed(String host, String chainPem, String keyPem, PublicKey agentKey) {
        return new EdgeCertificate(host, chainPem, SealedKey.seal(agentKey, keyPem.getBytes(StandardCharsets.US_ASCII), host));
    }

    static String context(String host) {
        return "acme-certificate:" + host;
    }
}
