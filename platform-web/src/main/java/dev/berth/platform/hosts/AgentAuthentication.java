package dev.berth.platform.hosts;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A request authenticated by a host agent's credential. It carries no user and no user authority. */
public final class AgentAuthentication extends AbstractAuthenticationToken {
    public static final String ROLE = "AGENT";
    private final String hostId;

    public AgentAuthentication(String hostId) {
        super(List.of(new SimpleGrantedAuthority("ROLE_" + ROLE)));
        this.hostId = hostId;
        setAuthenticated(true);
    }

    public String hostId() {
        return hostId;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return hostId;
    }

    @Override
    public String getName() {
        return hostId;
    }
}
