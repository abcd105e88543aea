package dev.chirp.cli;

import dev.chirp.core.Chirp;
import java.lang.reflect.Method;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * How {@code chirp tail} shows a chirp to a person: its time, the handle and the text, one
 * chirp per paragraph, with colours when they are wanted. Text from the server never reaches
 * the terminal as control characters, so a chirp cannot move the cursor or change colours.
 *
 * @param colours whether to use ANSI colours
 * @param zone the time zone the times are shown in
 */
record TerminalStyle(boolean colours, ZoneId zone) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String DIM = "\u001b[2m";
    private static final String HANDLE = "\u001b[1;36m";
    private static final String RESET = "\u001b[0m";

    /** When {@code --color} asks for colours. */
    enum When { AUTO, ALWAYS, NEVER }

    /**
     * Decides on colours: always or never when asked, otherwise only on a terminal, unless
     * {@code NO_COLOR} is set to anything non-empty or {@code TERM} is {@code dumb}.
     *
     * @param when the {@code --color} choice
     * @param environment the process environment
     * @param terminal whether standard output is a terminal
     */
    static boolean wantsColours(When when, Map<String, String> environment, boolean terminal) {
        return switch (when) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> terminal
                    && environment.getOrDefault("NO_COLOR", "").isEmpty()
                    && !"dumb".equals(environment.get("TERM"));
        };
    }

    /**
     * Tells whether standard output is a terminal. On Java 22 and later {@code System.console()}
     * exists even when output is redirected, and {@code Console.isTerminal()} tells; before, a
     * console exists only on a terminal.
     */
    static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = console.getClass().getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /**
     * Formats a chirp: {@code 2026-12-04 09:30:00 @handle text}, with later lines of the text
     * indented under the first.
     *
     * @param chirp the chirp
     * @return the lines, without a final line break
     */
    String format(Chirp chirp) {
        String time = TIME.format(chirp.at().atZone(zone));
        String handle = "@" + printable(chirp.handle());
        String text = printable(chirp.text()).replace("\n", "\n" + " ".repeat(time.length() + handle.length() + 2));
        if (!colours) {
            return time + " " + handle + " " + text;
        }
        return DIM + time + RESET + " " + HANDLE + handle + RESET + " " + text;
    }

    /** Replaces control characters other than a line break, and escape sequences with them. */
    static String printable(String text) {
        StringBuilder shown = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            boolean control = (cp < 0x20 && cp != '\n') || (cp >= 0x7f && cp <= 0x9f);
            shown.appendCodePoint(control ? 0xFFFD : cp);
        });
        return shown.toString();
    }
}
