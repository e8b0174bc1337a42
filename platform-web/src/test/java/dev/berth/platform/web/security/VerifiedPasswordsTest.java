package dev.berth.platform.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.MutableClock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/** When the git chain's password check may skip the hash, and when it must not. */
class VerifiedPasswordsTest {
    private final MutableClock clock = new MutableClock();
    private final AtomicInteger hashed = new AtomicInteger();
    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
    private VerifiedPasswords passwords;
    private String stored;

    @BeforeEach
    void setUp() {
        passwords = new VerifiedPasswords(new Counting(bcrypt, hashed), clock);
        stored = bcrypt.encode("correct horse");
    }

    @Test
    void aPasswordJustVerifiedIsNotHashedAgain() {
        assertThat(passwords.matches("correct horse", stored)).isTrue();
        assertThat(passwords.matches("correct horse", stored)).isTrue();
        assertThat(hashed).hasValue(1);
    }

    @Test
    void aWrongPasswordIsAlwaysCheckedInFullAndNeverRemembered() {
        assertThat(passwords.matches("correct horse", stored)).isTrue();
        assertThat(passwords.matches("wrong horse", stored)).isFalse();
        assertThat(passwords.matches("wrong horse", stored)).isFalse();
        assertThat(hashed).hasValue(3);
    }

    @Test
    void aRememberedPasswordIsCheckedInFullOnceItsTimeIsOver() {
        assertThat(passwords.matches("correct horse", stored)).isTrue();
        clock.advance(VerifiedPasswords.REMEMBERED);
        assertThat(passwords.matches("correct horse", stored)).isTrue();
        assertThat(hashed).hasValue(2);
    }

    @Test
    void aChangedPasswordHasANewHashSoTheOldOneIsNotTrusted() {
        assertThat(passwords.matches("correct horse", stored)).isTrue();
        String changed = bcrypt.encode("battery staple");
        assertThat(passwords.matches("correct horse", changed)).isFalse();
        assertThat(passwords.matches("battery staple", changed)).isTrue();
        assertThat(hashed).hasValue(3);
    }

    @Test
    void aPasswordVerifiedForOneHashDoesNotPassForAnother() {
        String other = bcrypt.encode("someone else's");
        assertThat(passwords.matches("correct horse", stored)).isTrue();
        assertThat(passwords.matches("correct horse", other)).isFalse();
        assertThat(hashed).hasValue(2);
    }

    @Test
    void manyUsersKeepMemoryBounded() {
        var plain = new VerifiedPasswords(new PasswordEncoder() {
            @Override
            public String encode(CharSequence raw) {
                return "plain:" + raw;
            }

            @Override
            public boolean matches(CharSequence raw, String encoded) {
                return encoded.equals("plain:" + raw);
            }
        }, clock);
        for (int i = 0; i < VerifiedPasswords.MAX_ENTRIES + 10; i++) {
            assertThat(plain.matches("password " + i, "plain:password " + i)).isTrue();
        }
        assertThat(plain.remembered()).isBetween(1, VerifiedPasswords.MAX_ENTRIES);
    }

    /** The real encoder, counting the full checks it makes. */
    private record Counting(PasswordEncoder encoder, AtomicInteger checks) implements PasswordEncoder {
        @Override
        public String encode(CharSequence raw) {
            return encoder.encode(raw);
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            checks.incrementAndGet();
            return encoder.matches(raw, encoded);
        }
    }
}
