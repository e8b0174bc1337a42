package dev.berth.platform.clilogin;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * The code a person confirms on {@code /cli-login}: eight characters of a 32-letter alphabet
 * without 0, O, 1 and I (32^8, 40 bits), shown {@code XXXX-XXXX}. Typed in any case, with or
 * without the dash and spaces. Pure but for {@link #generate}.
 */
public record UserCode(String value) {
    static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    public static final int LENGTH = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    public UserCode {
        if (value == null || value.length() != LENGTH || !value.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
            throw new IllegalArgumentException("a user code is " + LENGTH + " characters of " + ALPHABET);
        }
    }

    static UserCode generate() {
        var sb = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return new UserCode(sb.toString());
    }

    /** A typed code, or empty when it cannot be one. */
    public static Optional<UserCode> parse(String typed) {
        if (typed == null || typed.length() > 32) return Optional.empty();
        var sb = new StringBuilder(LENGTH);
        for (char c : typed.toCharArray()) {
            if (c == '-' || Character.isWhitespace(c)) continue;
            char upper = Character.toUpperCase(c);
            if (ALPHABET.indexOf(upper) < 0) return Optional.empty();
            sb.append(upper);
        }
        return sb.length() == LENGTH ? Optional.of(new UserCode(sb.toString())) : Optional.empty();
    }

    /** How it is shown: ABCD-EFGH. */
    public String display() {
        return value.substring(0, 4) + "-" + value.substring(4);
    }

    @Override
    public String toString() {
        return display();
    }
}
