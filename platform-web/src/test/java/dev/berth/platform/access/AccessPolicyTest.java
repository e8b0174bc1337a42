package dev.berth.platform.access;

import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.access.Permission;
import dev.berth.platform.access.Caller;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.access.Role;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AccessPolicyTest {
    private static Caller member(Role role) {
        return new Caller(1, "u", false, Map.of("a", role), Optional.empty());
    }

    private static Caller token(Caller user, String team, Role max) {
        return new Caller(user.userId(), user.username(), user.userIsPlatformAdmin(), user.memberships(),
                Optional.of(new Caller.TokenScope("id", Optional.ofNullable(team), Optional.ofNullable(max))));
    }

    private static final Caller ADMIN = new Caller(9, "root", true, Map.of(), Optional.empty());
    private static final Caller NOBODY = new Caller(2, "n", false, Map.of(), Optional.empty());

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("viewer sees team", member(Role.VIEWER), Permission.VIEW_TEAM, "a", "Allowed"),
                Arguments.of("viewer cannot manage", member(Role.VIEWER), Permission.MANAGE_MEMBERS, "a", "Denied"),
                Arguments.of("deployer cannot manage", member(Role.DEPLOYER), Permission.MANAGE_MEMBERS, "a", "Denied"),
                Arguments.of("admin manages", member(Role.ADMIN), Permission.MANAGE_MEMBERS, "a", "Allowed"),
                Arguments.of("member of a elsewhere", member(Role.ADMIN), Permission.VIEW_TEAM, "b", "Hidden"),
                Arguments.of("nobody", NOBODY, Permission.VIEW_TEAM, "a", "Hidden"),
                Arguments.of("nobody creates team", NOBODY, Permission.CREATE_TEAM, null, "Denied"),
                Arguments.of("platform admin anywhere", ADMIN, Permission.MANAGE_MEMBERS, "zzz", "Allowed"),
                Arguments.of("platform admin creates team", ADMIN, Permission.CREATE_TEAM, null, "Allowed"),
                Arguments.of("narrowed admin token cannot manage", token(member(Role.ADMIN), "a", Role.VIEWER),
                        Permission.MANAGE_MEMBERS, "a", "Denied"),
                Arguments.of("narrowed token still views", token(member(Role.ADMIN), "a", Role.VIEWER),
                        Permission.VIEW_TEAM, "a", "Allowed"),
                Arguments.of("token max role never raises", token(member(Role.VIEWER), "a", Role.ADMIN),
                        Permission.MANAGE_MEMBERS, "a", "Denied"),
                Arguments.of("team-scoped token is blind elsewhere", token(ADMIN, "a", Role.ADMIN),
                        Permission.VIEW_TEAM, "b", "Hidden"),
                Arguments.of("team-scoped platform token loses platform rights", token(ADMIN, "a", Role.ADMIN),
                        Permission.CREATE_TEAM, null, "Denied"),
                Arguments.of("unscoped platform token keeps them", token(ADMIN, null, null),
                        Permission.VERIFY_AUDIT, null, "Allowed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String name, Caller caller, Permission permission, String team, String expected) {
        assertThat(AccessPolicy.decide(caller, permission, team).getClass().getSimpleName()).isEqualTo(expected);
    }

    static Stream<Arguments> somewhere() {
        return Stream.of(
                Arguments.of("team admin reads team audit", member(Role.ADMIN), Permission.READ_TEAM_AUDIT, true),
                Arguments.of("deployer does not", member(Role.DEPLOYER), Permission.READ_TEAM_AUDIT, false),
                Arguments.of("viewer sees repositories", member(Role.VIEWER), Permission.VIEW_REPOSITORIES, true),
                Arguments.of("no team, no team rights", NOBODY, Permission.VIEW_REPOSITORIES, false),
                Arguments.of("team admin is no platform admin", member(Role.ADMIN), Permission.VIEW_HOSTS, false),
                Arguments.of("platform admin sees hosts", ADMIN, Permission.VIEW_HOSTS, true),
                Arguments.of("platform admin without teams reads team audit", ADMIN, Permission.READ_TEAM_AUDIT, true),
                Arguments.of("narrowed token keeps its ceiling", token(member(Role.ADMIN), "a", Role.VIEWER),
                        Permission.READ_TEAM_AUDIT, false),
                Arguments.of("team-scoped platform token is no platform admin", token(ADMIN, "a", Role.ADMIN),
                        Permission.MANAGE_USERS, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("somewhere")
    void allowsSomewhere(String name, Caller caller, Permission permission, boolean expected) {
        assertThat(AccessPolicy.allowedSomewhere(caller, permission)).isEqualTo(expected);
    }
}
