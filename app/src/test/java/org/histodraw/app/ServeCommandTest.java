package org.histodraw.app;

import static org.assertj.core.api.Assertions.assertThat;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.histodraw.app.console.Terminal;
import org.junit.jupiter.api.Test;


class ServeCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(Main.Runners.defaults(), new Terminal(new PrintWriter(out, true), new PrintWriter(err, true), false), args);
    }

    @Test
    void aPortOutOfRangeIsAUsageError() {
        assertThat(run("serve", "--port", "70000")).isEqualTo(2);
        assertThat(err.toString()).contains("--port must be 0..65535, not 70000");
    }

    @Test
    void aDatabaseThatIsNotAJdbcUrlIsRefused() {
        assertThat(run("serve", "--database", "postgres://db/x")).isEqualTo(1);
        assertThat(err.toString()).contains("expected a JDBC URL");
    }

    @Test
    void anAdministratorNeedsAPasswordFromTheEnvironment() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("HISTODRAW_ADMIN_PASSWORD") == null);
        assertThat(run("serve", "--admin", "root")).isEqualTo(1);
        assertThat(err.toString()).contains("HISTODRAW_ADMIN_PASSWORD");
    }

    @Test
    void theUploadLimitTakesSizesWithUnitsAndRefusesNonsense() {
        ServeCommand serve = new ServeCommand(new Terminal(new PrintWriter(out, true), new PrintWriter(err, true), false));
        picocli.CommandLine line = new picocli.CommandLine(serve);
        line.parseArgs("--max-upload", "500M", "--data", System.getProperty("java.io.tmpdir"));
        assertThat(serve.config().maxUploadBytes()).isEqualTo(500L << 20);
        line.parseArgs("--data", System.getProperty("java.io.tmpdir"));
        assertThat(serve.config().maxUploadBytes()).isEqualTo(32L << 30);
        line.parseArgs("--max-upload", "1048576", "--data", System.getProperty("java.io.tmpdir"));
        assertThat(serve.config().maxUploadBytes()).isEqualTo(1L << 20);
        for (String bad : new String[] {"lots", "0", "5 GB extra", "9999999T", "1.5G", "1234567890123456789"}) {
            err.getBuffer().setLength(0);
            assertThat(run("serve", "--max-upload", bad)).as(bad).isEqualTo(2);
            assertThat(err.toString()).as(bad).contains("--max-upload must be");
        }
    }
}
