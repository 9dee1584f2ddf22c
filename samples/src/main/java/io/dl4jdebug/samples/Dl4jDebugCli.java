package io.dl4jdebug.samples;

import io.dl4jdebug.samples.bench.MonitorOverheadCommand;
import io.dl4jdebug.samples.casestudy.CaseStudyCommand;
import io.dl4jdebug.samples.demo.DemoCommand;
import io.dl4jdebug.samples.diagnose.DiagnoseCommand;
import io.dl4jdebug.samples.gallery.GalleryCommand;
import io.dl4jdebug.samples.scenarios.ScenariosCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./dl4j-debug}: picocli subcommands. */
@Command(name = "dl4j-debug", mixinStandardHelpOptions = true, version = "dl4j-debug 0.1.0",
        description = "Training debugger for Deeplearning4j: demos and benchmarks.",
        footer = {"", "Optional module dl4j-debug-spark (the launcher runs it):",
                "  spark-demo     Healthy and diverging Fashion-MNIST runs on DL4J's Spark",
                "                   training, findings merged at the driver; --help for its",
                "                   options."},
        subcommands = {BackendCheckCommand.class, CaseStudyCommand.class, DemoCommand.class, DiagnoseCommand.class,
                GalleryCommand.class, MonitorOverheadCommand.class, ScenariosCommand.class})
public final class Dl4jDebugCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        // a terminated run (SIGTERM) exits within the watchdog's limit, whatever hook is still running
        ShutdownWatchdog.install(ShutdownWatchdog.LIMIT);
        int code = new CommandLine(new Dl4jDebugCli()).execute(args);
        System.exit(code);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
