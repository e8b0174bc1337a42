package dev.berth.platform.operations;

import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Basic authentication turns any failure to look a user up into "wrong credentials"; while the
 * database is away that would tell callers their password is wrong. This entry point lets such a
 * failure through instead, for {@link OutageFilter} to answer with a 503.
 */
public final class OutageEntryPoint {
    private OutageEntryPoint() {
    }

    /** {@code challenge}, except for failures caused by the database being unreachable, which are rethrown. */
    public static AuthenticationEntryPoint around(AuthenticationEntryPoint challenge) {
        return (request, response, failure) -> {
            if (DatabaseOutage.in(failure)) throw failure;
            challenge.commence(request, response, failure);
        };
    }
}
