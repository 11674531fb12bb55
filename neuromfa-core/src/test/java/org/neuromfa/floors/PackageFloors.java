package org.neuromfa.floors;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The floors of the library (docs/ARCHITECTURE.md) and a check of compiled classes against them: a
 * class may use the classes of its own package and of the packages on lower floors, never those on
 * its own floor's other packages or above. The references are read from the class files themselves
 * (every class named in the constant pool, and every type in a descriptor or generic signature), so
 * what the compiler kept is what is checked, imports or fully qualified names alike.
 */
final class PackageFloors {
    /** Lowest floor first; each entry the packages of one floor. */
    static final List<List<String>> FLOORS = List.of(
            List.of("org.neuromfa", "org.neuromfa.base"),
            List.of("org.neuromfa.source"),
            List.of("org.neuromfa.tensor"),
            List.of("org.neuromfa.tensor.safetensors", "org.neuromfa.tensor.torch", "org.neuromfa.tensor.onnx"),
            List.of("org.neuromfa.model"),
            List.of("org.neuromfa.source.hub"),
            List.of("org.neuromfa.locate"),
            List.of("org.neuromfa.sample", "org.neuromfa.network"),
            List.of("org.neuromfa.distance"),
            List.of("org.neuromfa.spectrum"),
            List.of("org.neuromfa.arch"),
            List.of("org.neuromfa.analysis"),
            List.of("org.neuromfa.evals"),
            List.of("org.neuromfa.study"),
            List.of("org.neuromfa.io"));

    private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L(org/neuromfa/[A-Za-z0-9_/$]+)[;<]");

    private PackageFloors() {
    }

    /** The floor of {@code pkg} (0 is the ground floor), or -1 when it is on none. */
    static int floor(String pkg) {
        for (int i = 0; i < FLOORS.size(); i++) {
            if (FLOORS.get(i).contains(pkg)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Every violation among the class files under {@code classes}, one line each,
     * {@code Class -> Referenced: why}, sorted; empty when every class keeps to its floor.
     */
    static List<String> violations(Path classes) throws IOException {
        TreeSet<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                String name = classes.relativize(f).toString().replace('\\', '/');
                String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
                String pkg = packageOf(className);
                int from = floor(pkg);
                if (from < 0) {
                    out.add(className + ": package " + pkg + " is on no floor (add it to PackageFloors and docs/ARCHITECTURE.md)");
                    continue;
                }
                Map<String, String> seen = new TreeMap<>();
                try (InputStream in = Files.newInputStream(f)) {
                    for (String ref : referencedClasses(in)) {
                        seen.putIfAbsent(ref, packageOf(ref));
                    }
                }
                for (Map.Entry<String, String> ref : seen.entrySet()) {
                    String to = ref.getValue();
                    if (to.equals(pkg)) {
                        continue;
                    }
                    int floor = floor(to);
                    if (floor < 0) {
                        out.add(className + " -> " + ref.getKey() + ": package " + to + " is on no floor");
                    } else if (floor >= from) {
                        out.add(className + " -> " + ref.getKey() + ": " + pkg + " (floor " + from + ") may not use "
                                + to + " (floor " + floor + ")");
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }

    static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    /** The org.neuromfa classes a class file refers to (binary names with dots; nested classes kept). */
    static List<String> referencedClasses(InputStream classFile) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> classIndexes = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1: utf8[i] = in.readUTF(); break;
                case 7: classIndexes.add(in.readUnsignedShort()); break;
                case 8: case 16: case 19: case 20: in.readUnsignedShort(); break;
                case 15: in.readUnsignedByte(); in.readUnsignedShort(); break;
                case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: in.readInt(); break;
                case 5: case 6: in.readLong(); i++; break;
                default: throw new IOException("unknown constant pool tag " + tag);
            }
        }
        TreeSet<String> refs = new TreeSet<>();
        for (int idx : classIndexes) {
            String n = utf8[idx];
            // Array classes are descriptors ([Lorg/...;), handled below.
            if (n != null && n.startsWith("org/neuromfa/")) {
                refs.add(n.replace('/', '.'));
            }
        }
        for (String s : utf8) {
            if (s == null) {
                continue;
            }
            Matcher m = TYPE_IN_DESCRIPTOR.matcher(s);
            while (m.find()) {
                refs.add(m.group(1).replace('/', '.'));
            }
        }
        return new ArrayList<>(refs);
    }
}
