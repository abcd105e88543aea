package dev.chirp.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import picocli.CommandLine;

/**
 * The {@code --url} of a running Chirp, such as {@code http://host:4080}: an http or https
 * address with a host, and perhaps a path that Chirp is mounted under.
 */
final class ServerUrl implements CommandLine.ITypeConverter<URI> {

    @Override
    public URI convert(String value) {
        try {
            URI uri = new URI(value.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getQuery() == null && uri.getFragment() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new CommandLine.TypeConversionException("'" + value
                + "' should be the address of a Chirp server, such as http://localhost:4080");
    }

    /**
     * Returns the address of a route on the server.
     *
     * @param server the server's address, as given
     * @param route such as {@code /api/chirps}
     */
    static URI resolve(URI server, String route) {
        String base = server.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + route);
    }

    /** Says in a few words why the server could not be reached. */
    static String unreachable(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return "no such host";
            }
        }
        if (e instanceof ConnectException) {
            return "nothing answers there (is Chirp running?)";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
