package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void columnsArePaddedToTheirWidestCellAndTheLastIsNot() {
        var table = Table.of("NAME", "REVISION", "NOTE").row("web", "r12", "fine").row("payments-api", "r3", null);
        assertThat(table.render()).isEqualTo("""
                NAME          REVISION  NOTE
                web           r12       fine
                payments-api  r3        -
                """);
    }

    @Test
    void oneRowStaysOneLine() {
        var table = Table.of("A", "B").row("x", "line one\nline two\tand a tab");
        assertThat(table.render()).isEqualTo("A  B\nx  line one line two and a tab\n");
    }

    @Test
    void aRowOfTheWrongWidthIsRefused() {
        assertThatThrownBy(() -> Table.of("A", "B").row("only one")).isInstanceOf(IllegalArgumentException.class);
    }
}
