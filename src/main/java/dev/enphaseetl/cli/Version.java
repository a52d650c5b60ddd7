package dev.enphaseetl.cli;

import org.eclipse.microprofile.config.ConfigProvider;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the application's version as Maven built it. */
public class Version implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class)
                .orElse("unknown");
        return new String[]{EnphaseEtl.NAME + " " + version, "Java " + System.getProperty("java.version")};
    }
}
