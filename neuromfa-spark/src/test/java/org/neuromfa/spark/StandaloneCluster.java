package org.neuromfa.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A Spark standalone cluster on 127.0.0.1 made of real processes: a distribution assembled from the
 * jars the build resolved ({@code SPARK_HOME/jars} holds links to the jars of
 * {@code target/spark-classpath.txt}, as the README's recipe makes it), a master, workers started as
 * Spark's scripts would start them, and applications submitted through Spark's own launcher ({@code org.apache.spark.launcher.Main},
 * what {@code spark-submit} runs). Every process it starts, with its children (the executors), is
 * killed by {@link #close}, and by a shutdown hook should the test JVM end first.
 */
final class StandaloneCluster implements AutoCloseable {
    private static final List<Process> ALL = new CopyOnWriteArrayList<>();
    /**
     * For every JVM of the test cluster (daemons, drivers, executors): C1 only and the serial collector.
     * Starting Spark's JVMs is most of this test's time, and on a small shared machine C2 and the
     * parallel collector's threads only compete for its cores; neither changes a result.
     */
    static final List<String> QUICK_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(StandaloneCluster::killAll, "standalone-cluster-cleanup"));
    }

    final Path home;
    final Path clusterJar;
    private final Path dir;
    private final String java;
    private final int masterPort;
    private final List<Process> started = new ArrayList<>();
    private Process master;
    private int workers;

    /** A worker process and its work directory (where its executors' logs go). */
    static final class Worker {
        final Process process;
        final Path work;
        final Path log;

        Worker(Process process, Path work, Path log) {
            this.process = process;
            this.work = work;
            this.log = log;
        }

        /** Kills the worker and its executors with SIGKILL, as a machine that dies. */
        void killHard() {
            List<ProcessHandle> children = process.toHandle().descendants().collect(Collectors.toList());
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        }

        /** The applications that have run executors on this worker ({@code work/APP}). */
        List<String> applications() {
            try (Stream<Path> apps = Files.list(work)) {
                return apps.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            } catch (IOException e) {
                return List.of();
            }
        }

        /** Whether an executor log ({@code work/APP/ID/stderr}) of an application not in {@code before} mentions {@code text}. */
        boolean executorLogContains(List<String> before, String text) {
            for (String app : applications()) {
                if (before.contains(app)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(work.resolve(app))) {
                    for (Path f : (Iterable<Path>) files.filter(p -> p.getFileName().toString().equals("stderr"))::iterator) {
                        if (Files.readString(f, StandardCharsets.ISO_8859_1).contains(text)) {
                            return true;
                        }
                    }
                } catch (IOException e) {
                    // Not there yet.
                }
            }
            return false;
        }
    }

    /** The outcome of a process run to its end. */
    static final class Run {
        final int code;
        final String out;
        final String err;

        Run(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }

        List<String> errLines(String prefix) {
            return err.lines().filter(l -> l.startsWith(prefix)).collect(Collectors.toList());
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + tail(out) + "\n--- stderr\n" + tail(err);
        }

        private static String tail(String s) {
            return s.length() <= 6000 ? s : "...\n" + s.substring(s.length() - 6000);
        }
    }

    /**
     * @param sparkJars the jars of the cluster's Spark ({@code target/spark-classpath.txt})
     */
    StandaloneCluster(Path dir, Path clusterJar, List<Path> sparkJars) throws IOException {
        this.dir = dir;
        this.clusterJar = clusterJar;
        this.java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        this.home = dir.resolve("spark");
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (Path jar : sparkJars) {
            Path link = jars.resolve(jar.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, jar.toAbsolutePath());
            }
        }
        Files.createDirectories(home.resolve("conf"));
        this.masterPort = freePort();
    }

    /**
     * The jars the cluster must provide: those of {@code classpath} whose classes the cluster jar does not
     * contain (Spark and its libraries, Jackson and the logging it shares with them).
     */
    static List<Path> sparkJars(Path clusterJar, List<Path> classpath) throws IOException {
        List<Path> out = new ArrayList<>();
        try (ZipFile cluster = new ZipFile(clusterJar.toFile())) {
            for (Path jar : classpath) {
                if (!Files.isRegularFile(jar)) {
                    continue;
                }
                String probe = firstClass(jar);
                if (probe == null || cluster.getEntry(probe) == null) {
                    out.add(jar);
                }
            }
        }
        return out;
    }

    private static String firstClass(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class")) {
                    return name;
                }
            }
        }
        return null;
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** The environment Spark's scripts give a daemon: SPARK_HOME, the Scala version, the address to bind. */
    Map<String, String> environment(boolean scalaVersion) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("SPARK_") || k.startsWith("HF_") || k.startsWith("PYSPARK"));
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        if (scalaVersion) {
            env.put("SPARK_SCALA_VERSION", "2.13");
        }
        return env;
    }

    void startMaster() throws Exception {
        int ui = freePort();
        master = start("master", environment(true), daemon("org.apache.spark.deploy.master.Master",
                "-Dspark.master.rest.enabled=false", "--host", "127.0.0.1", "--port", Integer.toString(masterPort),
                "--webui-port", Integer.toString(ui)));
        awaitLog(dir.resolve("master.log"), "I have been elected leader", master, Duration.ofSeconds(60));
    }

    /**
     * {@code n} workers with one core and {@code memory} for executors each, started together;
     * {@code scalaVersion} false starts them without SPARK_SCALA_VERSION, as workers started by hand
     * rather than by Spark's scripts.
     */
    List<Worker> startWorkers(int n, boolean scalaVersion, String memory) throws Exception {
        List<Worker> started = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = "worker-" + (++workers);
            Path work = Files.createDirectories(dir.resolve(name));
            Process p = start(name, environment(scalaVersion), daemon("org.apache.spark.deploy.worker.Worker",
                    "-Dspark.worker.cleanup.enabled=false", "--host", "127.0.0.1", "--cores", "1", "--memory", memory,
                    "--work-dir", work.toString(), "--webui-port", Integer.toString(freePort()), masterUrl()));
            started.add(new Worker(p, work, dir.resolve(name + ".log")));
        }
        for (Worker w : started) {
            awaitLog(w.log, "Successfully registered with master", w.process, Duration.ofSeconds(90));
        }
        return started;
    }

    /** Stops a process politely (SIGTERM), then for good. */
    static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> children = p.toHandle().descendants().collect(Collectors.toList());
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private List<String> daemon(String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m"));
        cmd.addAll(QUICK_JVM);
        cmd.addAll(List.of(org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptionArray()));
        cmd.addAll(List.of("-cp", home.resolve("conf") + ":" + home.resolve("jars") + "/*"));
        List<String> rest = new ArrayList<>(List.of(args));
        // System properties go before the main class.
        rest.stream().filter(a -> a.startsWith("-D")).forEach(cmd::add);
        cmd.add(main);
        rest.stream().filter(a -> !a.startsWith("-D")).forEach(cmd::add);
        return cmd;
    }

    /**
     * {@code spark-submit ARGS}, as Spark's {@code bin/spark-submit} runs it: Spark's launcher library
     * builds the driver's command line (Java options included) and prints it NUL-separated after a
     * NUL and a newline; that command then runs as the driver (client mode: in this process tree).
     */
    Process submit(String name, Map<String, String> env, List<String> args) throws Exception {
        List<String> launcher = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", home.resolve("jars") + "/*",
                "org.apache.spark.launcher.Main", "org.apache.spark.deploy.SparkSubmit"));
        launcher.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(launcher).redirectError(dir.resolve(name + ".launcher.err").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        ALL.add(p);
        byte[] out = readAll(p.getInputStream());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("Spark's launcher failed (exit " + (p.isAlive() ? "none" : p.exitValue())
                    + "): " + Files.readString(dir.resolve(name + ".launcher.err")));
        }
        return start(name, env, command(out));
    }

    /**
     * {@code java $(cat jvm-options.txt) -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit ARGS}:
     * the README's way to submit from a distribution assembled from Maven's jars, which has no scripts.
     */
    Process submitDirect(String name, Map<String, String> env, Path jvmOptions, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(List.of(Files.readString(jvmOptions).trim().split("\\s+")));
        cmd.addAll(QUICK_JVM);
        cmd.addAll(List.of("-Xmx512m", "-cp", home.resolve("jars") + "/*", "org.apache.spark.deploy.SparkSubmit"));
        cmd.addAll(args);
        return start(name, env, cmd);
    }

    /** The command Spark's launcher printed: the arguments after the first NUL-newline, NUL-separated. */
    static List<String> command(byte[] printed) {
        String s = new String(printed, StandardCharsets.UTF_8);
        int start = s.indexOf("\0\n");
        if (start < 0) {
            throw new IllegalStateException("no command in the launcher's output: " + s);
        }
        List<String> cmd = new ArrayList<>();
        for (String arg : s.substring(start + 2).split("\0")) {
            if (!arg.isEmpty()) {
                cmd.add(arg);
            }
        }
        return cmd;
    }

    /** Runs {@code cmd} as a process of this cluster, its output in {@code NAME.out} and {@code NAME.log}. */
    Process start(String name, Map<String, String> env, List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".log").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        ALL.add(p);
        started.add(p);
        return p;
    }

    /** Waits for {@code p} to end (killing it, and failing, after {@code timeout}); its output. */
    Run await(String name, Process p, Duration timeout) throws Exception {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            stop(p);
            throw new AssertionError(name + " did not finish within " + timeout + ":\n" + read(name, -1));
        }
        return read(name, p.exitValue());
    }

    Run read(String name, int code) throws IOException {
        return new Run(code, Files.readString(dir.resolve(name + ".out")), Files.readString(dir.resolve(name + ".log")));
    }

    static void awaitLog(Path log, String text, Process p, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError(log.getFileName() + ": the process ended (exit " + p.exitValue() + ") before '"
                        + text + "':\n" + Files.readString(log, StandardCharsets.ISO_8859_1));
            }
            Thread.sleep(100);
        }
        throw new AssertionError(log.getFileName() + ": no '" + text + "' within " + timeout);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process p : started) {
            List<ProcessHandle> children = p.toHandle().descendants().collect(Collectors.toList());
            p.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        }
        for (Process p : started) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        ALL.removeAll(started);
    }

    private static void killAll() {
        for (Process p : ALL) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    static List<Path> classpath(Path file) {
        try {
            return Stream.of(Files.readString(file).trim().split(":")).map(Paths::get).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
