package ldm4j.core.io;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * An enum whose constants configs, checkpoints and the command line spell by a name of their own,
 * {@link #id()} ({@code scaled-linear}, {@code dpm++2m}, {@code min-snr}), not by the Java constant.
 * {@link Json}'s mappers write every such enum as its id and read it back with {@link #find}; the
 * CLI converts flags the same way. An unknown name fails with one line that lists the ids.
 *
 * <p>Reading ignores case and surrounding blanks, and also takes the constant's Java name
 * ({@code L1}, {@code COSINE}, {@code LEADING}): that is how checkpoints and configs written before
 * the enums had ids spell some of them.
 */
public interface ConfigEnum {
    /** The name used in configs, checkpoints and on the command line. */
    String id();

    /**
     * The constant of {@code type} that {@code text} names (its id or its Java name, any case), or
     * null when none does.
     *
     * @param type an enum class that implements {@link ConfigEnum}
     */
    static ConfigEnum find(Class<?> type, String text) {
        if (text == null) {
            return null;
        }
        String key = text.trim();
        for (Object c : type.getEnumConstants()) {
            ConfigEnum e = (ConfigEnum) c;
            if (e.id().equalsIgnoreCase(key) || ((Enum<?>) c).name().equalsIgnoreCase(key)) {
                return e;
            }
        }
        return null;
    }

    /**
     * The constant of {@code type} that {@code text} names.
     *
     * @throws IllegalArgumentException "expected one of linear, scaled-linear, cosine, got 'x'"
     */
    static <E extends Enum<E> & ConfigEnum> E parse(Class<E> type, String text) {
        ConfigEnum e = find(type, text);
        if (e == null) {
            throw new IllegalArgumentException(unknown(type, text));
        }
        return type.cast(e);
    }

    /** The one-line complaint about {@code text}: "expected one of a, b, c, got 'x'". */
    static String unknown(Class<?> type, String text) {
        return "expected one of " + ids(type) + ", got '" + text + "'";
    }

    /** The ids of {@code type}'s constants in declaration order, comma-separated: "eps, v". */
    static String ids(Class<?> type) {
        return Arrays.stream(type.getEnumConstants()).map(c -> ((ConfigEnum) c).id()).collect(Collectors.joining(", "));
    }
}
