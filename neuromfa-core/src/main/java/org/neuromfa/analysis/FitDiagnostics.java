package org.neuromfa.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.neuromfa.Message;

/**
 * Judges the fits of tau(q) (METHOD.md section 5.5): the least-squares lines of {@code ln Z_q(r)}
 * against {@code ln(r/D)} whose R^2 falls below the threshold of
 * {@link org.neuromfa.spectrum.SpectrumOptions#minRSquared()} suggest that the partition function
 * does not scale over the chosen radii, so the exponents (and the spectrum, alpha0, width and E built
 * from them) are less trustworthy. Every command that reports those numbers warns the same way: one
 * line per analysed checkpoint ({@code analyze}, the two analyses of {@code demo}), one line for a
 * whole study of many checkpoints ({@code trajectory}, {@code scaling}).
 */
public final class FitDiagnostics {
    /** The fits of one checkpoint's samples. Immutable. */
    public static final class Summary {
        /** The checkpoint's label. */
        public final String model;
        public final double threshold;
        /** Fits (one per sample and q) and those with R^2 below the threshold. */
        public final int fits;
        public final int poorFits;
        /** Samples, and those with at least one poor fit. */
        public final int samples;
        public final int poorSamples;
        /** The lowest R^2 of all fits (NaN without fits), with its q and seed. */
        public final double lowest;
        public final double lowestQ;
        public final long lowestSeed;

        private Summary(String model, double threshold, int fits, int poorFits, int samples, int poorSamples,
                        double lowest, double lowestQ, long lowestSeed) {
            this.model = model;
            this.threshold = threshold;
            this.fits = fits;
            this.poorFits = poorFits;
            this.samples = samples;
            this.poorSamples = poorSamples;
            this.lowest = lowest;
            this.lowestQ = lowestQ;
            this.lowestSeed = lowestSeed;
        }

        /** Whether any fit is below the threshold. */
        public boolean poor() {
            return poorFits > 0;
        }
    }

    private FitDiagnostics() {
    }

    /** The fits of {@code samples} (of the checkpoint {@code model}), judged as {@code options} say. */
    public static Summary of(String model, AnalysisOptions options, List<SampleResult> samples) {
        double threshold = options.spectrum().minRSquared();
        double[] q = options.qGrid().values();
        int poorSamples = 0;
        int poorFits = 0;
        int fits = 0;
        double lowest = Double.NaN;
        double lowestQ = Double.NaN;
        long lowestSeed = -1;
        for (SampleResult s : samples) {
            boolean poor = false;
            double[] rSquared = s.rSquared();
            for (int k = 0; k < rSquared.length; k++) {
                double r2 = rSquared[k];
                fits++;
                if (r2 < threshold) {
                    poor = true;
                    poorFits++;
                }
                if (!Double.isNaN(r2) && (Double.isNaN(lowest) || r2 < lowest)) {
                    lowest = r2;
                    // A hand-written file may list more fits than q values.
                    lowestQ = k < q.length ? q[k] : Double.NaN;
                    lowestSeed = s.seed();
                }
            }
            if (poor) {
                poorSamples++;
            }
        }
        return new Summary(model, threshold, fits, poorFits, samples.size(), poorSamples, lowest, lowestQ, lowestSeed);
    }

    /** A one-line warning for the whole checkpoint, or null when every fit reaches the threshold. */
    public static Message lowRSquaredWarning(CheckpointResult result) {
        return lowRSquaredWarning(of(result.model, result.options, result.samples));
    }

    /** A one-line warning for one checkpoint, or null when every fit reaches the threshold. */
    public static Message lowRSquaredWarning(Summary s) {
        if (!s.poor()) {
            return null;
        }
        return Message.of(String.format(Locale.ROOT, "warning: %s: R^2 of the tau(q) fit is below %s for %d of %d"
                        + " exponents in %d of %d samples (lowest %.4f at q = %s, seed %d); %s",
                s.model, SampleAnalysis.format(s.threshold), s.poorFits, s.fits, s.poorSamples, s.samples,
                s.lowest, SampleAnalysis.format(s.lowestQ), s.lowestSeed, advice()));
    }

    /**
     * One line for a study of many checkpoints (a trajectory): how many checkpoints, exponents and
     * samples have poor fits, and the worst of them; null when every fit reaches the threshold. One
     * line, however many checkpoints, so that a long study's warning stays readable.
     */
    public static Message lowRSquaredWarning(List<Summary> checkpoints) {
        List<String> poor = new ArrayList<>();
        int fits = 0;
        int poorFits = 0;
        int samples = 0;
        int poorSamples = 0;
        Summary worst = null;
        for (Summary s : checkpoints) {
            fits += s.fits;
            poorFits += s.poorFits;
            samples += s.samples;
            poorSamples += s.poorSamples;
            if (s.poor()) {
                poor.add(s.model);
                if (worst == null || s.lowest < worst.lowest) {
                    worst = s;
                }
            }
        }
        if (worst == null) {
            return null;
        }
        return Message.of(String.format(Locale.ROOT, "warning: R^2 of the tau(q) fit is below %s in %d of %d checkpoints"
                        + " (%s): %d of %d exponents in %d of %d samples (lowest %.4f at q = %s, %s seed %d); %s",
                SampleAnalysis.format(worst.threshold), poor.size(), checkpoints.size(), names(poor), poorFits, fits,
                poorSamples, samples, worst.lowest, SampleAnalysis.format(worst.lowestQ), worst.model, worst.lowestSeed,
                advice()));
    }

    private static String advice() {
        return "see r_squared in the JSON, or choose the scaling range with " + Message.setting("radius_range");
    }

    /** "a", "a and b", "a, b and c", or for many the first few, the last and a count: one readable line. */
    public static String names(List<String> names) {
        if (names.size() == 1) {
            return names.get(0);
        }
        if (names.size() > 6) {
            return String.join(", ", names.subList(0, 4)) + ", ... and " + names.get(names.size() - 1);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }
}
