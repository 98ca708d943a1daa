package org.histodraw.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.histodraw.app.bench.BenchRunner;
import org.histodraw.app.console.Terminal;
import org.histodraw.app.console.UserError;
import org.histodraw.app.cohort.CohortRunner;
import org.histodraw.app.demo.DemoRunner;
import org.histodraw.app.segment.SegmentationRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code histodraw} command: {@code segment}, {@code bench}, {@code demo}, {@code serve}, {@code ingest},
 * {@code service}, {@code cohort}. Errors are reported
 * by {@link ErrorReporter} as one line on stderr; exit codes are 0 (done), 1 (failed), 2 (usage).
 */
@Command(name = "histodraw", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Random-forest segmentation of large histology images from a few labelled regions.",
        footer = {"", "Run 'histodraw COMMAND --help' for the options of a command."})
public final class Main implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print the stack trace of errors.")
    boolean debug;

    /** The objects that do the work, replaceable in tests. */
    public record Runners(SegmentationRunner segment, BenchRunner bench, DemoRunner demo, CohortRunner cohort) {
        public static Runners defaults() {
            return new Runners(new SegmentationRunner(), new BenchRunner(), new DemoRunner(), new CohortRunner());
        }
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = run(Runners.defaults(), new Terminal(out, err, Terminal.detectInteractive()), args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Parses {@code args}, runs the command and returns the exit code; prints, never throws. */
    public static int run(Runners runners, Terminal terminal, String... args) {
        boolean debug = Arrays.asList(args).contains("--debug");
        ErrorReporter errors = new ErrorReporter(terminal.err(), debug);
        try {
            return commandLine(runners, terminal, errors).execute(args);
        } catch (OutOfMemoryError e) {
            errors.report(new UserError("out of memory: give Java more with HISTODRAW_JAVA_OPTS=-Xmx16g, or use a smaller --tile"));
            return ErrorReporter.FAILURE;
        }
    }

    static CommandLine commandLine(Runners runners, Terminal terminal, ErrorReporter errors) {
        CommandLine cli = new CommandLine(new Main());
        cli.addSubcommand(new SegmentCommand(runners.segment(), terminal));
        cli.addSubcommand(new BenchCommand(runners.bench(), terminal));
        cli.addSubcommand(new DemoCommand(runners.demo(), terminal));
        cli.addSubcommand(new ServeCommand(terminal));
        cli.addSubcommand(new IngestCommand(terminal));
        cli.addSubcommand(new ImportMicroDrawCommand(terminal));
        cli.addSubcommand(new ServiceCommand(terminal));
        cli.addSubcommand(new CohortCommand(runners.cohort(), terminal));
        cli.setOut(terminal.out());
        cli.setErr(terminal.err());
        cli.setParameterExceptionHandler(errors);
        cli.setExecutionExceptionHandler(errors);
        return cli;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "no command given: choose segment, bench, demo, serve, ingest, service or cohort");
    }

    /** The version Maven recorded in the jar. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            try (InputStream in = Main.class.getResourceAsStream("/META-INF/maven/org.histodraw/histodraw-app/pom.properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    return new String[] {"histodraw " + p.getProperty("version", "dev")};
                }
            } catch (IOException ignored) {
                // fall through to "dev"
            }
            return new String[] {"histodraw dev"};
        }
    }
}
