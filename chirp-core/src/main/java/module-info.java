/**
 * The feed itself, with no web server in sight: the {@link dev.chirp.core.Chirp} value, the
 * {@link dev.chirp.core.store.Store} interface and its embedded
 * {@link dev.chirp.core.store.Timeline} that keeps the newest chirps and dumps them to disk,
 * the {@link dev.chirp.core.pubsub.PubSub} broadcaster, the {@link dev.chirp.core.render.Render}
 * view, the throwaway {@link dev.chirp.core.identity.Identity} and the
 * {@link dev.chirp.core.guard.Guard} on every write.
 *
 * <p>The module reads no system properties or environment variables; everything is set
 * through builders. It logs through {@link java.lang.System.Logger} and needs no logging
 * library: its lines go wherever the application sends the JDK's.
 */
module dev.chirp.core {
    exports dev.chirp.core;
    exports dev.chirp.core.store;
    exports dev.chirp.core.pubsub;
    exports dev.chirp.core.render;
    exports dev.chirp.core.identity;
    exports dev.chirp.core.guard;

    requires com.fasterxml.jackson.core;
    requires gg.jte.runtime;
    // Only for the @Generated annotation on the precompiled templates; not needed at run time.
    requires static java.compiler;

    // The jte runtime loads the precompiled template classes reflectively.
    opens dev.chirp.core.render.templates to gg.jte.runtime;
}
