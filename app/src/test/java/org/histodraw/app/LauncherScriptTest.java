package org.histodraw.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code histodraw} script's up-to-date check, on a copy of the script in a tree of stand-ins:
 * a Maven wrapper that records each build and, like Maven's jar plugin, leaves an existing jar
 * alone (its classes did not change), and a {@code java} that says it ran. The app is built on the
 * first run, not on the next, once after a change anywhere a build reads, then not again; the
 * JVM's ahead-of-time cache is made once after a build that changed the jars and used by every run.
 */
class LauncherScriptTest {
    @TempDir
    Path root;

    @Test
    void theAppIsBuiltOnceAfterAChangeAndNotOnEveryRun() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        standInTree();
        write("jdk/bin/java", "#!/usr/bin/env bash\necho ran\n").toFile().setExecutable(true);

        assertThat(run()).as("a fresh tree").contains("building").contains("ran");
        assertThat(builds()).isEqualTo(1);
        assertThat(run()).doesNotContain("building").contains("ran");
        assertThat(builds()).isEqualTo(1);

        // A change to the viewer's sources after the last build (everything made a while ago).
        age(root, 100);
        Files.setLastModifiedTime(root.resolve("web/src/main/js/viewer.js"), FileTime.from(Instant.now().minusSeconds(50)));
        assertThat(run()).contains("building");
        assertThat(builds()).isEqualTo(2);
        assertThat(run()).as("the jar was left as it was, the app is up to date all the same").doesNotContain("building");
        assertThat(builds()).isEqualTo(2);

        // The viewer's npm project is an input of the build too.
        age(root, 100);
        Files.setLastModifiedTime(root.resolve("web/package.json"), FileTime.from(Instant.now().minusSeconds(50)));
        assertThat(run()).contains("building");
        assertThat(builds()).isEqualTo(3);
        assertThat(run()).doesNotContain("building");
    }

    @Test
    void theAheadOfTimeCacheIsMadeOnceAfterABuildUsedByEveryRunAndMadeAgainWhenTheJarsChange() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        standInTree();
        // A java that, asked to record a cache, writes one and logs it; asked to use one, says so.
        write("jdk/bin/java", """
                #!/usr/bin/env bash
                for a in "$@"; do
                  case "$a" in
                    -XX:AOTCacheOutput=*) echo cache > "${a#-XX:AOTCacheOutput=}"; echo trained >> "$(dirname "$0")/../../aot.log"; exit 0 ;;
                    -XX:AOTCache=*) echo "with cache ${a#-XX:AOTCache=}" ;;
                  esac
                done
                echo ran
                """).toFile().setExecutable(true);

        String first = run();
        assertThat(first).contains("building").contains("preparing a faster start")
                .contains("with cache " + root.resolve("app/target/histodraw.aot")).contains("ran");
        assertThat(Files.readAllLines(root.resolve("aot.log"))).hasSize(1);
        assertThat(run()).doesNotContain("preparing").contains("with cache").contains("ran");
        assertThat(Files.readAllLines(root.resolve("aot.log"))).as("made once, used after").hasSize(1);

        // A build that changed the app's jar: the cache no longer matches it and is made again.
        age(root, 100);
        Files.setLastModifiedTime(root.resolve("app/target/histodraw-app-0.1.jar"), FileTime.from(Instant.now().minusSeconds(50)));
        assertThat(run()).contains("preparing a faster start").contains("with cache");
        assertThat(Files.readAllLines(root.resolve("aot.log"))).hasSize(2);

        // HISTODRAW_AOT=0: no cache, made or used.
        assertThat(run("HISTODRAW_AOT", "0")).doesNotContain("with cache").contains("ran");
    }

    @Test
    void aJavaThatCannotMakeTheCacheIsNotAskedAgainUntilTheNextBuild() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        standInTree();
        // An older java: it runs the app but writes no cache.
        write("jdk/bin/java", """
                #!/usr/bin/env bash
                for a in "$@"; do
                  case "$a" in -XX:AOTCacheOutput=*) echo tried >> "$(dirname "$0")/../../aot.log" ;; esac
                done
                echo ran
                """).toFile().setExecutable(true);
        assertThat(run()).contains("ran").doesNotContain("with cache");
        assertThat(run()).doesNotContain("preparing").contains("ran");
        assertThat(Files.readAllLines(root.resolve("aot.log"))).hasSize(1);
    }

    /**
     * A checkout of stand-ins: poms, a source, the viewer's npm project, the demo image, and a Maven
     * wrapper that records each build and, like Maven's jar plugin, leaves an existing jar alone.
     */
    private void standInTree() throws IOException {
        Files.copy(Path.of("../histodraw"), root.resolve("histodraw"));
        root.resolve("histodraw").toFile().setExecutable(true);
        write("pom.xml", "<project/>");
        write("app/pom.xml", "<project/>");
        write("app/src/main/java/Main.java", "class Main {}");
        write("app/src/main/resources/org/histodraw/app/demo/ihc.png", "png");
        write("app/src/main/resources/org/histodraw/app/demo/ihc-regions.geojson", "{}");
        write("web/pom.xml", "<project/>");
        write("web/src/main/js/viewer.js", "export {};");
        write("web/package.json", "{}");
        write("web/build.mjs", "");
        write("mvnw", """
                #!/usr/bin/env bash
                echo build >> "$(dirname "$0")/builds.log"
                mkdir -p "$(dirname "$0")/app/target/lib"
                jar="$(dirname "$0")/app/target/histodraw-app-0.1.jar"
                [ -e "$jar" ] || echo jar > "$jar"
                """).toFile().setExecutable(true);
    }

    private Path write(String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private int builds() throws IOException {
        return Files.readAllLines(root.resolve("builds.log")).size();
    }

    /** Dates every file of the tree {@code seconds} ago. */
    private static void age(Path dir, int seconds) throws IOException {
        FileTime then = FileTime.from(Instant.now().minusSeconds(seconds));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.toList()) {
                Files.setLastModifiedTime(p, then);
            }
        }
    }

    private String run(String... environment) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(root.resolve("histodraw").toString(), "--help")).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", root.resolve("jdk").toString());
        for (int i = 0; i + 1 < environment.length; i += 2) {
            pb.environment().put(environment[i], environment[i + 1]);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
