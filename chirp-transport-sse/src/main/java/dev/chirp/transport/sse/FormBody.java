package dev.chirp.transport.sse;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads one field of an {@code application/x-www-form-urlencoded} body, strictly: bytes that
 * are not UTF-8 are an error, not silently replaced, so a person is told rather than shown a
 * garbled chirp. (Undertow's form parser and the JDK's URL decoder both replace them.)
 */
final class FormBody {

    private FormBody() {
    }

    /** Thrown for a body that is not well-formed. */
    static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }
    }

    /**
     * Returns the first value of a field.
     *
     * @throws MalformedException if a percent escape is broken or the bytes are not UTF-8
     */
    static Optional<String> field(byte[] body, String name) throws MalformedException {
        int start = 0;
        while (start <= body.length) {
            int end = indexOf(body, (byte) '&', start);
            int nameEnd = indexOf(body, (byte) '=', start, end);
            if (isName(body, start, nameEnd, name)) {
                return Optional.of(nameEnd == end ? "" : decode(body, nameEnd + 1, end));
            }
            start = end + 1;
        }
        return Optional.empty();
    }

    /** A field whose name cannot be decoded is not the one asked for; its value is not read. */
    private static boolean isName(byte[] body, int from, int to, String name) {
        try {
            return decode(body, from, to).equals(name);
        } catch (MalformedException e) {
            return false;
        }
    }

    private static int indexOf(byte[] body, byte wanted, int from) {
        return indexOf(body, wanted, from, body.length);
    }

    /** The first {@code wanted} in {@code [from, to)}, or {@code to}: each byte is looked at once. */
    private static int indexOf(byte[] body, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (body[i] == wanted) {
                return i;
            }
        }
        return to;
    }

    private static String decode(byte[] body, int from, int to) throws MalformedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            byte b = body[i];
            if (b == '+') {
                bytes.write(' ');
            } else if (b == '%') {
                if (i + 2 >= to) {
                    throw new MalformedException("the form has a broken percent escape");
                }
                int high = Character.digit(body[i + 1], 16);
                int low = Character.digit(body[i + 2], 16);
                if (high < 0 || low < 0) {
                    throw new MalformedException("the form has a broken percent escape");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else {
                bytes.write(b);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedException("the chirp is not valid UTF-8 text");
        }
    }
}
