package dev.berth.agent.bundle;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** Pure allocation of per-app host id ranges: the lowest free block of {@link IdRange#SIZE} ids. */
public final class IdRanges {
    /** Keeps the highest mapped host id inside 32 bits, with room to spare for the kernel's own. */
    public static final long LIMIT = 1L << 31;

    private IdRanges() {
    }

    public static Optional<IdRange> nextFree(Collection<IdRange> taken) {
        long candidate = IdRange.FIRST;
        for (IdRange r : taken.stream().sorted(Comparator.comparingLong(IdRange::hostStart)).toList()) {
            if (candidate + IdRange.SIZE <= r.hostStart()) break;
            candidate = Math.max(candidate, alignUp(r.hostEnd()));
        }
        return candidate + IdRange.SIZE <= LIMIT ? Optional.of(new IdRange(candidate, IdRange.SIZE)) : Optional.empty();
    }

    private static long alignUp(long id) {
        return (id + IdRange.SIZE - 1) / IdRange.SIZE * IdRange.SIZE;
    }
}
