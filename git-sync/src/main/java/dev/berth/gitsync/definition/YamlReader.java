package dev.berth.gitsync.definition;

import dev.berth.gitsync.definition.YamlNode.Entry;
import dev.berth.gitsync.definition.YamlNode.Kind;
import dev.berth.gitsync.definition.YamlNode.Mapping;
import dev.berth.gitsync.definition.YamlNode.Pos;
import dev.berth.gitsync.definition.YamlNode.Refused;
import dev.berth.gitsync.definition.YamlNode.Scalar;
import dev.berth.gitsync.definition.YamlNode.Sequence;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Bytes to {@link YamlNode} tree. Uses only SnakeYAML's event parser, which is iterative and
 * never expands aliases, and builds the tree itself: that is where anchors, aliases, tags,
 * duplicate keys, complex keys, extra documents and deep nesting are refused with a position.
 */
final class YamlReader {
    static final int MAX_DEPTH = 50;
    private static final int MAX_QUOTED = 60;
    // Read-only after construction, so one instance serves all threads.
    private static final Resolver RESOLVER = new Resolver();

    private final Problems problems;
    private final Deque<Open> stack = new ArrayDeque<>();
    private YamlNode root;

    private YamlReader(Problems problems) {
        this.problems = problems;
    }

    /** The root node, or null when no tree could be built (the problems say why). */
    static YamlNode read(byte[] content, long maxBytes, Problems problems) {
        if (content.length > maxBytes) {
            problems.add(1, 1, "the file is " + content.length + " bytes; the limit is " + maxBytes + " bytes");
            return null;
        }
        String text = decode(content, problems);
        if (text == null) return null;
        if (text.startsWith("\uFEFF")) text = text.substring(1); // editors do not count a BOM as a column
        return new YamlReader(problems).parse(text);
    }

