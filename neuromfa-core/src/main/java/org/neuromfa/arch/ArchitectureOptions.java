package org.neuromfa.arch;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The options that decide how a checkpoint's tensors become a network: GPT-NeoX's QKV layout, the
 * aggregation of convolution kernels, and a wiring file that replaces family detection. Immutable,
 * with {@code withX} copies; equal options build equal architectures (Spark executors keep one
 * architecture per checkpoint and options).
 *
 * <p>A wiring file is held as the file name and its bytes, not as parsed objects, so that the
 * options travel to Spark executors as plain fields; it is parsed (and was checked when given) where
 * an architecture is made.
 */
public final class ArchitectureOptions {
    private final QkvLayout qkvLayout;
    private final KernelAggregation kernelAggregation;
    private final String wiringFile;
    private final byte[] wiringJson;

    private ArchitectureOptions(QkvLayout qkvLayout, KernelAggregation kernelAggregation, String wiringFile,
                                byte[] wiringJson) {
        this.qkvLayout = qkvLayout;
        this.kernelAggregation = kernelAggregation;
        this.wiringFile = wiringFile;
        this.wiringJson = wiringJson;
    }

    /** The reference's QKV thirds, L2 kernel norms, family detection. */
    public static ArchitectureOptions defaults() {
        return new ArchitectureOptions(QkvLayout.THIRDS, KernelAggregation.DEFAULT, null, null);
    }

    public ArchitectureOptions withQkvLayout(QkvLayout value) {
        return new ArchitectureOptions(Objects.requireNonNull(value), kernelAggregation, wiringFile, wiringJson);
    }

    public ArchitectureOptions withKernelAggregation(KernelAggregation value) {
        return new ArchitectureOptions(qkvLayout, Objects.requireNonNull(value), wiringFile, wiringJson);
    }

    /**
     * Wires models by the wiring file {@code file} with content {@code json} instead of detecting
     * their family. The content is parsed now, so a malformed file fails here, naming {@code file}.
     */
    public ArchitectureOptions withWiring(String file, byte[] json) {
        WiringJson.parse(file, json);
        return new ArchitectureOptions(qkvLayout, kernelAggregation, Objects.requireNonNull(file), json.clone());
    }

    public QkvLayout qkvLayout() {
        return qkvLayout;
    }

    public KernelAggregation kernelAggregation() {
        return kernelAggregation;
    }

    /** Whether a wiring file replaces family detection. */
    public boolean hasWiring() {
        return wiringJson != null;
    }

    /** The wiring file as given, or null. */
    public String wiringFile() {
        return wiringFile;
    }

    /** The parsed wiring file, or null when none is given. */
    public Wiring wiring() {
        return wiringJson == null ? null : WiringJson.parse(wiringFile, wiringJson);
    }

    /** SHA-256 (hex) of the wiring file's bytes, or null: the results record it, not the path. */
    public String wiringSha256() {
        if (wiringJson == null) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(wiringJson));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ArchitectureOptions)) {
            return false;
        }
        ArchitectureOptions a = (ArchitectureOptions) o;
        return qkvLayout == a.qkvLayout && kernelAggregation == a.kernelAggregation
                && Objects.equals(wiringFile, a.wiringFile) && Arrays.equals(wiringJson, a.wiringJson);
    }

    @Override
    public int hashCode() {
        return Objects.hash(qkvLayout, kernelAggregation, wiringFile) * 31 + Arrays.hashCode(wiringJson);
    }

    @Override
    public String toString() {
        return "qkv_layout=" + qkvLayout.optionValue() + ", kernel_aggregation=" + kernelAggregation.label()
                + (wiringFile == null ? "" : ", wiring=" + wiringFile + " (" + wiringJson.length + " bytes)");
    }
}
