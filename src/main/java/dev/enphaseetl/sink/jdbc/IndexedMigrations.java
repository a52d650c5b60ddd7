package dev.enphaseetl.sink.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * Serves the SQL migrations listed in {@code db/migration/common/index.txt} to Flyway, loading each with
 * {@link ClassLoader#getResourceAsStream}. Flyway's own classpath scanning cannot list resources inside a Quarkus
 * fast-jar; a plain resource lookup works under any class loader. {@code SchemaTablesTest} checks that the index names
 * exactly the {@code .sql} files of the folder.
 */
final class IndexedMigrations implements ResourceProvider {

    static final String FOLDER = "db/migration/common";
    static final String INDEX = FOLDER + "/index.txt";

    private final ClassLoader loader;
    private final List<String> files;

    IndexedMigrations(ClassLoader loader) {
        this.loader = loader;
        this.files = readIndex(loader);
    }

    List<String> files() {
        return files;
    }

    static List<String> readIndex(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(INDEX)) {
            if (in == null) {
                throw new IllegalStateException("migration index " + INDEX + " is missing from the classpath");
            }
            List<String> out = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    line = line.strip();
                    if (!line.isEmpty() && !line.startsWith("#")) {
                        out.add(line);
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public LoadableResource getResource(String name) {
        for (String f : files) {
            if (f.equals(name) || (FOLDER + "/" + f).equals(name)) {
                return new Migration(f);
            }
        }
        return null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        List<LoadableResource> out = new ArrayList<>();
        for (String f : files) {
            if (f.startsWith(prefix)) {
                for (String suffix : suffixes) {
                    if (f.endsWith(suffix)) {
                        out.add(new Migration(f));
                        break;
                    }
                }
            }
        }
        return out;
    }

    private final class Migration extends LoadableResource {
        private final String file;

        Migration(String file) {
            this.file = file;
        }

        @Override
        public Reader read() {
            InputStream in = loader.getResourceAsStream(FOLDER + "/" + file);
            if (in == null) {
                throw new IllegalStateException("migration " + FOLDER + "/" + file + " is listed but missing");
            }
            return new InputStreamReader(in, StandardCharsets.UTF_8);
        }

        @Override
        public String getAbsolutePath() { return FOLDER + "/" + file; }

        @Override
        public String getAbsolutePathOnDisk() { return FOLDER + "/" + file; }

        @Override
        public String getFilename() { return file; }

        @Override
        public String getRelativePath() { return file; }
    }
}