    private static String decode(byte[] content, Problems problems) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content);
        CharBuffer out = CharBuffer.allocate(content.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) result = decoder.flush(out);
        if (result.isError()) {
            int offset = in.position();
            Pos pos = bytePosition(content, offset);
            problems.add(pos, String.format("the file is not valid UTF-8 (byte 0x%02X at offset %d)",
                    content[Math.min(offset, content.length - 1)] & 0xFF, offset));
            return null;
        }
        return out.flip().toString();
    }

    /** Line and column (in characters) of a byte offset; the bytes before it are valid UTF-8. */
    private static Pos bytePosition(byte[] content, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (content[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        String prefix;
        try {
            prefix = StandardCharsets.UTF_8.newDecoder()
                    .decode(ByteBuffer.wrap(content, lineStart, offset - lineStart)).toString();
        } catch (CharacterCodingException e) {
            prefix = "";
        }
        return new Pos(line, prefix.codePointCount(0, prefix.length()) + 1);
    }

    private YamlNode parse(String text) {
        var options = new LoaderOptions();
        options.setCodePointLimit(Math.max(text.length() + 1, 1)); // the byte limit already applies
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(0);
        options.setNestingDepthLimit(MAX_DEPTH);
        try {
            var parser = new ParserImpl(new StreamReader(text), options);
            int documents = 0;
            while (true) {
                Event event = parser.getEvent();
                switch (event) {
                    case DocumentStartEvent d -> {
                        if (++documents > 1) {
                            problems.add(pos(d.getStartMark()),
                                    "only one YAML document is allowed; remove the second '---' and what follows");
                            return root;
                        }
                    }
                    case AliasEvent a -> {
                        anchorsRefused(a);
                        attach(new Refused(pos(a.getStartMark())));
                    }
                    case ScalarEvent s -> scalar(s);
                    case CollectionStartEvent c -> {
                        if (!open(c)) return null;
                    }
                    default -> {
                        if (event.is(Event.ID.SequenceEnd) || event.is(Event.ID.MappingEnd)) {
                            attach(stack.pop().build());
                        } else if (event.is(Event.ID.StreamEnd)) {
                            return root;
                        }
                    }
                }
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problems.add(mark == null ? new Pos(1, 1) : pos(mark), syntaxMessage(e));
        } catch (ReaderException e) {
            problems.add(codePointPosition(text, e.getPosition()), String.format(
                    "the file contains the control character U+%04X, which YAML does not allow", e.getCodePoint()));
        } catch (YAMLException e) {
            problems.add(1, 1, "the file cannot be read as YAML: " + clip(String.valueOf(e.getMessage())));
        }
        return null;
    }

    private void scalar(ScalarEvent s) {
        Pos pos = pos(s.getStartMark());
        if (s.getAnchor() != null) anchorsRefused(s);
        if (s.getTag() != null) {
            tagRefused(s.getTag(), pos);
            attach(new Refused(pos));
            return;
        }
        Kind kind = Kind.STRING;
        if (s.getImplicit().canOmitTagInPlainScalar()) {
            Tag tag = RESOLVER.resolve(NodeId.scalar, s.getValue(), true);
            if (tag.equals(Tag.INT)) kind = Kind.INT;
            else if (tag.equals(Tag.FLOAT)) kind = Kind.FLOAT;
            else if (tag.equals(Tag.BOOL)) kind = Kind.BOOL;
            else if (tag.equals(Tag.NULL)) kind = Kind.NULL;
        }
        attach(new Scalar(s.getValue(), kind, pos));
    }

    private boolean open(CollectionStartEvent c) {
        Pos pos = pos(c.getStartMark());
        if (stack.size() >= MAX_DEPTH) {
            problems.add(pos, "the file nests lists and mappings deeper than " + MAX_DEPTH + " levels");
            return false;
        }
        if (c.getAnchor() != null) anchorsRefused(c);
        boolean refused = c.getTag() != null;
        if (refused) tagRefused(c.getTag(), pos);
        stack.push(c instanceof MappingStartEvent ? new OpenMapping(pos, refused) : new OpenSequence(pos, refused));
        return true;
    }

    private void attach(YamlNode node) {
        if (stack.isEmpty()) {
            root = node;
            return;
        }
        switch (stack.peek()) {
            case OpenSequence s -> s.items.add(node);
            case OpenMapping m -> m.accept(node, problems);
        }
    }

    private void anchorsRefused(Event e) {
        problems.add(pos(e.getStartMark()), "anchors and aliases are not supported; write the value out in full");
    }

    private void tagRefused(String tag, Pos pos) {
        problems.add(pos, "YAML tags such as '" + clip(tag) + "' are not supported; remove the tag");
    }

    private static String syntaxMessage(MarkedYAMLException e) {
        String problem = String.valueOf(e.getProblem());
        if (problem.contains("\\t(TAB)") || problem.contains("'\t'")) {
            return "a tab cannot be used for indentation in YAML; indent with spaces";
        }
        String context = e.getContext() == null ? "" : " (" + clip(e.getContext()) + ")";
        return "this is not valid YAML: " + clip(problem) + context;
    }

    private static Pos codePointPosition(String text, int codePointIndex) {
        int line = 1;
        int column = 1;
        int seen = 0;
        for (int i = 0; i < text.length() && seen < codePointIndex; seen++) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new Pos(line, column);
    }

    private static Pos pos(Mark mark) {
        return new Pos(mark.getLine() + 1, mark.getColumn() + 1);
    }

    /** Shortens text quoted into a message, so a huge scalar cannot make a huge message. */
    static String clip(String s) {
        String oneLine = s.replace("\n", "\\n").replace("\r", "\\r");
        return oneLine.length() <= MAX_QUOTED ? oneLine : oneLine.substring(0, MAX_QUOTED) + "…";
    }

    private sealed interface Open permits OpenSequence, OpenMapping {
        YamlNode build();
    }

    private static final class OpenSequence implements Open {
        final Pos pos;
        final boolean refused;
        final List<YamlNode> items = new ArrayList<>();

        OpenSequence(Pos pos, boolean refused) {
            this.pos = pos;
            this.refused = refused;
        }

        @Override
        public YamlNode build() {
            return refused ? new Refused(pos) : new Sequence(List.copyOf(items), pos);
        }
    }

    private static final class OpenMapping implements Open {
        final Pos pos;
        final boolean refused;
        final List<Entry> entries = new ArrayList<>();
        final Map<String, Pos> seen = new HashMap<>();
        boolean expectingKey = true;
        Scalar key; // null while the current entry is dropped

        OpenMapping(Pos pos, boolean refused) {
            this.pos = pos;
            this.refused = refused;
        }

        void accept(YamlNode node, Problems problems) {
            if (!expectingKey) {
                if (key != null) entries.add(new Entry(key, node));
                expectingKey = true;
                return;
            }
            expectingKey = false;
            key = null;
            switch (node) {
                case Scalar s when s.kind() == Kind.NULL && s.text().isEmpty() ->
                        problems.add(s.pos(), "a key is missing before ':'");
                case Scalar s -> {
                    Pos first = seen.putIfAbsent(s.text(), s.pos());
                    if (first != null) {
                        problems.add(s.pos(), "duplicate key '" + clip(s.text()) + "' (first given at line "
                                + first.line() + ")");
                    } else {
                        key = s;
                    }
                }
                case Refused r -> {
                }
                default -> problems.add(node.pos(), "a key must be a plain name, not a list or a mapping");
            }
        }

        @Override
        public YamlNode build() {
            return refused ? new Refused(pos) : new Mapping(List.copyOf(entries), pos);
        }
    }
}
