package dev.berth.gitsync.definition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects problems for one file; capped so that a garbage file cannot make a huge report. */
final class Problems {
    static final int MAX = 200;

    private final String file;
    private final List<Problem> list = new ArrayList<>();
    private int dropped;

    Problems(String file) {
        this.file = file;
    }

    void add(YamlNode.Pos pos, String message) {
        add(pos.line(), pos.column(), message);
    }

    void add(int line, int column, String message) {
        if (list.size() < MAX) {
            list.add(new Problem(file, line, column, message));
        } else {
            dropped++;
        }
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    /** Sorted by position; the stable sort keeps the order of problems at the same place. */
    List<Problem> sorted() {
        var out = new ArrayList<>(list);
        out.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
        if (dropped > 0) {
            var last = out.getLast();
            out.add(new Problem(file, last.line(), last.column(),
                    "and " + dropped + " more problems; fix these first"));
        }
        return out;
    }
}
