package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How a refused request becomes an exit code and one sentence with the problem's detail. */
class PlatformRefusalTest {
    static Stream<Arguments> refusals() {
        String problem = "{\"type\":\"about:blank\",\"title\":\"Not found\",\"status\":404,\"detail\":\"no app 'x' in team 't'\"}";
        return Stream.of(
                Arguments.of(404, problem, ExitCode.NOT_FOUND, "the platform refused GET /p (404): no app 'x' in team 't'"),
                Arguments.of(403, "{\"title\":\"Forbidden\",\"detail\":\"you are not a member of team 't'\"}", ExitCode.NOT_ALLOWED,
                        "the platform refused GET /p (403): you are not a member of team 't'"),
                Arguments.of(401, "{\"title\":\"Unauthorized\"}", ExitCode.NOT_ALLOWED,
                        "the platform refused GET /p (401): Unauthorized; sign in again with berth login URL"),
                Arguments.of(409, "{\"detail\":\"revision 3 does not define app 'x'\"}", ExitCode.FAILED,
                        "the platform refused GET /p (409): revision 3 does not define app 'x'"),
                Arguments.of(502, "<html>Bad gateway</html>", ExitCode.FAILED, "the platform refused GET /p (502): no reason given"),
                Arguments.of(302, "", ExitCode.FAILED, "GET /p was redirected (302)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refusals(int status, String body, ExitCode code, String sentence) {
        var failure = PlatformClient.refusal(status, body.getBytes(StandardCharsets.UTF_8), "GET /p");
        assertThat(failure.code()).isEqualTo(code);
        assertThat(failure.getMessage()).startsWith(sentence);
    }
}
