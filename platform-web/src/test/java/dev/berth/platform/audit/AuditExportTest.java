package dev.berth.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuditExportTest {
    static Stream<Arguments> cells() {
        return Stream.of(
                Arguments.of("plain", "plain"),
                Arguments.of("a,b", "\"a,b\""),
                Arguments.of("say \"hi\"", "\"say \"\"hi\"\"\""),
                Arguments.of("line\nbreak", "\"line\nbreak\""),
                Arguments.of("=SUM(A1)", "'=SUM(A1)"),
                Arguments.of("+1", "'+1"),
                Arguments.of("@cmd", "'@cmd"),
                Arguments.of("-x", "'-x"));
    }

    @ParameterizedTest
    @MethodSource("cells")
    void csvCellsAreQuotedAndDefused(String in, String out) {
        assertThat(AuditExport.csvCell(in)).isEqualTo(out);
    }

    @Test
    void numbersStayNumbers() {
        assertThat(AuditExport.csvCell(-5L)).isEqualTo("-5");
    }

    @Test
    void jsonLinesCarryTheDetailsAsAnObjectAndTheHashes() {
        var e = AuditEvent.of(AuditEvent.Actor.user("alice"), "team.create", "team:x").team("x").detail("k", "v")
                .at(Instant.parse("2026-01-01T00:00:00Z"));
        var row = AuditChain.link(0, ChainHash.GENESIS, List.of(e)).getFirst();
        String line = AuditExport.line(AuditExport.Format.JSON_LINES, row);
        assertThat(line).endsWith("\n").contains("\"details\":{\"k\":\"v\"}").contains("\"hash\":\"" + row.hash().hex() + "\"");
        assertThat(AuditExport.line(AuditExport.Format.CSV, row)).startsWith("1,2026-01-01T00:00:00Z,USER,alice,team.create,");
        assertThat(AuditExport.header(AuditExport.Format.CSV)).startsWith("seq,time,actorType,actor,action");
    }
}
