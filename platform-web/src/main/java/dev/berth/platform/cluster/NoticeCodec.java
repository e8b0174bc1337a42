package dev.berth.platform.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeSet;

/**
 * The text of a notice's payload, pure. One header line {@code berth-cluster 1 INSTANCE}, then a
 * line {@code g} when some host's generation moved and a line {@code t TOPIC} per topic. A batch
 * that does not fit one payload is split over several, each under {@link #MAX_PAYLOAD_BYTES}
 * (PostgreSQL refuses payloads of 8000 bytes and more).
 */
public final class NoticeCodec {
    /** UTF-8 bytes of one payload at most; PostgreSQL's limit is 7999, a margin kept. */
    public static final int MAX_PAYLOAD_BYTES = 7900;
    static final String HEADER = "berth-cluster 1 ";

    private NoticeCodec() {
    }

    /** Throws when {@code topic} could not travel: empty, with a line break, or too long for a payload. */
    public static void requireSendable(String topic) {
        if (topic == null || topic.isEmpty()) throw new IllegalArgumentException("a cluster topic must not be empty");
        if (topic.indexOf('\n') >= 0 || topic.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("cluster topic '" + topic.strip() + "' has a line break");
        }
        int bytes = topic.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_PAYLOAD_BYTES / 2) {
            throw new IllegalArgumentException("cluster topic of " + bytes + " bytes is over " + MAX_PAYLOAD_BYTES / 2 + ": "
                    + topic.substring(0, 40) + "...");
        }
    }

    /** The payloads that carry {@code batch} from {@code instance}; none for an empty batch. Topics in sorted order. */
    public static List<String> encode(ClusterInstance instance, ChangeBatch batch) {
        var payloads = new ArrayList<String>();
        if (batch.isEmpty()) return payloads;
        String header = HEADER + instance.id();
        var current = new StringBuilder(header);
        int bytes = utf8(header);
        if (batch.generationMoved()) {
            current.append("\ng");
            bytes += 2;
        }
        for (String topic : new TreeSet<>(batch.topics())) {
            requireSendable(topic);
            int line = 3 + utf8(topic);
            if (bytes + line > MAX_PAYLOAD_BYTES) {
                payloads.add(current.toString());
                current = new StringBuilder(header);
                bytes = utf8(header);
            }
            current.append("\nt ").append(topic);
            bytes += line;
        }
        payloads.add(current.toString());
        return payloads;
    }

    /** The notice in {@code payload}; a payload this version cannot read is refused with the line at fault. */
    public static ClusterNotice decode(String payload) {
        String[] lines = payload.split("\n", -1);
        if (!lines[0].startsWith(HEADER)) {
            throw new IllegalArgumentException("cluster notice line 1: expected '" + HEADER + "INSTANCE', got '" + clip(lines[0]) + "'");
        }
        ClusterInstance instance;
        try {
            instance = new ClusterInstance(lines[0].substring(HEADER.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cluster notice line 1: " + e.getMessage(), e);
        }
        boolean generation = false;
        var topics = new LinkedHashSet<String>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.equals("g")) generation = true;
            else if (line.startsWith("t ") && line.length() > 2) topics.add(line.substring(2));
            else throw new IllegalArgumentException("cluster notice line " + (i + 1) + ": expected 'g' or 't TOPIC', got '" + clip(line) + "'");
        }
        return new ClusterNotice(instance, new ChangeBatch(topics, generation));
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
