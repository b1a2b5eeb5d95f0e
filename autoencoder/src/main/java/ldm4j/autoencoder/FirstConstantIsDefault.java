package ldm4j.autoencoder;

/**
 * Jackson value filter for a config enum whose first constant is its default ({@link LatentKind},
 * {@link Trunk}): true for that constant (and null), which is then left out of the JSON, so configs
 * written before the key existed keep their text and their fingerprints.
 */
final class FirstConstantIsDefault {
    @Override
    public boolean equals(Object value) {
        return value == null || value instanceof Enum<?> e && e.ordinal() == 0;
    }

    @Override
    public int hashCode() {
        return 0;
    }
}
