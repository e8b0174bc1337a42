package dev.berth.agent.image;

import java.util.ArrayList;
import java.util.List;

/** Collects a layer's counts and findings; lists are capped so a hostile layer cannot flood memory or logs. */
final class ReportBuilder {
    static final int MAX_FINDINGS = 1000;

    private final List<String> skipped = new ArrayList<>();
    private final List<String> neutralised = new ArrayList<>();
    private long moreSkipped;
    private long moreNeutralised;
    long entries;
    long bytes;

    void skipped(String path, String why) {
        if (skipped.size() < MAX_FINDINGS) skipped.add(path + ": " + why);
        else moreSkipped++;
    }

    void neutralised(String path, String what) {
        if (neutralised.size() < MAX_FINDINGS) neutralised.add(path + ": " + what);
        else moreNeutralised++;
    }

    UnpackReport build() {
        var s = new ArrayList<>(skipped);
        if (moreSkipped > 0) s.add("… and " + moreSkipped + " more skipped");
        var n = new ArrayList<>(neutralised);
        if (moreNeutralised > 0) n.add("… and " + moreNeutralised + " more neutralised");
        return new UnpackReport(entries, bytes, s, n);
    }
}
