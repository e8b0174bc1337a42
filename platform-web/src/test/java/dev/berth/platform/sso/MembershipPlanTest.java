package dev.berth.platform.sso;

import static dev.berth.platform.access.Role.ADMIN;
import static dev.berth.platform.access.Role.DEPLOYER;
import static dev.berth.platform.access.Role.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.access.Role;
import dev.berth.platform.teams.HeldMembership;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MembershipPlanTest {
    private static GroupRule rule(String group, String team, Role role) {
        return new GroupRule(0, group, team, role, "admin", Instant.EPOCH);
    }

    private static HeldMembership byRule(Role role) {
        return new HeldMembership(role, true);
    }

    private static HeldMembership byHand(Role role) {
        return new HeldMembership(role, false);
    }

    static Stream<Arguments> cases() {
        var payments = rule("payments-devs", "payments", DEPLOYER);
        return Stream.of(
                Arguments.of("no rules, no memberships", List.of(), Set.of("payments-devs"), Map.of(), List.of()),
                Arguments.of("a matching group grants", List.of(payments), Set.of("payments-devs"), Map.of(),
                        List.of(new MembershipPlan.Grant("payments", DEPLOYER, Set.of("payments-devs")))),
                Arguments.of("a group the person is not in grants nothing", List.of(payments), Set.of("web-devs"), Map.of(), List.of()),
                Arguments.of("group names match exactly, case included", List.of(payments), Set.of("Payments-Devs"), Map.of(), List.of()),
                Arguments.of("already as the rules say: nothing", List.of(payments), Set.of("payments-devs"),
                        Map.of("payments", byRule(DEPLOYER)), List.of()),
                Arguments.of("a rule's role changed", List.of(payments), Set.of("payments-devs"),
                        Map.of("payments", byRule(VIEWER)),
                        List.of(new MembershipPlan.Regrade("payments", VIEWER, DEPLOYER, Set.of("payments-devs")))),
                Arguments.of("the group is gone: the rule's membership goes", List.of(payments), Set.of(),
                        Map.of("payments", byRule(DEPLOYER)), List.of(new MembershipPlan.Revoke("payments", DEPLOYER))),
                Arguments.of("the rule is gone: its membership goes", List.of(), Set.of("payments-devs"),
                        Map.of("payments", byRule(DEPLOYER)), List.of(new MembershipPlan.Revoke("payments", DEPLOYER))),
                Arguments.of("a membership granted by hand is never touched", List.of(payments), Set.of("payments-devs"),
                        Map.of("payments", byHand(VIEWER), "ops", byHand(ADMIN)), List.of()),
                Arguments.of("several rules for a team: the highest role", List.of(payments, rule("payments-leads", "payments", ADMIN),
                                rule("everyone", "payments", VIEWER)), Set.of("payments-devs", "payments-leads", "everyone"), Map.of(),
                        List.of(new MembershipPlan.Grant("payments", ADMIN, Set.of("everyone", "payments-devs", "payments-leads")))),
                Arguments.of("one group, several teams, in team order", List.of(rule("devs", "web", VIEWER), rule("devs", "api", DEPLOYER)),
                        Set.of("devs"), Map.of("old", byRule(VIEWER)),
                        List.of(new MembershipPlan.Grant("api", DEPLOYER, Set.of("devs")), new MembershipPlan.Revoke("old", VIEWER),
                                new MembershipPlan.Grant("web", VIEWER, Set.of("devs")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void planFor(String name, List<GroupRule> rules, Set<String> groups, Map<String, HeldMembership> held,
                 List<MembershipPlan.Change> expected) {
        assertThat(MembershipPlan.of(rules, groups, held)).containsExactlyElementsOf(expected);
    }
}
