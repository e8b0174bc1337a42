package dev.berth.agent.cli;

import java.util.regex.Pattern;

/** Sizes as people write them: {@code 64Mi}, {@code 1Gi}, {@code 512Ki} or plain bytes. Pure. */
public final class ByteSize {
    private static final Pattern FORMAT = Pattern.compile("([0-9]{1,12})(Ki|Mi|Gi)?");

    private ByteSize() {
    }

    public static long parse(String text, String what) {
        var m = text == null ? null : FORMAT.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new UsageException("bad size '" + text + "' for " + what + ": use a whole number with Ki, Mi or Gi, like 64Mi");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2);
        long factor = unit == null ? 1 : switch (unit) {
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            default -> 1L << 30;
        };
        if (n > Long.MAX_VALUE / factor) throw new UsageException("size '" + text + "' for " + what + " is too large");
        return n * factor;
    }
}
