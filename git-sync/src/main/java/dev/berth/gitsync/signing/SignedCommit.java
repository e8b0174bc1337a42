package dev.berth.gitsync.signing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A raw commit split the way git splits it for verification: the signed payload is the commit
 * without any {@code gpgsig*} header (and its continuation lines), the signature is the value of
 * {@code gpgsig} (or {@code gpgsig-sha256} when that is the only one) with the one-space
 * continuation prefix removed.
 */
record SignedCommit(byte[] payload, Optional<String> signature) {
    private static final String SHA1_HEADER = "gpgsig";
    private static final String SHA256_HEADER = "gpgsig-sha256";

    static SignedCommit parse(byte[] raw) {
        var payload = new ByteArrayOutputStream(raw.length);
        var sha1 = new StringBuilder();
        var sha256 = new StringBuilder();
        StringBuilder current = null; // the signature whose continuation lines we are reading
        boolean skipping = false; // inside a gpgsig* header we do not verify against, e.g. a future one
        int pos = 0;
        while (pos < raw.length) {
            int end = indexOf(raw, (byte) '\n', pos);
            int next = end < 0 ? raw.length : end + 1;
            if (raw[pos] == '\n') {
                // the blank line ends the headers: the message is all payload
                payload.write(raw, pos, raw.length - pos);
                break;
            }
            boolean continuation = raw[pos] == ' ';
            if (continuation && (current != null || skipping)) {
                if (current != null) current.append(ascii(raw, pos + 1, next));
            } else if (startsWith(raw, pos, SHA1_HEADER + " ")) {
                current = sha1;
                skipping = false;
                current.append(ascii(raw, pos + SHA1_HEADER.length() + 1, next));
            } else if (startsWith(raw, pos, SHA256_HEADER + " ")) {
                current = sha256;
                skipping = false;
                current.append(ascii(raw, pos + SHA256_HEADER.length() + 1, next));
            } else if (startsWith(raw, pos, SHA1_HEADER)) {
                current = null;
                skipping = true;
            } else {
                current = null;
                skipping = false;
                payload.write(raw, pos, next - pos);
            }
            pos = next;
        }
        String signature = !sha1.isEmpty() ? sha1.toString() : sha256.toString();
        return new SignedCommit(payload.toByteArray(), signature.isEmpty() ? Optional.empty() : Optional.of(signature));
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) if (bytes[i] == b) return i;
        return -1;
    }

    private static boolean startsWith(byte[] bytes, int pos, String prefix) {
        if (bytes.length - pos < prefix.length()) return false;
        for (int i = 0; i < prefix.length(); i++) if (bytes[pos + i] != prefix.charAt(i)) return false;
        return true;
    }

    private static String ascii(byte[] bytes, int from, int to) {
        // armored signatures are ASCII; anything else makes the armor decoder complain, as it should
        return new String(bytes, from, Math.max(0, to - from), StandardCharsets.ISO_8859_1);
    }
}
