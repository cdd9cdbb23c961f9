package dev.loginpulse.dashboard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's npm packages: the build (pom.xml) fetches each at the version and SHA-512 that
 * {@code src/main/frontend/package-lock.json} records, so that the lockfile stays the one truth a reviewer or
 * {@code npm audit} reads. Only {@code commander} (the command-line dependency of {@code topojson-client}) is locked
 * but not served.
 */
class FrontendPackagesTest {

    private static final Pattern FETCHED = Pattern.compile(
            "<npm-package name=\"([^\"]+)\" version=\"([^\"]+)\"(?:\\s+files=\"[^\"]*\")?\\s+sha512=\"([0-9a-f]{128})\"");

    @Test
    void everyFetchedPackageHasTheVersionAndHashOfTheLockfileAndEveryServedOneIsFetched() throws Exception {
        Map<String, String[]> fetched = new HashMap<>();
        Matcher matcher = FETCHED.matcher(Files.readString(Path.of("pom.xml")));
        while (matcher.find()) {
            fetched.put(matcher.group(1), new String[] { matcher.group(2), matcher.group(3) });
        }
        JsonNode packages = new ObjectMapper().readTree(Path.of("src/main/frontend/package-lock.json").toFile())
                .get("packages");
        Map<String, String[]> locked = new HashMap<>();
        packages.properties().forEach(entry -> {
            if (entry.getKey().startsWith("node_modules/")) {
                String integrity = entry.getValue().get("integrity").asText();
                assertThat(integrity).startsWith("sha512-");
                locked.put(entry.getKey().substring("node_modules/".length()), new String[] {
                        entry.getValue().get("version").asText(),
                        HexFormat.of().formatHex(Base64.getDecoder().decode(integrity.substring("sha512-".length()))) });
            }
        });

        assertThat(fetched).as("packages the build fetches").isNotEmpty();
        assertThat(locked.keySet()).containsAll(fetched.keySet());
        assertThat(locked.keySet()).filteredOn(name -> !fetched.containsKey(name)).containsExactly("commander");
        fetched.forEach((name, versionAndHash) -> assertThat(versionAndHash).as(name).containsExactly(locked.get(name)));
    }
}
