package dev.berth.platform.repositories;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random secrets for webhooks: 32 bytes as hex, easy to paste into a forge's settings. */
final class WebhookSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSecrets() {
    }

    static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
