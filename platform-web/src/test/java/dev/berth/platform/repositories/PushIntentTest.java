package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.gitsync.CommitId;
import dev.berth.gitsync.Person;
import dev.berth.gitsync.hosted.PushedCommit;
import dev.berth.platform.audit.AuditEvent;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What recovery makes of an intent, from where its ref points now; and the push lock's keys. */
class PushIntentTest {
    private static final CommitId FROM = new CommitId("1".repeat(40));
    private static final CommitId TO = new CommitId("2".repeat(40));
    private static final CommitId ELSEWHERE = new CommitId("3".repeat(40));

    private static PushIntent intent(CommitId from, Long revision) {
        var person = new Person("Ada", "ada@example.com", Instant.EPOCH);
        return new PushIntent(1, 7, "refs/heads/main", from, TO, "main", "ada", AuditEvent.Actor.user("ada"),
                new PushedCommit(TO, person, person, "release"), null, revision);
    }

    static Stream<Arguments> fates() {
        return Stream.of(
                Arguments.of("ref at the new commit: the push happened", FROM, null, TO, PushIntent.Fate.MOVED),
                Arguments.of("ref still at the old commit: it did not", FROM, null, FROM, PushIntent.Fate.NOT_MOVED),
                Arguments.of("a created branch that does not exist: it did not", null, null, null, PushIntent.Fate.NOT_MOVED),
                Arguments.of("a created branch at the new commit", null, null, TO, PushIntent.Fate.MOVED),
                Arguments.of("ref moved elsewhere by hand: not this push", FROM, null, ELSEWHERE, PushIntent.Fate.NOT_MOVED),
                Arguments.of("recorded: only the audit event may be missing", FROM, 42L, TO, PushIntent.Fate.RECORDED),
                Arguments.of("recorded, whatever the ref says since", FROM, 42L, ELSEWHERE, PushIntent.Fate.RECORDED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fates")
    void theRefOnDiskDecides(String why, CommitId from, Long revision, CommitId refNow, PushIntent.Fate expected) {
        assertThat(intent(from, revision).fate(refNow)).isEqualTo(expected);
    }

    @Test
    void repositoryIdsBecomeLockKeysThatStayApartWithinAnInt() {
        assertThat(PushLocks.key(1)).isEqualTo(1);
        assertThat(PushLocks.key(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
        assertThat(PushLocks.key(1L << 32)).isEqualTo(1);
        assertThat(PushLocks.key(5)).isNotEqualTo(PushLocks.key(6));
    }
}
