package dev.berth.platform.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.Component;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.Role;
import dev.berth.platform.apps.ui.AppsView;
import dev.berth.platform.audit.ui.AuditView;
import dev.berth.platform.domains.ui.DomainsView;
import dev.berth.platform.hosts.ui.HostsView;
import dev.berth.platform.notifications.ui.NotificationsView;
import dev.berth.platform.teams.ui.TeamsView;
import dev.berth.platform.users.ui.UsersView;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which menu entries the frame shows to whom: the same as when it listed the views itself. */
class MenuAudienceTest {
    private static final Caller PLATFORM_ADMIN = new Caller(1, "root", true, Map.of(), Optional.empty());
    private static final Caller TEAM_ADMIN = new Caller(2, "lead", false, Map.of("a", Role.ADMIN), Optional.empty());
    private static final Caller DEPLOYER = new Caller(3, "dev", false, Map.of("a", Role.DEPLOYER), Optional.empty());
    private static final Caller NEWCOMER = new Caller(4, "new", false, Map.of(), Optional.empty());

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(NEWCOMER, AppsView.class, true),
                Arguments.of(NEWCOMER, TeamsView.class, true),
                Arguments.of(NEWCOMER, AuditView.class, false),
                Arguments.of(DEPLOYER, AuditView.class, false),
                Arguments.of(TEAM_ADMIN, AuditView.class, true),
                Arguments.of(PLATFORM_ADMIN, AuditView.class, true),
                Arguments.of(TEAM_ADMIN, HostsView.class, false),
                Arguments.of(PLATFORM_ADMIN, HostsView.class, true),
                Arguments.of(TEAM_ADMIN, UsersView.class, false),
                Arguments.of(PLATFORM_ADMIN, UsersView.class, true),
                Arguments.of(NEWCOMER, DomainsView.class, false),
                Arguments.of(DEPLOYER, DomainsView.class, true),
                Arguments.of(PLATFORM_ADMIN, DomainsView.class, true),
                Arguments.of(NEWCOMER, NotificationsView.class, false),
                Arguments.of(DEPLOYER, NotificationsView.class, false),
                Arguments.of(TEAM_ADMIN, NotificationsView.class, true),
                Arguments.of(PLATFORM_ADMIN, NotificationsView.class, true));
    }

    @ParameterizedTest(name = "{0} sees {1}: {2}")
    @MethodSource("table")
    void showsEachViewToItsAudience(Caller caller, Class<? extends Component> view, boolean shown) {
        assertThat(MainLayout.shownTo(caller, view)).isEqualTo(shown);
    }
}
