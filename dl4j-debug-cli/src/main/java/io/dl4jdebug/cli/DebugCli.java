package io.dl4jdebug.cli;

import io.dl4jdebug.cli.diagnose.DiagnoseCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the command-line distribution ({@code bin/dl4j-debug} of {@code dl4j-debug-VERSION.tar.gz}): the
 * commands for a user's own model, {@code diagnose} and {@code check-backend}. The repository's {@code ./dl4j-debug}
 * launcher runs the samples' entry point, which adds the case study, the gallery, the scenarios, the demo and the
 * benchmark to these.
 */
@Command(name = "dl4j-debug", mixinStandardHelpOptions = true, version = "dl4j-debug 0.1.0",
        description = "Training debugger for Deeplearning4j: diagnose a model on its data.",
        subcommands = {BackendCheckCommand.class, DiagnoseCommand.class})
public final class DebugCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(run(new DebugCli(), args));
    }

    /**
     * Runs a picocli command line with the shutdown watchdog installed (a terminated run, SIGTERM, exits within the
     * watchdog's limit, whatever shutdown hook is still running).
     *
     * @param command the top command, its subcommands registered by annotation
     * @param args    command-line arguments
     * @return the exit code
     */
    public static int run(Object command, String[] args) {
        ShutdownWatchdog.install(ShutdownWatchdog.LIMIT);
        return new CommandLine(command).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
