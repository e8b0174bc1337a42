package dev.berth.platform.clilogin;

import dev.berth.platform.access.Caller;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.lockout.LockoutPolicy;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.security.FailureAudit;
import dev.berth.platform.tokens.IssuedToken;
import dev.berth.platform.tokens.TokenService;
import dev.berth.platform.users.UserAccounts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Signing the command line in through the browser, after RFC 8628: the CLI asks anonymously and
 * gets a device code (its secret) and a user code; a signed-in person confirms the user code on
 * {@code /cli-login} and approves or denies; the CLI, polling with the device code, collects an
 * API token minted for that person, once. A session must approve: a token cannot, so a narrowed
 * token never turns into a full one this way.
 */
@Service
public class CliLoginService {
    /** How long a request waits for a person (RFC 8628's expires_in). */
    public static final Duration LIFETIME = Duration.ofMinutes(10);
    /** How often the CLI may poll at first (RFC 8628's interval). */
    public static final int INTERVAL_SECONDS = 2;
    /** How long the minted API token lives; revoke it on the Tokens page, or sign in again when it ends. */
    public static final Duration TOKEN_LIFETIME = Duration.ofDays(90);
    /** Requests one source address may make per {@link #REQUEST_WINDOW}: more is no person at a terminal. */
    public static final int MAX_REQUESTS_PER_SOURCE = 20;
    public static final Duration REQUEST_WINDOW = Duration.ofMinutes(10);
    /** Ended requests stay this long, so a late poll hears why rather than "unknown". */
    static final Duration KEPT_AFTER_EXPIRY = Duration.ofHours(1);
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final AuditEvent.Actor ANONYMOUS = new AuditEvent.Actor(AuditEvent.ActorType.ANONYMOUS, "cli");

    private final CliLoginStore store;
    private final TokenService tokens;
    private final CallerResolver callers;
    private final UserAccounts users;
    private final AuditLog audit;
    private final FailureAudit failures;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final CodeGuessLimit guesses;

    @Autowired
    public CliLoginService(CliLoginStore store, TokenService tokens, CallerResolver callers, UserAccounts users, AuditLog audit,
                           FailureAudit failures, TransactionTemplate tx, Clock clock) {
        this(store, tokens, callers, users, audit, failures, tx, clock, CodeGuessLimit.DEFAULT);
    }

    CliLoginService(CliLoginStore store, TokenService tokens, CallerResolver callers, UserAccounts users, AuditLog audit,
                    FailureAudit failures, TransactionTemplate tx, Clock clock, CodeGuessLimit guesses) {
        this.store = store;
        this.tokens = tokens;
        this.callers = callers;
        this.users = users;
        this.audit = audit;
        this.failures = failures;
        this.tx = tx;
        this.clock = clock;
        this.guesses = guesses;
    }

    /** What the CLI is told: the device code is its secret, the user code is for the person. */
    public record Started(DeviceCode deviceCode, UserCode userCode, Instant expiresAt, int intervalSeconds) {
    }

    /**
     * Starts a request. {@code client} (what the CLI is, default "berth CLI") and {@code hostName}
     * (the machine, optional) are shown to the person who approves.
     */
    public Started start(String client, String hostName, RequestOrigin origin) {
        String what = client == null ? "berth CLI" : client.strip();
        if (what.isEmpty() || what.length() > 100 || what.chars().anyMatch(Character::isISOControl)) {
            throw new Problem.Invalid("'client' must be 1 to 100 printable characters");
        }
        if (hostName != null && !HOST.matcher(hostName).matches()) {
            throw new Problem.Invalid("'host' must be a host name: 1 to 64 letters, digits, dots, dashes or underscores");
        }
        var now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String source = LockoutPolicy.sourceKey(origin.address());
        store.prune(now.minus(KEPT_AFTER_EXPIRY), now.minus(guesses.window()));
        if (store.countFrom(source, now.minus(REQUEST_WINDOW)) >= MAX_REQUESTS_PER_SOURCE) {
            failures.report(AuditEvent.of(ANONYMOUS, "cli-login.request", "source:" + source)
                    .source(origin.address(), origin.userAgent()).outcome(AuditEvent.Outcome.DENIED)
                    .detail("reason", "too many requests"));
            throw new Problem.TooManyRequests(MAX_REQUESTS_PER_SOURCE + " sign-in requests from " + source + " in the last "
                    + REQUEST_WINDOW.toMinutes() + " minutes are the most allowed; try again later");
        }
        var expiresAt = now.plus(LIFETIME);
        // 32^8 codes: a clash with a stored one is rare, and a fresh draw settles it.
        for (int attempt = 0; attempt < 5; attempt++) {
            var device = DeviceCode.generate();
            var user = UserCode.generate();
            if (store.insert(device, user, what, hostName, source, origin.address(), origin.userAgent(), now, expiresAt,
                    INTERVAL_SECONDS)) {
                return new Started(device, user, expiresAt, INTERVAL_SECONDS);
            }
        }
        throw new IllegalStateException("could not draw a free user code in 5 attempts");
    }

    /** What a poll gets: a {@link PollVerdict} that is not {@code Approved}, or the token itself. */
    public sealed interface Collected permits Waiting, Issued {
    }

    public record Waiting(PollVerdict verdict) implements Collected {
    }

    public record Issued(IssuedToken token) implements Collected {
    }

