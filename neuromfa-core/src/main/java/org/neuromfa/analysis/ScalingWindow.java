package org.neuromfa.analysis;

import java.util.ArrayList;
import java.util.List;
import org.neuromfa.NeuroMfaException;
import org.neuromfa.spectrum.MassExponents;
import org.neuromfa.spectrum.PartitionFunction;
import org.neuromfa.spectrum.RadiusRange;
import org.neuromfa.spectrum.ScalingEvidence;
import org.neuromfa.spectrum.ScalingRangeSearch;
import org.neuromfa.spectrum.SingularitySpectrum;

/**
 * The scaling range of one checkpoint chosen from its samples ({@code --radius-range auto}, METHOD.md
 * section 5.10), and what its fits reach: the window {@code [lo, hi]} found by
 * {@link ScalingRangeSearch}, the target R^2 ({@code --min-r-squared}) and whether it was reached, and
 * the lowest and median R^2 of the fits over the window. {@link #fit} chooses the window and fits
 * every sample over it; the same window serves every q and every seed. Immutable.
 */
public final class ScalingWindow {
    public final ScalingRangeSearch.Outcome outcome;
    public final int lo;
    public final int hi;
    public final double lnSpan;
    public final double minLnSpan;
    public final double target;
    public final double lowestRSquared;
    public final double medianRSquared;
    /** Windows that met the constraints (the search's candidates). */
    public final int windows;

    private ScalingWindow(ScalingRangeSearch.Outcome outcome, int lo, int hi, double lnSpan, double minLnSpan,
                          double target, double lowestRSquared, double medianRSquared, int windows) {
        this.outcome = outcome;
        this.lo = lo;
        this.hi = hi;
        this.lnSpan = lnSpan;
        this.minLnSpan = minLnSpan;
        this.target = target;
        this.lowestRSquared = lowestRSquared;
        this.medianRSquared = medianRSquared;
        this.windows = windows;
    }

    /** A window as it was recorded (read back from a result file). */
    public static ScalingWindow stored(ScalingRangeSearch.Outcome outcome, int lo, int hi, double lnSpan,
                                       double minLnSpan, double target, double lowestRSquared, double medianRSquared,
                                       int windows) {
        return new ScalingWindow(outcome, lo, hi, lnSpan, minLnSpan, target, lowestRSquared, medianRSquared, windows);
    }

    /** Whether every fit over the window reaches the target. */
    public boolean targetReached() {
        return outcome == ScalingRangeSearch.Outcome.TARGET_REACHED;
    }

    /** Samples fitted over a chosen window, and the window. */
    public static final class Fitted {
        public final ScalingWindow window;
        public final List<SampleResult> samples;

        Fitted(ScalingWindow window, List<SampleResult> samples) {
            this.window = window;
            this.samples = List.copyOf(samples);
        }
    }

    /**
     * Chooses the window from the partition functions of {@code samples} (each fitted over all radii,
     * as {@link SampleAnalysis} leaves them under {@code --radius-range auto}) and fits each sample over
     * it: tau, the spectrum and the quality filter's verdict anew, the evidence kept when the options
     * ask for it, the partition function dropped.
     */
    public static Fitted fit(List<SampleResult> samples, AnalysisOptions options) {
        List<PartitionFunction> partitions = new ArrayList<>();
        for (SampleResult s : samples) {
            if (s.partition() == null) {
                throw new IllegalStateException("seed " + s.seed() + " has no partition function to choose a scaling range from");
            }
            partitions.add(s.partition());
        }
        double target = options.spectrum().minRSquared();
        ScalingRangeSearch.Choice choice = ScalingRangeSearch.choose(partitions, target);
        List<SampleResult> fitted = new ArrayList<>();
        for (SampleResult s : samples) {
            fitted.add(refit(s, choice.range, options));
        }
        FitSummary fits = FitSummary.of(fitted, options.qGrid().values(), target);
        return new Fitted(new ScalingWindow(choice.outcome, choice.lo, choice.hi, choice.lnSpan, choice.minLnSpan,
                target, fits.lowest, fits.median, choice.windows), fitted);
    }

    private static SampleResult refit(SampleResult s, RadiusRange range, AnalysisOptions options) {
        PartitionFunction z = s.partition();
        MassExponents exponents;
        try {
            exponents = MassExponents.fit(z, range);
        } catch (NeuroMfaException e) {
            throw new NeuroMfaException(null, e.message().prefixed("seed " + s.seed() + ": "), null);
        }
        SingularitySpectrum spectrum = options.spectrum().estimator().spectrum(options.qGrid(), exponents.tau());
        return s.refitted(exponents, spectrum, options.filter().keeps(spectrum.alpha(), spectrum.f()),
                options.evidence() ? ScalingEvidence.of(z, options.qGrid()) : null);
    }
}
