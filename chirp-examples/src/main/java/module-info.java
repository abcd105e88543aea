/**
 * Two applications that embed Chirp, written as a user of the library would write them:
 * {@link dev.chirp.examples.StandaloneApp} starts Chirp in code with one transport, and
 * {@link dev.chirp.examples.MountedApp} mounts Chirp's handlers into an Undertow server it
 * already owns, beside a route of its own.
 *
 * <p>They reach Chirp only through its exported packages; requiring {@code dev.chirp.server}
 * brings Undertow and the core along. Reads no system properties.
 */
module dev.chirp.examples {
    exports dev.chirp.examples;

    requires dev.chirp.server;
}
