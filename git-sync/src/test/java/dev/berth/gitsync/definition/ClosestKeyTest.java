package dev.berth.gitsync.definition;

import static dev.berth.gitsync.definition.DefinitionParserTest.parse;
import static dev.berth.gitsync.definition.DefinitionParserTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClosestKeyTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "replica, replicas",
            "imgae, image",
            "Replicas, replicas",
            "helth, health",
            "port, ports",
            "capabilites, capabilities",
            "volume, volumes",
            "enviroment, ''",
            "zzz, ''"})
    void anUnknownAppKeyNamesTheClosestKnownOne(String typo, String expected) {
        var result = parse(RulesTest.app(typo + ": 1"));

        String hint = expected.isEmpty()
                ? "expected one of: " + String.join(", ", AppReader.KEYS)
                : "did you mean '" + expected + "'?";
        assertThat(problems(result)).containsExactly("berth.yaml:5:5: unknown key '" + typo + "'; " + hint);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"memmory, memory", "cpus, cpu", "pid, pids"})
    void nestedKeysToo(String typo, String expected) {
        var result = parse(RulesTest.app("resources: {" + typo + ": 1}"));

        assertThat(problems(result)).containsExactly(
                "berth.yaml:5:17: unknown key '" + typo + "'; did you mean '" + expected + "'?");
    }
}
