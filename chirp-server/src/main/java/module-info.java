/**
 * Chirp assembled: the page and the chosen transports on one Undertow listener, built with
 * {@link dev.chirp.server.ChirpServer#builder()}. The same handlers can be mounted into an
 * Undertow server the application already runs.
 *
 * <p>Reads no system properties; everything is set on the builder. Chirp logs through
 * {@link java.lang.System.Logger}; Undertow logs through JBoss Logging, which picks its
 * backend itself or follows the {@code org.jboss.logging.provider} system property.
 */
module dev.chirp.server {
    exports dev.chirp.server;

    requires transitive dev.chirp.core;
    requires transitive undertow.core;
    requires dev.chirp.transport.sse;
    requires dev.chirp.transport.ws;
    // The builder takes the application's MeterRegistry.
    requires transitive micrometer.core;
    requires micrometer.registry.prometheus;
    requires com.fasterxml.jackson.databind;
    requires gg.jte.runtime;
    requires xnio.api;
    // The open-file limit, which sets the default connection limit.
    requires java.management;
    requires jdk.management;
    // Only for the @Generated annotation on the precompiled templates; not needed at run time.
    requires static java.compiler;

    // The jte runtime loads the precompiled page template reflectively.
    opens dev.chirp.server.templates to gg.jte.runtime;
}
