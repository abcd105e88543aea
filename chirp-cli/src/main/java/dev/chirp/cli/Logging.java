package dev.chirp.cli;

import java.util.Locale;
import java.util.Map;

/**
 * Points every library's logging at SLF4J's simple backend, before any logger exists:
 * {@link System.Logger} through slf4j-jdk-platform-logging, and Undertow's and XNIO's JBoss
 * Logging through its SLF4J provider. A system property set on the command line wins over
 * what is chosen here.
 */
final class Logging {

    /** The loggers of Undertow, XNIO and JBoss Logging itself. */
    private static final String[] SERVER_LOGGERS = {"io.undertow", "org.xnio", "org.jboss"};

    private Logging() {
    }

    static void configure(String[] args) {
        String level = level(args, System.getenv()).toLowerCase(Locale.ROOT);
        setDefault("org.jboss.logging.provider", "slf4j");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", level);
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
        setDefault("org.slf4j.simpleLogger.levelInBrackets", "true");
        for (String logger : SERVER_LOGGERS) {
            setDefault("org.slf4j.simpleLogger.log." + logger, serverLevel(level));
        }
    }

    /**
     * Returns the level asked for by {@code --log-level}, else by {@code CHIRP_LOG_LEVEL},
     * else {@code info}. picocli checks the value later and rejects a bad one with usage help.
     */
    static String level(String[] args, Map<String, String> env) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--log-level=")) {
                return args[i].substring("--log-level=".length());
            } else if (args[i].equals("--log-level") && i + 1 < args.length) {
                return args[i + 1];
            }
        }
        String fromEnv = env.get("CHIRP_LOG_LEVEL");
        return fromEnv == null || fromEnv.isBlank() ? "info" : fromEnv.trim();
    }

    /**
     * Returns the level for Undertow's and XNIO's loggers: the chosen one, except that at
     * {@code info} they stay at {@code warn}, because at info they only announce their versions
     * and Chirp's own start line says what matters.
     */
    static String serverLevel(String level) {
        return level.equals("info") ? "warn" : level;
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
