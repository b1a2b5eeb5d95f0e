package ldm4j.pipeline.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

/**
 * Runs a {@link FeatureClassifier} in inference mode (BatchNorm on its running statistics, no
 * dropout) over a uint8 image block, one batch per NDManager scope, and copies the results to the
 * heap.
 */
final class ClassifierInference {
    /**
     * What came out for every image.
     *
     * @param features N × featureDim, or null when not asked for
     * @param predictions N arg-max classes
     * @param topProbability N softmax probabilities of those classes
     */
    record Outputs(double[][] features, int[] predictions, float[] topProbability) {
        /** The predictions with their probabilities. */
        ClassPredictions classes() {
            return new ClassPredictions(predictions, topProbability);
        }
    }

    private ClassifierInference() {}

    /**
     * @param model an initialised network whose parameters live on {@code root}
     * @param root parent of the per-batch scopes
     * @param pixels N×C×H×W uint8
     * @param withFeatures whether to copy the features out (the predictions always are)
     */
    static Outputs run(FeatureClassifier model, NDManager root, byte[] pixels, int n, int c, int h, int w,
            int batchSize, boolean withFeatures) {
        double[][] features = withFeatures ? new double[n][] : null;
        int[] predictions = new int[n];
        float[] top = new float[n];
        for (int first = 0; first < n; first += batchSize) {
            int size = Math.min(batchSize, n - first);
            try (NDManager scope = root.newSubManager()) {
                NDArray x = PixelTensors.toModelInput(scope, pixels, first, size, c, h, w);
                NDList out = model.forward(new ParameterStore(scope, false), new NDList(x), false);
                topClasses(out.get(0), predictions, top, first);
                if (withFeatures) {
                    float[] f = out.get(1).toFloatArray();
                    int dim = f.length / size;
                    for (int k = 0; k < size; k++) {
                        double[] row = new double[dim];
                        for (int j = 0; j < dim; j++) {
                            row[j] = f[k * dim + j];
                        }
                        features[first + k] = row;
                    }
                }
            }
        }
        return new Outputs(features, predictions, top);
    }

    /**
     * Writes the arg-max class of each row of {@code logits} (B × classes) and its softmax
     * probability into {@code classes} and {@code top} from index {@code first} on. The class is
     * the logits' arg-max, so a tie that softmax rounds away cannot change a prediction.
     */
    static void topClasses(NDArray logits, int[] classes, float[] top, int first) {
        long[] argMax = logits.argMax(1).toLongArray();
        float[] max = logits.softmax(1).max(new int[] {1}).toFloatArray();
        for (int k = 0; k < argMax.length; k++) {
            classes[first + k] = (int) argMax[k];
            top[first + k] = max[k];
        }
    }

    /** Fraction of {@code predictions} equal to {@code labels}. */
    static double accuracy(int[] predictions, int[] labels) {
        int right = 0;
        for (int i = 0; i < predictions.length; i++) {
            if (predictions[i] == labels[i]) {
                right++;
            }
        }
        return predictions.length == 0 ? Double.NaN : (double) right / predictions.length;
    }
}
