package org.histodraw.app;

import static org.assertj.core.api.Assertions.assertThat;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.histodraw.app.console.Terminal;
import org.junit.jupiter.api.Test;


class ServiceCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(Main.Runners.defaults(), new Terminal(new PrintWriter(out, true), new PrintWriter(err, true), false), args);
    }

    @Test
    void theServerUrlIsRequired() {
        assertThat(run("service", "--port", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("--server");
    }

    @Test
    void aServerThatIsNotAnHttpUrlIsRefusedInOneLine() {
        assertThat(run("service", "--server", "ftp://host/x")).isEqualTo(1);
        assertThat(err.toString()).contains("expected an http or https URL").doesNotContain("Exception");
    }

    @Test
    void theServiceHoldsNoTokenOfItsOwn() {
        assertThat(run("service", "--server", "http://127.0.0.1:8080", "--token", "t")).as("no such option").isEqualTo(2);
        assertThat(err.toString()).contains("--token");
    }

    @Test
    void thePortAndThreadsMustBeInRange() {
        assertThat(run("service", "--server", "http://127.0.0.1:8080", "--port", "70000")).isEqualTo(2);
        assertThat(err.toString()).contains("--port must be 0..65535");
        assertThat(run("service", "--server", "http://127.0.0.1:8080", "--threads", "0")).isEqualTo(2);
    }
}
