package dev.loginpulse.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import dev.loginpulse.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The docs cannot drift from the code: every code span in {@code README.md} and {@code docs/*.md} that names something
 * checkable must name something that exists. Configuration keys ({@code pulse.*}, {@code kafka-streams.*}),
 * environment variables ({@code PULSE_*}, {@code KAFKA_*}), class names, repository paths, {@code ./bench.sh} and
 * {@code ./run.sh} flags and topic names are looked up in the sources, properties, scripts, compose file and chart.
 * A stale name fails the build with the doc's file and line.
 */
class DocsTest {

    private static final Pattern SPAN = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern ENV_VAR = Pattern.compile("\\b((?:KAFKA|PULSE)_[A-Z0-9_]+)\\b");
    private static final Pattern CAMEL = Pattern.compile("[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+");
    private static final Pattern TYPE = Pattern.compile("\\b(?:class|record|interface|enum)\\s+([A-Z]\\w*)");
    private static final Pattern PROPERTY_LINE = Pattern.compile("^#?\\s*([a-z%][\\w.\"%-]*(?:\\.[\\w\"*-]+)+)\\s*=",
            Pattern.MULTILINE);
    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])(--[a-z][a-z-]*)");
    /**
     * Types the docs name that are not this project's: Kafka, Kafka Streams, Quarkus, SmallRye, JDK, JUnit and other
     * libraries' classes. A name here must still be spelled as its library spells it.
     */
    private static final Set<String> EXTERNAL_TYPES = Set.of("KafkaClusterTestKit", "TestKitNodes", "TopologyTestDriver",
            "ProducerPerformance", "ConsumerPerformance", "MockProducer", "ConsumerRecord", "InMemoryConnector",
            "LogAndContinueExceptionHandler", "KafkaStreams", "StreamsConfig", "KafkaRaftServer", "KafkaClientService",
            "TemplateInstance", "QuarkusTest", "QuarkusIntegrationTest", "ConfigMapping", "WithDefault",
            "RecordTooLargeException", "TaskCorruptedException", "OffsetOutOfRangeException",
            "InconsistentGroupProtocolException", "StandardAuthorizer", "ObjectMapperSerde", "RegisterForReflection",
            "TestRecord", "HdrHistogram", "HyperLogLog", "JsonParser", "WebSocket", "WebSocketLoadIT",
            "RocksDB", "RoaringBitmap", "CachedStateStore", "ScramLoginModule", "SaslAuthenticationException",
            "SslAuthenticationException", "TopicAuthorizationException",
            "TimeoutException", "JavaScript",
            "PersistentVolume", "PersistentVolumeClaim", "StatefulSet", "NetworkPolicy", "NetworkPolicies",
            "PodDisruptionBudget", "PodDisruptionBudgets", "HorizontalPodAutoscaler", "ConfigMap", "KRaft", "GraalVM",
            "OpenAPI", "AsyncAPI", "DuckDB", "JUnit", "AssertJ", "TestContainers", "DevServices", "MicroProfile",
            "SmallRye", "WebSockets", "GitHub", "QuarkusTestResource", "WithTestResource", "FixedKeyProcessor",
            "ReplaceThread", "StreamsUncaughtExceptionHandler", "NullPointerException", "ClassNotFoundException",
            "OutOfMemoryError", "RecordHeaders", "ByteArraySerializer", "StringSerializer", "DefaultRecordBatch",
            "LogValidator", "ListOffsets", "InvalidProducerEpochException", "ProducerFencedException",
            "CONCURRENT_TRANSACTIONS", "TreeMap", "LexicographicByteArrayComparator",
            // Apache Iceberg's API (docs/lake.md, docs/native.md)
            "RewriteFiles", "InternalWriter", "FileIO", "LocationProvider",
            // Parquet, Hadoop, the JDK and SmallRye in the archiver's profile and native build (docs/benchmarks.md,
            // docs/native.md)
            "ParquetFileWriter", "FileSystem", "LocalFileSystem", "RawLocalFileSystem", "UserGroupInformation",
            "UnixLoginModule", "OffsetDateTime", "IncomingKafkaRecord",
            // a field of /proc/<pid>/status
            "VmHWM");

    private static final List<String> DOCS = docs();

    @Test
    void everyConfigurationKeyTheDocsNameExists() {
        Set<String> keys = configurationKeys();
        String sources = allSources();
        List<String> stale = new ArrayList<>();
        for (Span span : spans()) {
            String text = span.text().split("[=:\\s]", 2)[0];
            if (text.startsWith("pulse.") && !text.contains("*") && !keys.contains(text)
                    && !isWrittenKeyPattern(text, sources)) {
                stale.add(span.where() + ": no configuration key " + text);
            }
            if (text.startsWith("kafka-streams.") && !keys.contains(text) && !isClientKey(text)) {
                stale.add(span.where() + ": " + text + " is set nowhere and is no Kafka client key");
            }
        }
        assertThat(stale).as("configuration keys in the docs that nothing reads").isEmpty();
    }

    /**
     * A key with placeholders that the code writes rather than reads, e.g. the archiver's snapshot summary keys
     * {@code pulse.offsets.<topic>.<partition>}: its literal start is a string in the sources.
     */
    private static boolean isWrittenKeyPattern(String text, String sources) {
        int placeholder = text.indexOf('<');
        return placeholder > "pulse.".length() && sources.contains("\"" + text.substring(0, placeholder));
    }

    @Test
    void everyEnvironmentVariableTheDocsNameIsReadSomewhere() {
        String sources = allSources();
        Set<String> keys = configurationKeys();
        List<String> stale = new ArrayList<>();
        for (Span span : spans()) {
            Matcher matcher = ENV_VAR.matcher(span.text());
            while (matcher.find()) {
                String name = matcher.group(1);
                if (!Pattern.compile("\\b" + name + "\\b").matcher(sources).find() && !mapsToKey(name, keys)) {
                    stale.add(span.where() + ": nothing reads " + name);
                }
            }
        }
        assertThat(stale).as("environment variables in the docs that nothing reads").isEmpty();
    }

    @Test
    void everyClassAndPathTheDocsNameExists() {
        Set<String> types = projectTypes();
        List<String> stale = new ArrayList<>();
        for (Span span : spans()) {
            String text = span.text().trim();
            if (CAMEL.matcher(text).matches() && !types.contains(text) && !EXTERNAL_TYPES.contains(text)) {
                stale.add(span.where() + ": no class " + text);
            }
            if (text.matches("(?:dev\\.loginpulse\\.)[\\w.]+") && !types.contains(text.substring(
                    text.lastIndexOf('.') + 1))) {
                stale.add(span.where() + ": no class " + text);
            }
            if (isRepositoryPath(text) && !Files.exists(Project.file(text.replaceAll("/$", "")))) {
                stale.add(span.where() + ": no file " + text);
            }
        }
        assertThat(stale).as("classes and files in the docs that do not exist").isEmpty();
    }

    @Test
    void everyBenchAndRunFlagTheDocsNameIsHandled() {
        String benchOptions = Project.read("modules/bench/src/main/java/dev/loginpulse/bench/BenchOptions.java");
        String runScript = Project.read("run.sh");
        String replayTool = Project.read(
                "modules/launcher/src/main/java/dev/loginpulse/launcher/ReplayDlqCommand.java");
        List<String> stale = new ArrayList<>();
        for (Span span : spans()) {
            String text = span.text().trim();
            String handler = text.startsWith("./bench.sh") ? benchOptions
                    : text.startsWith("./run.sh replay-dlq") ? replayTool
                            : text.startsWith("./run.sh") ? runScript
                                    : null;
            if (handler == null) {
                continue;
            }
            Matcher flags = FLAG.matcher(text);
            while (flags.find()) {
                if (!handler.contains("\"" + flags.group(1) + "\"") && !handler.contains(flags.group(1) + ")")
                        && !handler.contains(flags.group(1) + "|") && !handler.contains("|" + flags.group(1))) {
                    stale.add(span.where() + ": " + text.split(" ")[0] + " has no flag " + flags.group(1));
                }
            }
        }
        assertThat(stale).as("script flags in the docs that the scripts do not handle").isEmpty();
    }

    @Test
    void everyPipelineTopicTheDocsNameExists() {
        List<String> stale = new ArrayList<>();
        for (Span span : spans()) {
            String text = span.text().trim();
            if (text.matches("user-login(?:-[a-z]+)*") && !topics().contains(text)) {
                stale.add(span.where() + ": no topic " + text);
            }
        }
        assertThat(stale).as("topics in the docs that the pipeline does not have").isEmpty();
    }

    /** Every topic name of the contract: the constants of {@link Topics} (the pipeline's and the tools' topics). */
    private static Set<String> topics() {
        Set<String> topics = new HashSet<>(Topics.ALL);
        for (Field field : Topics.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    topics.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return topics;
    }

    @Test
    void theCheckFindsAStaleName() {
        // the checks above must be able to fail: a made-up key, variable and class are not found
        assertThat(configurationKeys()).contains("pulse.stats.grace").doesNotContain("pulse.stats.no-such-key");
        assertThat(mapsToKey("PULSE_STATS_GRACE", configurationKeys())).isTrue();
        assertThat(mapsToKey("PULSE_STATS_NO_SUCH_KEY", configurationKeys())).isFalse();
        assertThat(projectTypes()).contains("LoginCleaner", "PaneStatsProcessor").doesNotContain("RedeliveryFilter");
        assertThat(spans()).extracting(Span::text).contains("pulse.stats.max-source-lag");
    }

    // --- what the docs say

    record Span(String doc, int line, String text) {
        String where() {
            return doc + ":" + line + ": `" + text + "`";
        }
    }

    /** Inline code spans outside fenced code blocks, with their file and line. */
    static List<Span> spans() {
        List<Span> spans = new ArrayList<>();
        for (String doc : DOCS) {
            String[] lines = Project.read(doc).split("\n", -1);
            boolean fenced = false;
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].trim().startsWith("```")) {
                    fenced = !fenced;
                    continue;
                }
                if (fenced) {
                    continue;
                }
                Matcher matcher = SPAN.matcher(lines[i]);
                while (matcher.find()) {
                    spans.add(new Span(doc, i + 1, matcher.group(1)));
                }
            }
        }
        return spans;
    }

    private static List<String> docs() {
        List<String> docs = new ArrayList<>(List.of("README.md"));
        try (Stream<Path> files = Files.list(Project.file("docs"))) {
            files.map(path -> "docs/" + path.getFileName()).filter(name -> name.endsWith(".md")).sorted()
                    .forEach(docs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    // --- what the code has

    /**
     * Every configuration key set or documented in a service's {@code application.properties} (commented defaults
     * included, profile prefixes removed), and every key of the {@code @ConfigMapping} interfaces.
     */
    static Set<String> configurationKeys() {
        Set<String> keys = new TreeSet<>();
        for (Path file : files("modules", path -> path.toString().endsWith("application.properties"))) {
            Matcher matcher = PROPERTY_LINE.matcher(read(file));
            while (matcher.find()) {
                keys.add(matcher.group(1).replaceFirst("^%[\\w-]+\\.", ""));
            }
        }
        // system properties the build and the tests read, e.g. -Dpulse.mode=native
        Pattern systemProperty = Pattern.compile("System\\.getProperty\\(\"([\\w.-]+)\"");
        for (Path file : files("modules", path -> path.toString().endsWith(".java"))) {
            Matcher matcher = systemProperty.matcher(read(file));
            while (matcher.find()) {
                keys.add(matcher.group(1));
            }
        }
        Pattern prefix = Pattern.compile("@ConfigMapping\\(prefix = \"([\\w.-]+)\"\\)");
        Pattern method = Pattern.compile("^\\s+[\\w<>, ]+\\s+(\\w+)\\(\\);", Pattern.MULTILINE);
        for (Path file : files("modules", path -> path.toString().endsWith(".java"))) {
            String source = read(file);
            Matcher mapping = prefix.matcher(source);
            if (!mapping.find()) {
                continue;
            }
            Matcher methods = method.matcher(source);
            while (methods.find()) {
                keys.add(mapping.group(1) + "." + kebab(methods.group(1)));
            }
        }
        return keys;
    }

    /** SmallRye maps {@code PULSE_STATS_MAX_SOURCE_LAG} to {@code pulse.stats.max-source-lag}. */
    static boolean mapsToKey(String variable, Set<String> keys) {
        return keys.stream().anyMatch(key -> key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_").equals(variable));
    }

    private static boolean isClientKey(String streamsKey) {
        String key = streamsKey.substring("kafka-streams.".length());
        if (key.startsWith("consumer.")) {
            return ConsumerConfig.configNames().contains(key.substring("consumer.".length()));
        }
        if (key.startsWith("producer.")) {
            return ProducerConfig.configNames().contains(key.substring("producer.".length()));
        }
        return false;
    }

    /** Simple names of every class, record, interface and enum in the project's sources. */
    static Set<String> projectTypes() {
        Set<String> types = new TreeSet<>();
        for (Path file : files("modules", path -> path.toString().endsWith(".java"))) {
            Matcher matcher = TYPE.matcher(read(file));
            while (matcher.find()) {
                types.add(matcher.group(1));
            }
        }
        return types;
    }

    private static boolean isRepositoryPath(String text) {
        // build outputs (target/) exist only after a build
        return text.matches("(?:modules|docs|deploy|src|scripts|\\.ci)/[\\w./-]*") && !text.contains("*")
                && !text.contains("<") && !text.contains("/target/") && !text.endsWith("/target");
    }

    /** Properties, Java sources, scripts, compose file and chart: where a variable can be read. */
    private static String allSources() {
        StringBuilder all = new StringBuilder();
        for (String dir : List.of("modules", "deploy", "scripts", "src")) {
            for (Path file : files(dir, path -> path.toString().matches(".*\\.(java|properties|sh|yaml|yml|tpl|json)")
                    && !path.toString().contains("/target/"))) {
                all.append(read(file)).append('\n');
            }
        }
        for (String file : List.of("run.sh", "bench.sh", "docker-compose.yml", ".ci/run")) {
            all.append(Project.read(file)).append('\n');
        }
        return all.toString();
    }

    private static List<Path> files(String dir, Predicate<Path> filter) {
        try (Stream<Path> files = Files.walk(Project.file(dir))) {
            return files.filter(Files::isRegularFile).filter(path -> !path.toString().contains("/target/"))
                    .filter(path -> !path.toString().contains("/node_modules/")).filter(filter).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
