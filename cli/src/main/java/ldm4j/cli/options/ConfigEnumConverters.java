package ldm4j.cli.options;

import java.util.LinkedHashSet;
import java.util.Set;
import ldm4j.core.io.ConfigEnum;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.TypeConversionException;

/**
 * Flags that take a choice read it the way configs do: by the enum's id ({@code --sampler dpm++2m},
 * {@code --loss l1}; {@link ConfigEnum#find}), and an unknown value fails with one line that names
 * the flag and lists the ids.
 */
public final class ConfigEnumConverters {
    private ConfigEnumConverters() {}

    /** Registers a converter with {@code cli} for every {@link ConfigEnum} type an option of it, or of a subcommand, takes. */
    public static void register(CommandLine cli) {
        Set<Class<?>> types = new LinkedHashSet<>();
        collect(cli.getCommandSpec(), types);
        for (Class<?> type : types) {
            cli.registerConverter(cast(type), text -> convert(type, text));
        }
    }

    /** The constant {@code text} names, or the exception picocli reports as "Invalid value for option '--x': …". */
    static Object convert(Class<?> type, String text) {
        ConfigEnum e = ConfigEnum.find(type, text);
        if (e == null) {
            throw new TypeConversionException(ConfigEnum.unknown(type, text));
        }
        return e;
    }

    private static void collect(CommandSpec spec, Set<Class<?>> into) {
        for (OptionSpec o : spec.options()) {
            if (o.type().isEnum() && ConfigEnum.class.isAssignableFrom(o.type())) {
                into.add(o.type());
            }
        }
        spec.subcommands().values().forEach(sub -> collect(sub.getCommandSpec(), into));
    }

    @SuppressWarnings("unchecked")
    private static Class<Object> cast(Class<?> type) {
        return (Class<Object>) type;
    }
}
