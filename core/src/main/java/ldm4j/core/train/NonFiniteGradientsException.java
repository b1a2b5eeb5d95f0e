package ldm4j.core.train;

/**
 * Thrown by {@link NonFiniteGuard} when too many optimizer steps in a row had NaN or infinite
 * gradients: training has diverged and skipping more steps will not bring it back.
 */
public class NonFiniteGradientsException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public NonFiniteGradientsException(String message) {
        super(message);
    }
}
