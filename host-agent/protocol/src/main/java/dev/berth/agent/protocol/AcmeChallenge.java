package dev.berth.agent.protocol;

/**
 * An ACME HTTP-01 challenge an edge answers while the platform's order for {@code host} is open:
 * {@code GET http://host/.well-known/acme-challenge/TOKEN} returns {@code keyAuthorization}.
 * Neither is secret: the CA reads both over plain HTTP.
 */
public record AcmeChallenge(String host, String token, String keyAuthorization) {
}
