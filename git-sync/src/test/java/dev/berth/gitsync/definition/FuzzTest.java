package dev.berth.gitsync.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Malformed input of every kind must give a clean problem list: no exception, no hang, no
 * internal-error problem, and positions inside the file.
 */
class FuzzTest {
    /**
     * Catches a hang or a quadratic walk (hours on a megabyte), not a slow machine: a 1 MB scalar
     * parses in well under a second, yet took over 2 s on a CI host under heavy load.
     */
    private static final Duration BUDGET = Duration.ofSeconds(20);

    static ParseResult check(byte[] input) {
        ParseResult result = assertTimeoutPreemptively(BUDGET,
                () -> DefinitionParser.parse("berth.yaml", input, DefinitionLimits.DEFAULTS));
        assertThat(result).isNotNull();
        if (result instanceof ParseResult.Invalid invalid) {
            assertThat(invalid.problems()).isNotEmpty().allSatisfy(p -> {
                assertThat(p.line()).isPositive();
                assertThat(p.column()).isPositive();
                assertThat(p.message()).doesNotContain("internal error").hasSizeLessThan(1000);
            });
        }
        return result;
    }

    static ParseResult check(String input) {
        return check(input.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void randomMutationsOfAValidFile() {
        byte[] valid = DefinitionParserTest.example();
        int validCount = 0;
        for (int seed = 0; seed < 3000; seed++) {
            var random = new Random(seed);
            byte[] b = valid;
            for (int edits = 1 + random.nextInt(4); edits > 0; edits--) {
                b = mutate(b, random);
            }
            if (check(b) instanceof ParseResult.Valid) validCount++;
        }
        // Some edits land in comments or keep a value legal; most must not.
        assertThat(validCount).isLessThan(3000);
    }

    private static byte[] mutate(byte[] b, Random random) {
        int at = b.length == 0 ? 0 : random.nextInt(b.length);
        return switch (random.nextInt(4)) {
            case 0 -> { // flip bits
                byte[] c = b.clone();
                if (c.length > 0) c[at] ^= (byte) (1 << random.nextInt(8));
                yield c;
            }
            case 1 -> { // insert a random or a YAML-significant byte
                byte[] special = ":-[]{}&*!|>'\"#%@`,?\t\n ".getBytes(StandardCharsets.US_ASCII);
                byte insert = random.nextBoolean() ? (byte) random.nextInt(256) : special[random.nextInt(special.length)];
                byte[] c = new byte[b.length + 1];
                System.arraycopy(b, 0, c, 0, at);
                c[at] = insert;
                System.arraycopy(b, at, c, at + 1, b.length - at);
                yield c;
            }
            case 2 -> { // delete a run
                int n = Math.min(b.length - at, 1 + random.nextInt(8));
                byte[] c = new byte[b.length - n];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + n, c, at, b.length - at - n);
                yield c;
            }
            default -> { // duplicate a run, which tends to make duplicate keys and odd indentation
                int n = Math.min(b.length - at, 1 + random.nextInt(40));
                byte[] c = new byte[b.length + n];
                System.arraycopy(b, 0, c, 0, at + n);
                System.arraycopy(b, at, c, at + n, b.length - at);
                yield c;
            }
        };
    }

    @Test
    void randomBytes() {
        for (int seed = 0; seed < 500; seed++) {
            var random = new Random(seed);
            byte[] b = new byte[random.nextInt(2000)];
            random.nextBytes(b);
            assertThat(check(b)).isInstanceOf(ParseResult.Invalid.class);
        }
    }

    @Test
    void deepNesting() {
        for (String open : new String[] {"[", "{a: ", "- "}) {
            var result = check("apiVersion: berth/v1\napps: " + open.repeat(10_000));
            assertThat(result).isInstanceOf(ParseResult.Invalid.class);
        }
        var result = check("apiVersion: berth/v1\napps: " + "[".repeat(10_000) + "]".repeat(10_000));
        assertThat(((ParseResult.Invalid) result).problems().getFirst().message())
                .isEqualTo("the file nests lists and mappings deeper than 50 levels");
    }

    @Test
    void hugeScalarIsRefusedBySize() {
        byte[] b = ("apiVersion: berth/v1\napps: {a: {image: " + "x".repeat(5 << 20) + "}}").getBytes(StandardCharsets.UTF_8);
        var result = check(b);
        assertThat(result.toString()).contains("berth.yaml:1:1: the file is " + b.length + " bytes; the limit is 1048576 bytes");
    }

    @Test
    void largeScalarUnderTheLimitIsChecked() {
        var result = check("apiVersion: berth/v1\napps: {a: {image: " + "x".repeat(1_000_000) + "}}");
        assertThat(((ParseResult.Invalid) result).problems()).extracting(Problem::message)
                .containsExactly("image is longer than 512 characters");
    }

    @Test
    void billionLaughsStopsAtTheFirstAnchor() {
        var yaml = new StringBuilder("apiVersion: berth/v1\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 30; i++) {
            String prev = "*a" + (i - 1);
            yaml.append("a").append(i).append(": &a").append(i).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, prev))).append("]\n");
        }
        yaml.append("apps: {x: {image: x, command: *a29}}\n");
        var result = check(yaml.toString());
        assertThat(((ParseResult.Invalid) result).problems()).extracting(Problem::message)
                .contains("anchors and aliases are not supported; write the value out in full");
    }

    @Test
    void invalidUtf8IsReportedWithItsPosition() {
        byte[][] bad = {
                {(byte) 0xC3, 0x28}, {(byte) 0xA0}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF0, (byte) 0x28, (byte) 0x8C, (byte) 0x28},
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xFF}};
        for (byte[] junk : bad) {
            byte[] head = "apiVersion: berth/v1\napps:\n  é: ".getBytes(StandardCharsets.UTF_8);
            byte[] b = Arrays.copyOf(head, head.length + junk.length);
            System.arraycopy(junk, 0, b, head.length, junk.length);
            var result = check(b);
            assertThat(((ParseResult.Invalid) result).problems()).singleElement()
                    .satisfies(p -> assertThat(p.line()).isEqualTo(3))
                    .satisfies(p -> assertThat(p.column()).isEqualTo(6))
                    .satisfies(p -> assertThat(p.message()).startsWith("the file is not valid UTF-8"));
        }
    }

    @Test
    void manyProblemsAreCapped() {
        var yaml = new StringBuilder("apiVersion: berth/v1\napps:\n");
        for (int i = 0; i < 300; i++) yaml.append("  A").append(i).append(": {image: X}\n");
        var problems = ((ParseResult.Invalid) check(yaml.toString())).problems();
        assertThat(problems).hasSize(Problems.MAX + 1);
        assertThat(problems.getLast().message()).endsWith("more problems; fix these first");
    }

    @Test
    void oddButHarmlessInputs() {
        for (String s : new String[] {"", " ", "\n\n", "---", "...", "~", "null", "[]", "{}", "!!binary aGk=", "%YAML 1.1\n---\n{}",
                "apiVersion: berth/v1\napps: {}\n---\n", "\t", "\"\\ud800\"", "? [a, b]\n: c", "<<: {a: b}", "a: !!set {x}",
                "apiVersion: berth/v1\napps: {a: {image: a, env: {A: \"\\0\"}}}"}) {
            check(s);
        }
    }
}
