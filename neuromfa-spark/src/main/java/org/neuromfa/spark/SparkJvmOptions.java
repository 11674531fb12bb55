package org.neuromfa.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * The JVM options Spark needs on Java 17 and later, as the Spark on the class path lists them
 * ({@link JavaModuleOptions}, what {@code spark-submit} passes to a driver it starts). A driver started
 * with plain {@code java} lacks them and fails deep inside Spark (Kryo cannot reach
 * {@code java.nio.HeapByteBuffer}). Before Spark starts, {@link #check} adds what a running JVM can
 * still add (the {@code -D} system properties) and names the {@code --add-opens} it cannot.
 */
final class SparkJvmOptions {
    private SparkJvmOptions() {
    }

    /** Where the build writes the same options for {@code java @FILE} (and the launcher). */
    static final String OPTIONS_FILE = "neuromfa-spark/target/jvm-options.txt";

    /**
     * Sets Spark's {@code -Dkey=value} options that this JVM was started without, and throws a
     * {@link SparkFailure} naming every {@code --add-opens} it lacks.
     */
    static void check() throws SparkFailure {
        List<String> missing = missing(JavaModuleOptions.defaultModuleOptionArray(), SparkJvmOptions.class.getModule());
        if (!missing.isEmpty()) {
            throw new SparkFailure(message(missing));
        }
    }

    /**
     * The {@code --add-opens=MODULE/PACKAGE=ALL-UNNAMED} of {@code options} that are not in force for
     * {@code module}; sets the {@code -D} properties of {@code options} that are unset. Other options
     * ({@code --add-modules}, {@code --enable-native-access}, {@code -XX:...}) are left alone: Spark runs
     * without them.
     */
    static List<String> missing(String[] options, Module module) {
        List<String> missing = new ArrayList<>();
        for (String option : options) {
            if (option.startsWith("--add-opens=")) {
                String[] parts = option.substring("--add-opens=".length()).split("[/=]", 3);
                if (parts.length < 2) {
                    continue;
                }
                Optional<Module> target = ModuleLayer.boot().findModule(parts[0]);
                // A module or package this JDK does not have (java.security.jgss in a trimmed runtime,
                // sun.security.action since JDK 24) cannot be opened, and nothing needs it opened.
                if (target.isPresent() && target.get().getPackages().contains(parts[1])
                        && !target.get().isOpen(parts[1], module)) {
                    missing.add(option);
                }
            } else if (option.startsWith("-D")) {
                int eq = option.indexOf('=');
                String key = eq < 0 ? option.substring(2) : option.substring(2, eq);
                if (System.getProperty(key) == null) {
                    System.setProperty(key, eq < 0 ? "" : option.substring(eq + 1));
                }
            }
        }
        return missing;
    }

    /** One line naming the missing opens compactly, {@code MODULE/{PKG,PKG,...}}, and the two ways to add them. */
    static String message(List<String> missing) {
        Map<String, List<String>> byModule = new LinkedHashMap<>();
        for (String option : missing) {
            String[] parts = option.substring("--add-opens=".length()).split("[/=]", 3);
            byModule.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]);
        }
        List<String> groups = new ArrayList<>();
        List<String> counts = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byModule.entrySet()) {
            groups.add(e.getKey() + "/" + (e.getValue().size() == 1 ? e.getValue().get(0)
                    : "{" + String.join(",", e.getValue()) + "}"));
            counts.add(e.getKey() + " (" + e.getValue().size() + (e.getValue().size() == 1 ? " package)" : " packages)"));
        }
        String line = line(String.join(" ", groups));
        // A longer list than Spark 4.2's would not fit one short line: then the count, and the file has them.
        return ("neuromfa: " + line).length() < SparkFailure.MAX_LINE ? line : line(String.join(", ", counts));
    }

    private static String line(String opens) {
        return "Spark needs --add-opens=M/P=ALL-UNNAMED for " + opens
                + ", which this JVM lacks: use spark-submit, or java @" + OPTIONS_FILE;
    }
}
