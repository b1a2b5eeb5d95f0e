package ldm4j.cli;

import java.io.PrintWriter;
import ldm4j.cli.options.Verbosity;
import ldm4j.core.InputException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures into one line and an exit code: 2 for bad input (flags, files, configs,
 * checkpoints), 1 for anything else. The stack trace appears only with {@code --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (Verbosity.isVerbose()) {
            e.printStackTrace(err);
        }
        Throwable cause = rootInputException(e);
        if (cause instanceof InputException input) {
            err.println("ldm4j: " + input.getMessage());
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

    private static Throwable rootInputException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InputException) {
                return c;
            }
        }
        return t;
    }

    private static String describe(Throwable t) {
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
    }
}