    /** The CLI's poll with its device code. An approved request hands out its token here, exactly once. */
    public Collected collect(String presentedDeviceCode, RequestOrigin origin) {
        // As stored: PostgreSQL rounds to microseconds, and a poll exactly one interval after the
        // last must not read as early because the last one was rounded up.
        var now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        var device = DeviceCode.parse(presentedDeviceCode);
        var request = device.flatMap(store::byDeviceCode).orElse(null);
        var verdict = PollVerdict.decide(request, now);
        switch (verdict) {
            case PollVerdict.Unknown u -> failures.report(AuditEvent.of(ANONYMOUS, "cli-login.poll", "cli-login")
                    .source(origin.address(), origin.userAgent()).outcome(AuditEvent.Outcome.FAILURE)
                    .detail("reason", device.isEmpty() ? "not a device code" : "unknown device code"));
            case PollVerdict.Pending p -> store.polled(request.id(), now, p.intervalSeconds());
            case PollVerdict.SlowDown s -> store.polled(request.id(), now, s.intervalSeconds());
            case PollVerdict.Approved a -> {
                return tx.execute(status -> mint(request, a, now, origin));
            }
            default -> {
            }
        }
        return new Waiting(verdict);
    }

    /** In one transaction: the request is marked collected and the token minted, or neither. */
    private Collected mint(LoginRequest request, PollVerdict.Approved approved, Instant now, RequestOrigin origin) {
        if (!store.consume(request.id(), now)) {
            return new Waiting(new PollVerdict.Expired("this sign-in was already collected; run berth login again for another"));
        }
        var approver = callers.ofUser(approved.userId(), approved.credentialsVersion());
        if (approver.isEmpty()) {
            // Consumed all the same: the approval is void, and so is the request.
            return new Waiting(new PollVerdict.Denied("the account that approved this sign-in changed its password since, or"
                    + " is gone; run berth login again"));
        }
        String name = request.hostName() == null ? "berth CLI" : "berth CLI on " + request.hostName();
        var issued = tokens.create(approver.get(), new TokenService.Request(name, null, null, now.plus(TOKEN_LIFETIME)), origin);
        return new Issued(issued);
    }

    /**
     * The pending request with this code, for the approval page. Each code that matches no request
     * counts against the caller (see {@link CodeGuessLimit}).
     */
    public LoginRequest find(Caller caller, String typedCode, RequestOrigin origin) {
        requireSession(caller);
        // PostgreSQL keeps microseconds, rounding: a failure must not read back later than it happened.
        var now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        var locked = guesses.lockedUntil(store.failuresOf(caller.userId(), now.minus(guesses.window())), now);
        if (locked.isPresent()) {
            throw new Problem.TooManyRequests("too many codes that match no sign-in request: try again after "
                    + locked.get().truncatedTo(ChronoUnit.SECONDS) + " (UTC)");
        }
        var code = UserCode.parse(typedCode);
        if (code.isEmpty()) {
            throw new Problem.Invalid("a code is 8 letters and digits, like ABCD-EFGH, as the terminal shows it");
        }
        var request = store.byUserCode(code.get());
        if (request.isEmpty()) {
            store.insertFailure(caller.userId(), now);
            failures.report(AuditEvent.of(caller, "cli-login.wrong-code", "cli-login")
                    .source(origin.address(), origin.userAgent()).outcome(AuditEvent.Outcome.FAILURE));
            throw new Problem.NotFound("no command-line sign-in has the code " + code.get().display()
                    + ": check it against the terminal, or run berth login again");
        }
        var found = request.get();
        if (found.state() != LoginRequest.State.PENDING) {
            throw new Problem.Conflict("the sign-in with code " + code.get().display() + " was already "
                    + (found.state() == LoginRequest.State.DENIED ? "denied" : "approved") + "; run berth login again for another");
        }
        if (found.expired(now)) {
            throw new Problem.Conflict("the code " + code.get().display() + " expired at "
                    + found.expiresAt().truncatedTo(ChronoUnit.SECONDS) + " (UTC); run berth login again for a new one");
        }
        return found;
    }

    public LoginRequest approve(Caller caller, String typedCode, RequestOrigin origin) {
        return decide(caller, typedCode, LoginRequest.State.APPROVED, origin);
    }

    public LoginRequest deny(Caller caller, String typedCode, RequestOrigin origin) {
        return decide(caller, typedCode, LoginRequest.State.DENIED, origin);
    }

    private LoginRequest decide(Caller caller, String typedCode, LoginRequest.State decision, RequestOrigin origin) {
        var request = find(caller, typedCode, origin);
        long version = users.credentialsVersion(caller.userId())
                .orElseThrow(() -> new Problem.Forbidden("your account no longer exists"));
        if (!store.decide(request.id(), decision, caller.userId(), version, clock.instant())) {
            throw new Problem.Conflict("the sign-in with code " + request.userCode().display()
                    + " was decided or expired meanwhile; run berth login again");
        }
        boolean approved = decision == LoginRequest.State.APPROVED;
        audit.record(AuditEvent.of(caller, approved ? "cli-login.approve" : "cli-login.deny", "cli-login:" + request.id())
                .source(origin.address(), origin.userAgent())
                .outcome(approved ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.DENIED)
                .detail("client", request.client()).detail("host", request.hostName())
                .detail("requestedFrom", request.sourceAddress()).detail("requestedAt", request.createdAt()));
        return request;
    }

    /** Only a person signed in to the dashboard decides; a token would mint a token wider than itself. */
    private static void requireSession(Caller caller) {
        if (caller.token().isPresent()) {
            throw new Problem.Forbidden("approving a command-line sign-in needs a dashboard session, not an API token");
        }
    }
}
