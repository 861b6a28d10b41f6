package io.kvmtune.core.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) reader and writer.
 *
 * <p>kvmtune reads QMP replies, plan files, declared topologies, the claims ledger and its own
 * apply records, and writes the JSON of CLI.md. A JSON library would be welcome everywhere but
 * on the libvirt hook path, where Jackson adds hundreds of milliseconds to every guest start; one
 * small codec keeps that path lean and everything else consistent.
 *
 * <p>Values map to Java as: object → {@code Map<String, Object>} (insertion order kept, duplicate
 * names rejected), array → {@code List<Object>}, string → {@code String}, integral number →
 * {@code Long}, other number → {@code Double}, {@code true}/{@code false} → {@code Boolean},
 * {@code null} → {@code null}. Parsed containers are unmodifiable. Use {@link JsonObject} for
 * typed access with errors that name the field.
 */
public final class Json {

    /** Deep enough for any document kvmtune reads; shallow enough that hostile input cannot overflow the stack. */
    static final int MAX_DEPTH = 256;

    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    /**
     * Parses one JSON value that must span the whole text (surrounding whitespace allowed).
     *
     * @throws JsonException naming the offset and what was expected
     */
    public static Object parse(String text) {
        Json parser = new Json(text);
        parser.skipWhitespace();
        Object value = parser.readValue(0);
        parser.skipWhitespace();
        if (parser.pos != text.length()) {
            throw parser.error("unexpected text after the JSON value");
        }
        return value;
    }

    /** Parses a document whose top level must be an object. */
    public static JsonObject parseObject(String text) {
        return JsonObject.of(parse(text), "$");
    }

