package dev.chirp.cli;

/** Points every library's logging at SLF4J's simple backend, before any logger exists. */
final class Logging {

    private Logging() {
    }

    static void configure(String[] args) {
        String level = "info";
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--log-level=")) {
                level = args[i].substring("--log-level=".length());
            } else if (args[i].equals("--log-level") && i + 1 < args.length) {
                level = args[i + 1];
            }
        }
        setDefault("org.jboss.logging.provider", "slf4j");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", level.toLowerCase(java.util.Locale.ROOT));
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
        setDefault("org.slf4j.simpleLogger.levelInBrackets", "true");
        // Undertow and XNIO announce their versions at INFO; Chirp's own line says what matters.
        setDefault("org.slf4j.simpleLogger.log.org.xnio", "warn");
        setDefault("org.slf4j.simpleLogger.log.io.undertow", "warn");
        setDefault("org.slf4j.simpleLogger.log.org.jboss", "warn");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
