package ldm4j.diffusion.sampler;

/** Sample mean and standard deviation, and the affine fit out ≈ k·in + c, in double precision. */
record Moments(double mean, double std) {
    static Moments of(float[] values) {
        double mean = 0;
        for (float v : values) {
            mean += v;
        }
        mean /= values.length;
        double var = 0;
        for (float v : values) {
            var += (v - mean) * (v - mean);
        }
        return new Moments(mean, Math.sqrt(var / (values.length - 1)));
    }

    /**
     * Least-squares {k, c} of out = k·in + c. A deterministic sampler driven by the Gaussian oracle
     * is exactly such a map of x_T, so k and c are its discretised std and mean, free of sampling
     * error.
     */
    static double[] affineFit(float[] out, float[] in) {
        Moments mi = of(in);
        Moments mo = of(out);
        double cov = 0;
        for (int i = 0; i < in.length; i++) {
            cov += (in[i] - mi.mean) * (out[i] - mo.mean);
        }
        cov /= in.length - 1;
        double k = cov / (mi.std * mi.std);
        return new double[] {k, mo.mean - k * mi.mean};
    }

    /** The values of one half of a batch laid out as (N, …), flattened. */
    static float[] half(float[] values, int which) {
        int n = values.length / 2;
        float[] out = new float[n];
        System.arraycopy(values, which * n, out, 0, n);
        return out;
    }
}
