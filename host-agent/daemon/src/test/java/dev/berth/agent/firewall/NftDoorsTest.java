package dev.berth.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import dev.berth.agent.sys.NftablesLibrary;
import dev.berth.registry.network.Cidr;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two doors to nftables, libnftables in-process and the nft program, change and list the same
 * table alike: the firewall reads what one wrote through either, and refusals carry nft's message.
 */
class NftDoorsTest {
    private final TestTable table = new TestTable();
    private Nft library;
    private Nft program;

    @BeforeEach
    void doors() throws Exception {
        table.open(List.of(Cidr.parse("198.51.100.0/28"))); // the table exists; skips (or fails under BERTH_REQUIRE_RUNTIME) without root and nft
        var lib = NftablesLibrary.load();
        if (lib.isEmpty()) {
            String missing = "libnftables is missing: apt-get install nftables";
            if ("1".equals(System.getenv("BERTH_REQUIRE_RUNTIME"))) fail(missing + " (BERTH_REQUIRE_RUNTIME=1)");
            Assumptions.abort(missing);
        }
        library = new Nft(TestTable.NFT, Duration.ofSeconds(10), lib);
        program = new Nft(TestTable.NFT, Duration.ofSeconds(10), Optional.empty());
    }

    @AfterEach
    void cleanUp() throws Exception {
        table.cleanUp();
    }

    @Test
    void bothDoorsListWhatEitherWrote() throws Exception {
        assertThat(library.inProcess()).isTrue();
        assertThat(program.inProcess()).isFalse();
        library.apply("add set inet " + table.name() + " door_set { type ipv4_addr; }\n"
                + "add element inet " + table.name() + " door_set { 198.51.100.7 }\n");
        program.apply("add element inet " + table.name() + " door_set { 198.51.100.8 }\n");

        for (String[] args : List.of(new String[] {"list", "set", "inet", table.name(), "door_set"},
                new String[] {"-j", "list", "set", "inet", table.name(), "door_set"},
                new String[] {"-j", "-t", "list", "table", "inet", table.name()})) {
            var viaLibrary = library.run(args);
            var viaProgram = program.run(args);
            assertThat(viaLibrary.ok()).isTrue();
            assertThat(viaLibrary.stdout().strip()).as(String.join(" ", args)).isEqualTo(viaProgram.stdout().strip());
        }
        assertThat(library.run("list", "set", "inet", table.name(), "door_set").stdout()).contains("198.51.100.7", "198.51.100.8");
    }

    @Test
    void aRefusedRulesetChangesNothingAndSaysWhy() throws Exception {
        String script = "add set inet " + table.name() + " half { type ipv4_addr; }\n"
                + "add element inet " + table.name() + " half { 198.51.100.7 198.51.100.8 }\n"; // no comma: a syntax error, no name lookup
        assertThatThrownBy(() -> library.apply(script)).hasMessageContaining("nft refused the ruleset")
                .hasMessageContaining("syntax error");
        assertThat(program.run("list", "table", "inet", table.name()).stdout()).doesNotContain("half");
        assertThat(library.run("list", "set", "inet", table.name(), "no_such_set").ok()).isFalse();
        assertThat(library.run("list", "set", "inet", table.name(), "no_such_set").stderr())
                .isEqualTo(program.run("list", "set", "inet", table.name(), "no_such_set").stderr());
    }
}
