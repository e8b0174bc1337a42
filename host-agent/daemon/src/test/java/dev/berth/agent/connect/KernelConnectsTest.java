package dev.berth.agent.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.ConnectTarget;
import dev.berth.agent.protocol.ContainerSpec;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the kernel's part of connects does when there is nothing for it: no table is made, every backend relayed. */
class KernelConnectsTest {
    private static final Connects.Key DB = new Connects.Key("acme.db", "pg");
    private static final ConnectTarget.Backend HERE = new ConnectTarget.Backend("h-1", "db-1", 5432, null);

    @Test
    void withoutAPathToOpenTheHostsTableIsNeverTouchedAndEveryBackendIsRelayed() {
        var opened = new AtomicInteger();
        var kernel = new KernelConnects(c -> OptionalLong.empty(), () -> {
            opened.incrementAndGet();
            throw new AssertionError("the host's table was opened");
        });
        var noInterface = new Connects.Consumer("api-1", "acme.api", 1, List.of(new ContainerSpec.Connect("acme.db", "pg", 15432)));

        kernel.sync(List.of(), Map.of(), "h-1");
        kernel.sync(List.of(noInterface), Map.of(DB, List.of(HERE)), "h-1");

        assertThat(opened).hasValue(0);
        assertThat(kernel.relayed("api-1", DB, List.of(HERE))).containsExactly(HERE);
        assertThat(kernel.forwards("api-1")).isEmpty();
        assertThat(kernel.active("db-1")).isZero();
    }
}
