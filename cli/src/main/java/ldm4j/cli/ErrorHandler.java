package ldm4j.cli;

import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import ldm4j.cli.options.Verbosity;
import ldm4j.core.InputException;
import ldm4j.core.data.DataSource;
import ldm4j.core.io.AtomicFiles;
import ldm4j.core.io.InputFiles;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures into one line and an exit code: 2 for bad input (flags, files, configs,
 * checkpoints), 1 for anything else. The stack trace appears only with {@code --verbose}.
 *
 * <p>A line about a file says which flag named it. A {@link FileSystemException} that no reader
 * turned into an {@link InputException} (its message is the OS's bare "Is a directory") becomes
 * "PATH: is a directory, expected a .png file (--out)": what stands at the path, and what the
 * flag's parameter label asks for.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (Verbosity.isVerbose()) {
            e.printStackTrace(err);
        }
        List<PathArg> args = PathArg.of(cmd);
        InputException input = find(e, InputException.class);
        if (input != null) {
            err.println("ldm4j: " + input.getMessage() + context(input.file(), input.getMessage(), args));
            err.flush();
            return InputException.EXIT_CODE;
        }
        FileSystemException fs = find(e, FileSystemException.class);
        if (fs != null && InputFiles.isPathFault(fs)) {
            err.println("ldm4j: " + describe(fs, args));
            err.flush();
            return InputException.EXIT_CODE;
        }
        err.println("ldm4j: error: " + describe(e) + (Verbosity.isVerbose() ? "" : " (run with --verbose for details)"));
        err.flush();
        return 1;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        if (Verbosity.isVerbose()) {
            e.printStackTrace(err);
        }
        err.println("ldm4j: " + e.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return InputException.EXIT_CODE;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /** "PATH: is a directory, expected a .png file (--out)" for an OS error about a path. */
    static String describe(FileSystemException e, List<PathArg> args) {
        Path file = e.getFile() == null ? null : AtomicFiles.targetOf(Path.of(e.getFile()));
        Path other = e.getOtherFile() == null ? null : AtomicFiles.targetOf(Path.of(e.getOtherFile()));
        // a failed rename names the temporary first; the user named the other one
        Path subject = file == null || (other != null && related(other, args) != null && related(file, args) == null)
                ? other : file;
        if (subject == null) {
            return describe((Exception) e);
        }
        Related r = related(subject, args);
        String expected = r == null ? null : r.expected();
        String reason = InputFiles.reason(subject, e);
        boolean written = !subject.toString().equals(e.getFile()) && !subject.toString().equals(e.getOtherFile());
        if (written && !Files.exists(subject)) {
            // the write failed on its temporary sibling: the target's absence is no reason
            reason = "cannot be written (" + InputFiles.osReason(e) + ")";
        }
        return subject + ": " + reason + (expected == null ? "" : ", expected " + expected) + context(subject, "", args);
    }

    /** " (--ae)", " (inside --ae DIR)", " (parent of --out FILE)", or "" when no flag named the file. */
    private static String context(Path file, String message, List<PathArg> args) {
        Related r = file == null ? null : related(file, args);
        if (r == null || !r.arg().option() || message.contains(r.arg().name())) {
            return "";
        }
        return switch (r.how()) {
            case SAME -> " (" + r.arg().name() + ")";
            case INSIDE -> " (inside " + r.arg().name() + " " + r.value() + ")";
            case PARENT -> " (parent of " + r.arg().name() + " " + r.value() + ")";
        };
    }

    /**
     * The flag whose path {@code file} is, else lies in, else is a parent of; null when none, or when
     * two flags fit equally well (say {@code --ae X --data idx:X}) and the line cannot tell which.
     */
    private static Related related(Path file, List<PathArg> args) {
        Path f = file.toAbsolutePath().normalize();
        for (How how : How.values()) {
            Related found = null;
            for (PathArg a : args) {
                for (Path v : a.paths()) {
                    Path p = v.toAbsolutePath().normalize();
                    boolean match = switch (how) {
                        case SAME -> f.equals(p);
                        case INSIDE -> f.startsWith(p);
                        case PARENT -> p.startsWith(f);
                    };
                    if (match && found != null && found.arg() != a) {
                        return null;
                    }
                    if (match && found == null) {
                        found = new Related(a, v, how);
                    }
                }
            }
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String describe(Throwable t) {
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
    }

    /** How a failing path stands to a flag's path. */
    private enum How { SAME, INSIDE, PARENT }

    private record Related(PathArg arg, Path value, How how) {
        /** What the flag asked of this path, from its parameter label: DIR, FILE.png, CONFIG.yaml. */
        String expected() {
            if (how == How.PARENT) {
                return "a directory";
            }
            if (how == How.INSIDE) {
                return null;
            }
            String label = arg.label();
            if (label.equals("DIR")) {
                return "a directory";
            }
            int dot = label.lastIndexOf('.');
            return dot > 0 ? "a " + label.substring(dot).toLowerCase(Locale.ROOT) + " file" : null;
        }
    }

    /**
     * A flag that names files: a {@link Path} option, or a dataset spec ({@code idx:FILE},
     * {@code folder:DIR}, ...). Positional arguments count too, for what their label asks; a line
     * does not name them, since the command has only the one.
     */
    record PathArg(String name, boolean option, String label, List<Path> paths) {
        /** The path arguments of the command that ran, with the values it ran with (defaults included). */
        static List<PathArg> of(CommandLine cmd) {
            List<PathArg> out = new ArrayList<>();
            List<ArgSpec> specs = new ArrayList<>(cmd.getCommandSpec().options());
            specs.addAll(cmd.getCommandSpec().positionalParameters());
            for (ArgSpec a : specs) {
                boolean option = a instanceof OptionSpec;
                String name = option ? ((OptionSpec) a).longestName() : a.paramLabel();
                Object value = a.getValue();
                if (value instanceof Path p) {
                    out.add(new PathArg(name, option, a.paramLabel(), List.of(p)));
                } else if (value instanceof String s && a.paramLabel().contains("SPEC")) {
                    try {
                        out.add(new PathArg(name, option, a.paramLabel(), DataSource.parse(s).paths()));
                    } catch (InputException notASpec) {
                        // the command reports that itself
                    }
                }
            }
            return out;
        }
    }
}
