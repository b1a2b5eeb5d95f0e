package ldm4j.diffusion.sampler;

import ldm4j.diffusion.schedule.NoiseSchedule;

/**
 * The exact output distribution of a sampler driven by the Gaussian oracle, computed in double
 * precision without tensors or sampling.
 *
 * <p>Under the oracle of N(μ, σ²) the data prediction is affine in x_t: x̂_0 = μ + g (x_t − √ᾱ μ)
 * with g = √ᾱ σ²/(ᾱ σ² + 1 − ᾱ). Every update is then affine in x_t (plus independent noise), so
 * x = k·x_T + c + (noise of variance v), and (k, c, v) can be carried through the steps. The
 * result is mean c and std √(k² + v): the sampler's discretisation bias with no sampling error.
 * Written from the papers' update rules in scalar form, independently of the tensor code.
 */
final class ExactMoments {
    private ExactMoments() {}

    /** {mean, std} of the sampler's output for x_T ~ N(0, 1). */
    static double[] of(Sampler sampler, NoiseSchedule s, int[] ts, double eta, double mu, double sigma) {
        double k = 1;
        double c = 0;
        double v = 0;
        double prevK = 0;                            // DPM-Solver++: previous x̂_0 = prevK x_T + prevC
        double prevC = 0;
        int prevT = Integer.MIN_VALUE;
        for (int i = 0; i < ts.length; i++) {
            int t = ts[i];
            int tPrev = i + 1 < ts.length ? ts[i + 1] : -1;
            double a = s.alphaBar(t);
            double ap = s.alphaBar(tPrev);
            double g = Math.sqrt(a) * sigma * sigma / (a * sigma * sigma + 1 - a);
            double x0K = g * k;                      // x̂_0 = x0K x_T + x0C, noise variance g² v
            double x0C = mu - g * Math.sqrt(a) * mu + g * c;
            switch (sampler) {
                case DDPM -> {
                    // q(x_s | x_t, x̂_0): coef1 x̂_0 + coef2 x_t + √β̃ z (Ho et al. 2020, eq. 7)
                    double beta = 1 - a / ap;
                    double coef1 = Math.sqrt(ap) * beta / (1 - a);
                    double coef2 = Math.sqrt(a / ap) * (1 - ap) / (1 - a);
                    double m = coef1 * g + coef2;
                    c = coef1 * (mu - g * Math.sqrt(a) * mu) + m * c;
                    k = m * k;
                    v = m * m * v + beta * (1 - ap) / (1 - a);
                }
                case DDIM -> {
                    // x_s = √ᾱ_s x̂_0 + √(1 − ᾱ_s − σ²) ε̂ + σ z, ε̂ = (x_t − √ᾱ x̂_0)/√(1 − ᾱ) (Song et al. 2021, eq. 12)
                    double sig = eta * Math.sqrt((1 - ap) / (1 - a) * (1 - a / ap));
                    double dir = Math.sqrt(Math.max(1 - ap - sig * sig, 0));
                    double eK = (1 - Math.sqrt(a) * g) / Math.sqrt(1 - a);
                    double eC = -Math.sqrt(a) * (mu - g * Math.sqrt(a) * mu) / Math.sqrt(1 - a);
                    double m = Math.sqrt(ap) * g + dir * eK;
                    c = Math.sqrt(ap) * (mu - g * Math.sqrt(a) * mu) + dir * eC + m * c;
                    k = m * k;
                    v = m * m * v + sig * sig;
                }
                case DPMPP_2M -> {
                    if (tPrev < 0) {
                        k = x0K;
                        c = x0C;
                        continue;
                    }
                    double lam = 0.5 * Math.log(a / (1 - a));
                    double h = 0.5 * Math.log(ap / (1 - ap)) - lam;
                    double dK = x0K;
                    double dC = x0C;
                    if (prevT != Integer.MIN_VALUE && tPrev != 0) {
                        double r = (lam - 0.5 * Math.log(s.alphaBar(prevT) / (1 - s.alphaBar(prevT)))) / h;
                        dK = x0K + (x0K - prevK) / (2 * r);
                        dC = x0C + (x0C - prevC) / (2 * r);
                    }
                    prevK = x0K;
                    prevC = x0C;
                    prevT = t;
                    double ratio = Math.sqrt((1 - ap) / (1 - a));
                    double phi = Math.exp(-h) - 1;
                    k = ratio * k - Math.sqrt(ap) * phi * dK;
                    c = ratio * c - Math.sqrt(ap) * phi * dC;
                }
            }
        }
        return new double[] {c, Math.sqrt(k * k + v)};
    }
}
