package dev.berth.agent.protocol;

import java.util.List;

/**
 * What an edge host serves: the part of its {@link Assignment} that only hosts whose agent runs
 * with {@code --edge} receive. The whole set, like the rest of an assignment: a route, certificate
 * or challenge missing from it is no longer served.
 *
 * @param routes every route of every app, each with the published addresses of its serving replicas
 * @param certificates the certificate for each routed host that has one, its key sealed to this host's agent key
 * @param challenges ACME HTTP-01 answers to serve under {@code /.well-known/acme-challenge/} while an order is open
 */
public record EdgeAssignment(List<EdgeRoute> routes, List<EdgeCertificate> certificates, List<AcmeChallenge> challenges) {
    public EdgeAssignment {
        routes = routes == null ? List.of() : List.copyOf(routes);
        certificates = certificates == null ? List.of() : List.copyOf(certificates);
        challenges = challenges == null ? List.of() : List.copyOf(challenges);
    }

    /** An edge with nothing to serve yet. */
    public static final EdgeAssignment EMPTY = new EdgeAssignment(List.of(), List.of(), List.of());
}
