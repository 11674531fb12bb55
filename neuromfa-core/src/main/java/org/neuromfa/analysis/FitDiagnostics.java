package org.neuromfa.analysis;

import java.util.Locale;
import org.neuromfa.Message;

/**
 * Judges the fits of tau(q) of one checkpoint: the least-squares lines of {@code ln Z_q(r)} against
 * {@code ln(r/D)} whose R^2 falls below the threshold of {@link org.neuromfa.spectrum.SpectrumOptions}
 * suggest that the partition function does not scale over the chosen radii, so the exponents (and the
 * spectrum built from them) are less trustworthy.
 */
public final class FitDiagnostics {
    private FitDiagnostics() {
    }

    /** A one-line warning for the whole checkpoint, or null when every fit reaches the threshold. */
    public static Message lowRSquaredWarning(CheckpointResult result) {
        double threshold = result.options.spectrum().minRSquared();
        double[] q = result.options.qGrid().values();
        int poorSamples = 0;
        int poorFits = 0;
        int fits = 0;
        double lowest = Double.POSITIVE_INFINITY;
        double lowestQ = Double.NaN;
        long lowestSeed = -1;
        for (SampleResult s : result.samples) {
            boolean poor = false;
            double[] rSquared = s.rSquared();
            for (int k = 0; k < rSquared.length; k++) {
                double r2 = rSquared[k];
                fits++;
                if (r2 < threshold) {
                    poor = true;
                    poorFits++;
                    if (r2 < lowest) {
                        lowest = r2;
                        lowestQ = q[k];
                        lowestSeed = s.seed();
                    }
                }
            }
            if (poor) {
                poorSamples++;
            }
        }
        if (poorFits == 0) {
            return null;
        }
        return Message.of(String.format(Locale.ROOT, "warning: %s: R^2 of the tau(q) fit is below %s for %d of %d"
                        + " exponents in %d of %d samples (lowest %.4f at q = %s, seed %d); see r_squared in the JSON,"
                        + " or choose the scaling range with %s",
                result.model, SampleAnalysis.format(threshold), poorFits, fits, poorSamples, result.samples.size(),
                lowest, SampleAnalysis.format(lowestQ), lowestSeed, Message.setting("radius_range")));
    }
}
