package io.dl4jdebug.samples;

import io.dl4jdebug.cli.BackendCheckCommand;
import io.dl4jdebug.cli.DebugCli;
import io.dl4jdebug.samples.bench.MonitorOverheadCommand;
import io.dl4jdebug.samples.casestudy.CaseStudyCommand;
import io.dl4jdebug.samples.demo.DemoCommand;
import io.dl4jdebug.cli.diagnose.DiagnoseCommand;
import io.dl4jdebug.samples.gallery.GalleryCommand;
import io.dl4jdebug.samples.scenarios.ScenariosCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the repository's {@code ./dl4j-debug} launcher: the command line's commands ({@code diagnose},
 * {@code check-backend}, module dl4j-debug-cli) and the samples' (case study, demo, gallery, scenarios, bench).
 */
@Command(name = "dl4j-debug", mixinStandardHelpOptions = true, version = "dl4j-debug 0.1.0",
        description = "Training debugger for Deeplearning4j: diagnose a model, demos, case study, benchmarks.",
        footer = {"", "Optional module dl4j-debug-spark-demo (the launcher runs it):",
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
        System.exit(DebugCli.run(new Dl4jDebugCli(), args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
