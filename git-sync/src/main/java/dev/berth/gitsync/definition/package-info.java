/**
 * The {@code berth.yaml} v1 format: {@link dev.berth.gitsync.definition.DefinitionParser} turns
 * the bytes of a definition into either a {@link dev.berth.gitsync.definition.Definition} or the
 * complete list of {@link dev.berth.gitsync.definition.Problem}s, each with file:line:column.
 * Pure code: no I/O, no clock, no state between calls.
 */
package dev.berth.gitsync.definition;
