package dev.berth.platform.egress;

import dev.berth.registry.network.Cidr;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * What other features read of a team's allowed ranges, without access checks: the review of a
 * pushed berth.yaml and the app's network view. The list changes only through {@link EgressAllowService}.
 */
@Service
public class EgressAllowLookup {
    private final EgressAllowStore store;

    EgressAllowLookup(EgressAllowStore store) {
        this.store = store;
    }

    /** The team's allowed ranges; empty when an admin allowed none. */
    public List<Cidr> rangesOf(long teamId) {
        return store.ranges(teamId).stream().map(Cidr::parse).toList();
    }

    /** The same, as canonical text. */
    public List<String> textOf(long teamId) {
        return store.ranges(teamId);
    }
}
