package dev.berth.platform.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a firewall refusal is said to be, from the method and raw path alone, never repeating them. */
class RefusedRequestTest {

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            GET    | /api/v1//teams                  | an empty segment ('//')
            GET    | /a//b                           | an empty segment ('//')
            POST   | /api/v1/teams;x=1               | a ';' (a path parameter)
            GET    | /api/v1/teams%3Bx               | a ';' (a path parameter)
            GET    | /api/v1/%2e%2e/teams            | an encoded '.' (%2E)
            GET    | /api/v1/%2E/teams               | an encoded '.' (%2E)
            GET    | /api/v1/a%2Fb                   | an encoded '/' (%2F)
            GET    | /api/v1/a%5cb                   | a backslash
            GET    | /api/v1/a\\b                    | a backslash
            GET    | /api/v1/%2500                   | an encoded '%' (%25)
            GET    | /api/v1/a%00b                   | an encoded control character
            GET    | /api/v1/a%0Ab                   | an encoded control character
            GET    | /api/v1/../teams                | a '.' or '..' segment
            GET    | /api/v1/./teams                 | a '.' or '..' segment
            GET    | /api/v1/té                      | a control, space or non-ASCII character
            GET    | /api/v1/teams                   | a header, parameter or host name
            GET    | /api/v1/..teams                 | a header, parameter or host name
            PURGE  | /api/v1/teams                   | its method is not one the platform accepts
            get    | /api/v1/teams                   | its method is not one the platform accepts
            """)
    void saysWhatWasRefused(String method, String path, String said) {
        String detail = RefusedRequest.detail(method, path);
        assertThat(detail).startsWith("the request was refused").contains(said).doesNotContain(path);
    }

    @org.junit.jupiter.api.Test
    void aPathFaultSaysHowToSpellThePath() {
        assertThat(RefusedRequest.detail("GET", "/api/v1//evil")).endsWith(RefusedRequest.CANONICAL).doesNotContain("evil");
        assertThat(RefusedRequest.detail(null, null)).contains("its method is not one the platform accepts");
        assertThat(RefusedRequest.detail("GET", null)).contains("a header, parameter or host name");
    }
}
