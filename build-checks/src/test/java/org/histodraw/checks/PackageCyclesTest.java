package org.histodraw.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The build check that keeps every module's package graph one-way: it runs in each module (the
 * parent pom adds this source to every module's tests), asks the JDK's {@code jdeps} which of the
 * module's own packages use which, and fails on any cycle, naming the packages and the edges that
 * close it. Packages depend downwards (in the server: api -> collab, tiles, overlay, exchange,
 * geometry -> store, auth); a loop means two packages are really one, or an HTTP type or a piece
 * of wiring sits too low.
 */
class PackageCyclesTest {
    private static final Pattern EDGE = Pattern.compile("^\\s+(org\\.histodraw\\.[\\w.]+|db\\.migration)\\s+->\\s+(org\\.histodraw\\.[\\w.]+|db\\.migration)\\s");

    /**
     * Edges known to close a cycle that another branch removes, so that branches can merge in any
     * order. Each must still exist (the test says when it is gone, so the line goes too).
     */
    private static final Set<String> ON_THEIR_WAY_OUT = Set.of();

    @Test
    void theModulesPackagesDependOnEachOtherOneWay() {
        Path classes = Path.of("target", "classes");
        Map<String, Set<String>> graph = packageGraph(classes);
        List<String> gone = new ArrayList<>();
        for (String edge : ON_THEIR_WAY_OUT) {
            String[] ends = edge.split(" -> ");
            if (graph.containsKey(ends[0]) || graph.containsKey(ends[1])) {
                if (!graph.getOrDefault(ends[0], Set.of()).remove(ends[1])) {
                    gone.add(edge);
                }
            }
        }
        assertThat(gone).as("edges listed in ON_THEIR_WAY_OUT that no longer exist: remove them from the list").isEmpty();
        List<String> cycles = new ArrayList<>();
        for (Set<String> component : stronglyConnected(graph)) {
            if (component.size() > 1) {
                List<String> edges = new ArrayList<>();
                for (String from : component) {
                    for (String to : graph.get(from)) {
                        if (component.contains(to)) {
                            edges.add(from + " -> " + to);
                        }
                    }
                }
                cycles.add(component + " through " + edges);
            }
        }
        assertThat(cycles).as("package cycles in " + classes.toAbsolutePath()).isEmpty();
    }

    /** Package -> packages it uses, among this module's own (from jdeps -verbose:package). */
    static Map<String, Set<String>> packageGraph(Path classes) {
        Map<String, Set<String>> graph = new TreeMap<>();
        if (!Files.isDirectory(classes)) {
            return graph; // a module without Java classes (the web front end)
        }
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("the JDK's jdeps tool is missing"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "--multi-release", "base",
                classes.toString());
        assertThat(status).as("jdeps failed: " + err).isZero();
        Set<String> own = new TreeSet<>();
        List<String[]> edges = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find()) {
                own.add(m.group(1));
                edges.add(new String[] {m.group(1), m.group(2)});
            }
        }
        for (String p : own) {
            graph.put(p, new TreeSet<>());
        }
        for (String[] e : edges) {
            if (own.contains(e[1]) && !e[0].equals(e[1])) {
                graph.get(e[0]).add(e[1]);
            }
        }
        return graph;
    }

    /** Tarjan's strongly connected components. */
    static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] next = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, out, next);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index, Map<String, Integer> low,
                                Deque<String> stack, Set<String> onStack, List<Set<String>> out, int[] next) {
        index.put(v, next[0]);
        low.put(v, next[0]);
        next[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, out, next);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            out.add(component);
        }
    }

    @Test
    void theCheckFindsALoop() {
        Map<String, Set<String>> graph = new TreeMap<>(Map.of("a", new TreeSet<>(Set.of("b")), "b", new TreeSet<>(Set.of("c")),
                "c", new TreeSet<>(Set.of("a")), "d", new TreeSet<>(Set.of("a"))));
        assertThat(stronglyConnected(graph)).contains(new TreeSet<>(Set.of("a", "b", "c")), Set.of("d"));
    }
}
