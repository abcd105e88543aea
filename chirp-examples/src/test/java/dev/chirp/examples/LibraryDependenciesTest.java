package dev.chirp.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chirp.core.Chirp;
import dev.chirp.server.ChirpServer;
import dev.chirp.transport.sse.SseHandler;
import dev.chirp.transport.ws.WsHandler;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** What an application takes on when it embeds Chirp. */
class LibraryDependenciesTest {

    /** Module name prefixes of logging APIs and backends; Chirp logs through System.Logger. */
    private static final List<String> LOGGING = List.of("org.slf4j", "org.apache.logging", "org.apache.log4j",
            "ch.qos.logback", "org.jboss.logging", "org.jboss.logmanager", "java.logging", "org.tinylog");

    @Test
    void noLibraryModuleRequiresALoggingLibrary() throws Exception {
        List<Class<?>> modules = List.of(Chirp.class, SseHandler.class, WsHandler.class, ChirpServer.class);

        for (Class<?> member : modules) {
            ModuleDescriptor descriptor = descriptorOf(member);
            for (ModuleDescriptor.Requires requires : descriptor.requires()) {
                assertTrue(LOGGING.stream().noneMatch(requires.name()::startsWith),
                        () -> descriptor.name() + " requires the logging module " + requires.name());
            }
        }
        assertEquals("dev.chirp.server", descriptorOf(ChirpServer.class).name(), "read the wrong descriptor");
    }

    /** Reads the module descriptor from the jar or classes folder that holds {@code member}. */
    private static ModuleDescriptor descriptorOf(Class<?> member) throws IOException, URISyntaxException {
        Path location = Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(location)) {
            try (InputStream in = Files.newInputStream(location.resolve("module-info.class"))) {
                return ModuleDescriptor.read(in);
            }
        }
        try (JarFile jar = new JarFile(location.toFile()); InputStream in = jar.getInputStream(
                jar.getEntry("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }
}
