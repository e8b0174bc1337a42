package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandLineTest {
    static Stream<Arguments> parsed() {
        var text = new CommandLine.Options(null, CommandLine.Output.TEXT, null);
        return Stream.of(
                Arguments.of("", new CommandLine.Invocation(text, new Command.Help())),
                Arguments.of("help", new CommandLine.Invocation(text, new Command.Help())),
                Arguments.of("apps --help", new CommandLine.Invocation(text, new Command.Help())),
                Arguments.of("apps", new CommandLine.Invocation(text, new Command.Apps())),
                Arguments.of("--team payments apps -o json", new CommandLine.Invocation(
                        new CommandLine.Options("payments", CommandLine.Output.JSON, null), new Command.Apps())),
                Arguments.of("apps --team=payments --output=text --platform https://berth.example.com/", new CommandLine.Invocation(
                        new CommandLine.Options("payments", CommandLine.Output.TEXT, "https://berth.example.com"),
                        new Command.Apps())),
                Arguments.of("login http://localhost:8080/ --token-stdin",
                        new CommandLine.Invocation(text, new Command.Login("http://localhost:8080", Command.How.TOKEN_STDIN))),
                Arguments.of("login http://localhost:8080",
                        new CommandLine.Invocation(text, new Command.Login("http://localhost:8080", Command.How.BROWSER))),
                Arguments.of("login --no-browser https://berth.example.com",
                        new CommandLine.Invocation(text, new Command.Login("https://berth.example.com", Command.How.BROWSER_PRINT_ONLY))),
                Arguments.of("logout", new CommandLine.Invocation(text, new Command.Logout())),
                Arguments.of("status web", new CommandLine.Invocation(text, new Command.Status("web"))),
                Arguments.of("logs web", new CommandLine.Invocation(text, new Command.Logs("web", null, false, 100))),
                Arguments.of("logs -f web --replica web-1 --lines 5",
                        new CommandLine.Invocation(text, new Command.Logs("web", "web-1", true, 5))),
                Arguments.of("deploys web", new CommandLine.Invocation(text, new Command.Deploys("web", 20))),
                Arguments.of("deploys web --limit 3", new CommandLine.Invocation(text, new Command.Deploys("web", 3))),
                Arguments.of("rollback web 12 --reason broken", new CommandLine.Invocation(text,
                        new Command.Rollback("web", 12, "broken"))),
                Arguments.of("rollback web r12 --reason=broken", new CommandLine.Invocation(text,
                        new Command.Rollback("web", 12, "broken"))),
                Arguments.of("secrets set web DB_PASSWORD", new CommandLine.Invocation(text,
                        new Command.SecretSet("web", "DB_PASSWORD"))),
                Arguments.of("open web", new CommandLine.Invocation(text, new Command.Open("web"))),
                Arguments.of("-- status --odd-app-name", new CommandLine.Invocation(text, new Command.Status("--odd-app-name"))));
    }

    @ParameterizedTest(name = "berth {0}")
    @MethodSource
    void parsed(String line, CommandLine.Invocation expected) {
        assertThat(CommandLine.parse(words(line))).isEqualTo(expected);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("frobnicate", "unknown command 'frobnicate'"),
                Arguments.of("status", "berth status takes APP"),
                Arguments.of("status web extra", "unexpected 'extra'"),
                Arguments.of("apps --follow", "berth apps does not take --follow"),
                Arguments.of("apps --team", "--team needs a value"),
                Arguments.of("apps --output yaml", "--output is text or json, not 'yaml'"),
                Arguments.of("apps --team a --team b", "--team is given twice"),
                Arguments.of("apps --platform ftp://x", "must be an http:// or https:// URL"),
                Arguments.of("login http://localhost:8080 --token-stdin --no-browser", "--token-stdin or --no-browser, not both"),
                Arguments.of("login localhost --token-stdin", "must be an http:// or https:// URL"),
                Arguments.of("login http://localhost:8080 --token-stdin=yes", "--token-stdin takes no value"),
                Arguments.of("rollback web 12", "needs --reason TEXT"),
                Arguments.of("rollback web twelve --reason x", "REVISION must be a revision number"),
                Arguments.of("rollback web 0 --reason x", "REVISION must be a revision number"),
                Arguments.of("deploys web --limit 0", "--limit must be a whole number above 0"),
                Arguments.of("secrets set web DB_PASSWORD hunter2", "takes the value on stdin, never as an argument"),
                Arguments.of("secrets get web DB_PASSWORD", "usage: berth secrets set APP NAME"),
                Arguments.of("secrets set web", "berth secrets set takes APP NAME"));
    }

    @ParameterizedTest(name = "berth {0}")
    @MethodSource
    void refused(String line, String sentence) {
        assertThatThrownBy(() -> CommandLine.parse(words(line)))
                .isInstanceOfSatisfying(CliFailure.class, f -> assertThat(f.code()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining(sentence);
    }

    private static List<String> words(String line) {
        return line.isBlank() ? List.of() : List.of(line.split(" "));
    }
}
