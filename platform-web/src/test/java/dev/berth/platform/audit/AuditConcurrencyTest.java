package dev.berth.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.PlatformTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class AuditConcurrencyTest extends PlatformTest {
    @Autowired
    AuditLog audit;
    @Autowired
    AuditStore store;
    @Autowired
    JdbcClient jdbc;

    @Test
    void concurrentAppendsFormOneChainWithoutForksOrGaps() throws Exception {
        int writers = 8;
        int each = 150;
        var tasks = new ArrayList<Callable<List<Long>>>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            tasks.add(() -> {
                var seqs = new ArrayList<Long>();
                for (int i = 0; i < each; i++) {
                    seqs.add(audit.record(AuditEvent.of(AuditEvent.Actor.system(), "test.concurrent", "w" + writer + "-" + i)));
                }
                return seqs;
            });
        }
        var all = new HashSet<Long>();
        try (var pool = Executors.newFixedThreadPool(writers)) {
            for (Future<List<Long>> f : pool.invokeAll(tasks)) all.addAll(f.get());
        }
        assertThat(all).hasSize(writers * each);

        var result = store.verify();
        assertThat(result.intact()).as(result.toString()).isTrue();
        long rows = jdbc.sql("SELECT count(*) FROM audit_events").query(Long.class).single();
        long max = jdbc.sql("SELECT max(seq) FROM audit_events").query(Long.class).single();
        long distinctPrev = jdbc.sql("SELECT count(DISTINCT prev_hash) FROM audit_events").query(Long.class).single();
        assertThat(max).as("no gaps").isEqualTo(rows);
        assertThat(distinctPrev).as("no two rows share a parent: no forks").isEqualTo(rows);
    }
    @Test
    void eventsRecordedTogetherAreAllCommittedInTheirOrderBesideOtherWriters() throws Exception {
        String run = "all-" + System.nanoTime() + "-";
        // More than one batch holds, while single writers queue theirs between them.
        var expected = new ArrayList<String>();
        var events = new ArrayList<AuditEvent.Builder>();
        for (int i = 0; i < 1_200; i++) {
            expected.add(run + i);
            events.add(AuditEvent.of(AuditEvent.Actor.system(), "test.together", run + i));
        }
        try (var pool = Executors.newFixedThreadPool(4)) {
            var singles = new ArrayList<Future<Long>>();
            for (int w = 0; w < 3; w++) {
                int writer = w;
                singles.add(pool.submit(() -> {
                    long last = 0;
                    for (int i = 0; i < 50; i++) {
                        last = audit.record(AuditEvent.of(AuditEvent.Actor.system(), "test.single", run + "single-" + writer + "-" + i));
                    }
                    return last;
                }));
            }
            audit.recordAll(events);
            // Returned only once every one is committed: all are there as soon as it returns.
            var targets = jdbc.sql("SELECT target FROM audit_events WHERE action = 'test.together' AND target LIKE ? ORDER BY seq")
                    .param(run + "%").query(String.class).list();
            assertThat(targets).containsExactlyElementsOf(expected);
            for (var f : singles) f.get();
        }
        var result = store.verify();
        assertThat(result.intact()).as(result.toString()).isTrue();
    }
}