    private Object readValue(int depth) {
        if (pos >= text.length()) {
            throw error("a value is missing");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> readObject(depth + 1);
            case '[' -> readArray(depth + 1);
            case '"' -> readString();
            case 't' -> readLiteral("true", Boolean.TRUE);
            case 'f' -> readLiteral("false", Boolean.FALSE);
            case 'n' -> readLiteral("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield readNumber();
                }
                throw error("unexpected character '" + printable(c) + "'");
            }
        };
    }

    private Map<String, Object> readObject(int depth) {
        checkDepth(depth);
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return Collections.unmodifiableMap(map);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("an object member name (a string) is expected");
            }
            int nameAt = pos;
            String name = readString();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object value = readValue(depth);
            if (map.containsKey(name)) {
                pos = nameAt;
                throw error("duplicate member name \"" + name + "\"");
            }
            map.put(name, value);
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                return Collections.unmodifiableMap(map);
            }
            if (c != ',') {
                pos--;
                throw error("',' or '}' is expected in an object");
            }
        }
    }

    private List<Object> readArray(int depth) {
        checkDepth(depth);
        pos++;
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return Collections.unmodifiableList(list);
        }
        while (true) {
            skipWhitespace();
            list.add(readValue(depth));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                return Collections.unmodifiableList(list);
            }
            if (c != ',') {
                pos--;
                throw error("',' or ']' is expected in an array");
            }
        }
    }

    private String readString() {
        pos++;
        StringBuilder out = null;
        int runStart = pos;
        while (true) {
            if (pos >= text.length()) {
                throw error("a string is not closed");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String s = out == null ? text.substring(runStart, pos) : out.append(text, runStart, pos).toString();
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw error("control character U+" + String.format("%04X", (int) c) + " in a string");
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (out == null) {
                out = new StringBuilder();
            }
            out.append(text, runStart, pos);
            pos++;
            if (pos >= text.length()) {
                throw error("a string is not closed");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(readHex4());
                default -> {
                    pos--;
                    throw error("invalid escape '\\" + printable(e) + "'");
                }
            }
            runStart = pos;
        }
    }

    private char readHex4() {
        if (pos + 4 > text.length()) {
            throw error("a \\u escape needs four hex digits");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos + i), 16);
            if (digit < 0 || text.charAt(pos + i) > 'f') {
                throw error("a \\u escape needs four hex digits");
            }
            value = value * 16 + digit;
        }
        pos += 4;
        return (char) value;
    }

    private Object readNumber() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                pos++;
            }
        } else {
            throw error("a digit is expected");
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) {
                throw error("a digit is expected after '.'");
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("a digit is expected in the exponent");
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        String number = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(number);
            } catch (NumberFormatException tooBig) {
                // falls through to a double, which is what RFC 8259 implementations commonly give
            }
        }
        double d = Double.parseDouble(number);
        if (Double.isInfinite(d)) {
            // Accepting it would hand callers a value that write() cannot represent.
            pos = start;
            throw error("number " + number + " is out of range");
        }
        return d;
    }

    private Object readLiteral(String literal, Object value) {
        if (!text.startsWith(literal, pos)) {
            throw error("unexpected character '" + printable(text.charAt(pos)) + "'");
        }
        pos += literal.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("'" + c + "' is expected");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private JsonException error(String what) {
        return new JsonException(what + " at offset " + pos, pos);
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : String.valueOf(c);
    }

    /** Writes {@code value} compactly, on one line. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder(128);
        writeValue(out, value, -1, 0);
        return out.toString();
    }

    /** Writes {@code value} indented by two spaces, for people. */
    public static String pretty(Object value) {
        StringBuilder out = new StringBuilder(256);
        writeValue(out, value, 2, 0);
        return out.toString();
    }

    /**
     * {@link #pretty} and a final newline, as the UTF-8 bytes of a file. {@code expectedBytes}
     * sizes the buffer: a document written again and again, such as an apply record, is then not
     * copied over and over as the buffer grows to its size.
     */
    public static byte[] prettyFile(Object value, int expectedBytes) {
        StringBuilder out = new StringBuilder(Math.max(expectedBytes, 256));
        writeValue(out, value, 2, 0);
        return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void writeValue(StringBuilder out, Object value, int indent, int level) {
        switch (value) {
            case null -> out.append("null");
            case String s -> writeString(out, s);
            case Boolean b -> out.append(b);
            case Long l -> out.append(l);
            case Integer i -> out.append(i);
            case Short s -> out.append(s);
            case Byte b -> out.append(b);
            case Double d -> out.append(finite(d));
            case Float f -> out.append((float) finite(f));
            case Number n -> out.append(n);
            case JsonWritable w -> writeValue(out, w.toJson(), indent, level);
            case Map<?, ?> map -> writeObject(out, map, indent, level);
            case Iterable<?> list -> writeArray(out, list, indent, level);
            case Enum<?> e -> writeString(out, e.name().toLowerCase(java.util.Locale.ROOT));
            default -> writeString(out, value.toString());
        }
    }

    /**
     * Java's shortest round-trip form ({@code 1.0}, {@code 1.0E20}) is valid JSON and always has a
     * fraction or exponent, so a double reads back as the same {@code Double}, never as a {@code Long}.
     */
    private static double finite(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("JSON has no representation for " + d);
        }
        return d;
    }

    private static void writeObject(StringBuilder out, Map<?, ?> map, int indent, int level) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            newline(out, indent, level + 1);
            writeString(out, String.valueOf(e.getKey()));
            out.append(indent >= 0 ? ": " : ":");
            writeValue(out, e.getValue(), indent, level + 1);
        }
        newline(out, indent, level);
        out.append('}');
    }

    private static void writeArray(StringBuilder out, Iterable<?> list, int indent, int level) {
        var it = list.iterator();
        if (!it.hasNext()) {
            out.append("[]");
            return;
        }
        // Arrays of plain numbers stay on one line even when pretty: cpu lists read better so.
        boolean flat = indent < 0 || allScalars(list);
        out.append('[');
        boolean first = true;
        for (Object item : list) {
            if (!first) {
                out.append(flat && indent >= 0 ? ", " : ",");
            }
            first = false;
            if (!flat) {
                newline(out, indent, level + 1);
            }
            writeValue(out, item, indent, level + 1);
        }
        if (!flat) {
            newline(out, indent, level);
        }
        out.append(']');
    }

    private static boolean allScalars(Iterable<?> list) {
        for (Object item : list) {
            if (!(item instanceof Number)) {
                return false;
            }
        }
        return true;
    }

    private static void newline(StringBuilder out, int indent, int level) {
        if (indent >= 0) {
            out.append('\n').repeat(' ', indent * level);
        }
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        int plain = plainPrefix(s);
        out.append(s, 0, plain);
        for (int i = plain; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // A lone surrogate cannot be encoded in UTF-8; escaped, it survives the trip.
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || isLoneSurrogate(s, i)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * How many leading characters need no escape, checked conservatively (any character from
     * U+2028 up, surrogates included, takes the careful way): nearly every string is all such, and
     * is copied at once.
     */
    private static int plainPrefix(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x2028) {
                return i;
            }
        }
        return s.length();
    }

    private static boolean isLoneSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
    }
}
