package dev.berth.gitsync.definition;

import java.util.List;

/** What {@link DefinitionParser#parse} found: a definition, or every problem, never both. */
public sealed interface ParseResult {
    /** The whole file is valid; nothing was dropped or guessed. */
    record Valid(Definition definition) implements ParseResult {
    }

    /** At least one problem, sorted by position; nothing from the file may be recorded. */
    record Invalid(List<Problem> problems) implements ParseResult {
        public Invalid {
            problems = List.copyOf(problems);
        }
    }
}
