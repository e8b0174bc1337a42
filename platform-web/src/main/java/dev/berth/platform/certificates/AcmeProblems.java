package dev.berth.platform.certificates;

/**
 * Turns an ACME problem document (RFC 8555 section 6.7) into a sentence a person can act on. Pure:
 * takes the problem's type and detail as the CA sent them.
 */
final class AcmeProblems {
    private static final String PREFIX = "urn:ietf:params:acme:error:";

    private AcmeProblems() {
    }

    /**
     * @param ca     the CA as people know it ("Let's Encrypt")
     * @param host   the host ordered
     * @param token  the HTTP-01 token when the problem is a challenge's, else null
     * @param type   the problem's type URI, or null
     * @param detail the problem's detail, or null
     */
    static String sentence(String ca, String host, String token, String type, String detail) {
        String kind = type != null && type.startsWith(PREFIX) ? type.substring(PREFIX.length()) : String.valueOf(type);
        String said = detail == null || detail.isBlank() ? kind : detail.strip();
        String url = "http://" + host + "/.well-known/acme-challenge/" + (token == null ? "…" : token);
        return switch (kind) {
            case "rateLimited" -> ca + " refused to issue for " + host + " for now because of its rate limits: " + said
                    + "; the platform tries again later";
            case "caa" -> ca + " may not issue for " + host + " because of the domain's CAA records: " + said
                    + "; add a CAA record that allows it or remove the restricting one";
            case "unauthorized", "connection", "incorrectResponse", "dns", "tls" -> ca + " could not fetch " + url + ": " + said
                    + "; check that " + host + " points to an edge host and port 80 is open";
            case "rejectedIdentifier" -> ca + " will not issue for " + host + ": " + said
                    + "; choose a public DNS name for the route";
            case "userActionRequired" -> ca + " needs the administrator to act before it issues again: " + said;
            case "accountDoesNotExist", "unauthorizedAccount" -> ca + " no longer knows the platform's account: " + said
                    + "; the platform registers again at the next attempt";
            default -> ca + " refused the order for " + host + ": " + said;
        };
    }
}
