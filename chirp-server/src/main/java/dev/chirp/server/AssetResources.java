package dev.chirp.server;

import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.Resource;
import io.undertow.server.handlers.resource.ResourceChangeListener;
import io.undertow.server.handlers.resource.ResourceManager;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;

/**
 * Files under one class-path folder, for the page's assets. A folder counts as missing, also
 * a folder inside a jar, which the plain class-path manager would otherwise serve as an empty
 * file, or refuse with 403 and so reveal that it exists.
 */
final class AssetResources implements ResourceManager {

    private final ResourceManager classPath;

    AssetResources(ClassLoader loader, String prefix) {
        this.classPath = new ClassPathResourceManager(loader, prefix);
    }

    @Override
    public Resource getResource(String path) throws IOException {
        Resource resource = classPath.getResource(path);
        return resource == null || isFolder(resource) ? null : resource;
    }

    @Override
    public boolean isResourceChangeListenerSupported() {
        return false;
    }

    @Override
    public void registerResourceChangeListener(ResourceChangeListener listener) {
        throw new UnsupportedOperationException("class-path assets do not change at run time");
    }

    @Override
    public void removeResourceChangeListener(ResourceChangeListener listener) {
        throw new UnsupportedOperationException("class-path assets do not change at run time");
    }

    @Override
    public void close() throws IOException {
        classPath.close();
    }

    private static boolean isFolder(Resource resource) throws IOException {
        if (resource.isDirectory()) {
            return true;
        }
        URL url = resource.getUrl();
        if (url == null || !url.getProtocol().equals("jar")) {
            return false;
        }
        URLConnection connection = url.openConnection();
        // A jar finds "dir/" when asked for "dir", so the entry itself says what it is.
        return connection instanceof JarURLConnection jar && jar.getJarEntry().isDirectory();
    }
}
