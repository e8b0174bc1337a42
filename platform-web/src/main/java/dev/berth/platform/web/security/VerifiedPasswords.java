package dev.berth.platform.web.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The git chain's password check, remembering for a short while a password it has just verified
 * against a stored hash. Why: git's smart HTTP authenticates every request, and one push is at
 * least two (the ref advertisement, then receive-pack), so a push paid two bcrypt checks (tens of
 * milliseconds each on a quiet core, hundreds on a loaded one) before anything was reviewed.
 *
 * <p>Only successes are remembered, and only against the exact stored hash: a changed password has
 * a new hash (new salt), so it misses at once; the account itself (enabled, locked by the login
 * throttle, which refuses before any password is checked) is still loaded and checked on every
 * request by the provider around this encoder. What is kept is a keyed MAC of the password under
 * a key made for this process, never the password, and only for {@link #REMEMBERED}. A wrong
 * password always takes the full check, so guessing gets no faster.
 */
final class VerifiedPasswords implements PasswordEncoder {
    /** Long enough for one push's requests and a pusher's next push; short enough to be forgotten soon. */
    static final Duration REMEMBERED = Duration.ofSeconds(30);
    /** A bound on memory whatever the number of users; past it, the expired go, then everything. */
    static final int MAX_ENTRIES = 4096;

    private final PasswordEncoder delegate;
    private final Clock clock;
    private final SecretKeySpec key;
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    /** One password that matched a stored hash, as its MAC, until when it is trusted without a check. */
    private record Verified(byte[] mac, Instant until) {
    }

    VerifiedPasswords(PasswordEncoder delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
        var bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
    }

    @Override
    public String encode(CharSequence rawPassword) {
        return delegate.encode(rawPassword);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || encodedPassword == null || encodedPassword.isEmpty()) {
            return delegate.matches(rawPassword, encodedPassword);
        }
        byte[] mac = mac(rawPassword, encodedPassword);
        Instant now = clock.instant();
        var known = verified.get(encodedPassword);
        if (known != null && now.isBefore(known.until()) && MessageDigest.isEqual(known.mac(), mac)) return true;
        if (!delegate.matches(rawPassword, encodedPassword)) return false;
        if (verified.size() >= MAX_ENTRIES) forgetExpired(now);
        verified.put(encodedPassword, new Verified(mac, now.plus(REMEMBERED)));
        return true;
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return delegate.upgradeEncoding(encodedPassword);
    }

    /** How many verified passwords are remembered now (for tests of the bound). */
    int remembered() {
        return verified.size();
    }

    private void forgetExpired(Instant now) {
        verified.values().removeIf(v -> !now.isBefore(v.until()));
        if (verified.size() >= MAX_ENTRIES) verified.clear();
    }

    private byte[] mac(CharSequence rawPassword, String encodedPassword) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(encodedPassword.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(rawPassword.toString().getBytes(StandardCharsets.UTF_8));
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
