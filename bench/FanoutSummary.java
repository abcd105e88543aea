import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Prints the markdown table of a bench/fanout.sh series: for each server and scenario the
 * median over its runs of what ChirpLoad wrote to SERVER-SCENARIO-RUN.json.
 *
 * <pre>java bench/FanoutSummary.java DIR</pre>
 *
 * Uses only the JDK, so it runs as a single source file; the JSON reader below handles what
 * ChirpLoad writes (objects, arrays, strings, numbers, booleans, null) and nothing fancier.
 */
public final class FanoutSummary {

    private static final List<String> SERVERS = List.of("chirp", "node", "javalin");

    public static void main(String[] args) throws IOException {
        if (args.length != 1 || !Files.isDirectory(Path.of(args[0]))) {
            System.err.println("usage: java bench/FanoutSummary.java DIR   (DIR holds the SERVER-SCENARIO-RUN.json files of bench/fanout.sh)");
            System.exit(64);
        }
        Path dir = Path.of(args[0]);
        // key "server scenario" -> the runs' reports, servers in a fixed order, then scenarios
        Map<String, List<Run>> groups = new TreeMap<>((a, b) -> {
            String[] x = a.split(" "), y = b.split(" ");
            int bySrv = Integer.compare(serverRank(x[0]), serverRank(y[0]));
            if (bySrv != 0) return bySrv;
            int byName = x[0].compareTo(y[0]);
            return byName != 0 ? byName : x[1].compareTo(y[1]);
        });
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().matches("[a-z]+-[A-D]-\\d+\\.json")).sorted().toList();
        }
        if (files.isEmpty()) {
            System.err.println("no SERVER-SCENARIO-RUN.json files in " + dir + ": did the measured runs fail? Look at the .log files there.");
            System.exit(1);
        }
        for (Path file : files) {
            String[] parts = file.getFileName().toString().replace(".json", "").split("-");
            Map<String, Object> report;
            try {
                report = asMap(new Json(Files.readString(file)).value());
            } catch (RuntimeException e) {
                System.err.println("skipping " + file + ": not a ChirpLoad report (" + e.getMessage() + ")");
                continue;
            }
            Path log = file.resolveSibling(file.getFileName().toString().replace(".json", ".log"));
            String text = Files.exists(log) ? Files.readString(log) : null;
            groups.computeIfAbsent(parts[0] + " " + parts[1], k -> new ArrayList<>()).add(new Run(report, text));
        }

        System.out.println("| server | scenario | runs | deliveries/s | CPU us/delivery | p99 ms | RSS KiB/conn | loss | connections held | generator >90% CPU | posting kept schedule |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
        groups.forEach((key, runs) -> {
            String[] k = key.split(" ");
            System.out.printf(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    k[0], k[1], runs.size(),
                    median(runs, r -> r.number("throughput", "deliveriesPerSec"), 0),
                    median(runs, r -> r.number("server", "cpuMicrosPerDelivery"), 2),
                    median(runs, r -> r.number("latencyMs", "p99"), 2),
                    median(runs, r -> r.number("server", "kibPerConnection"), 2),
                    median(runs, r -> r.number("deliveries", "missing"), 0),
                    median(runs, r -> r.number("connections", "ok"), 0),
                    generatorNote(runs),
                    schedule(runs));
        });
        System.out.println();
        System.out.println("Medians over runs. loss = expected deliveries missing; generator >90% CPU = runs in which ChirpLoad "
                + "printed its NOTE that it was near its CPU limit (figures may be generator-bound); posting kept schedule = "
                + "median achieved post rate against the asked --rate (kept when at least 95% in every run; max = no rate asked).");
    }

    private static int serverRank(String server) {
        int i = SERVERS.indexOf(server);
        return i < 0 ? SERVERS.size() : i;
    }

    /** The median of a figure over the runs that have it, or a dash when none has. */
    private static String median(List<Run> runs, Function<Run, Double> figure, int decimals) {
        List<Double> values = new ArrayList<>();
        for (Run run : runs) {
            Double v = figure.apply(run);
            if (v != null) values.add(v);
        }
        if (values.isEmpty()) return "–";
        double m = medianOf(values);
        return decimals == 0 ? String.format(Locale.ROOT, "%,d", Math.round(m)) : String.format(Locale.ROOT, "%." + decimals + "f", m);
    }

    private static double medianOf(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String generatorNote(List<Run> runs) {
        long noted = runs.stream().filter(Run::generatorBound).count();
        return noted == 0 ? "no" : runs.size() == 1 ? "YES" : "YES (" + noted + " of " + runs.size() + ")";
    }

    private static String schedule(List<Run> runs) {
        List<Double> achieved = new ArrayList<>();
        List<Double> asked = new ArrayList<>();
        boolean kept = true;
        for (Run run : runs) {
            Double a = run.number("posts", "ratePerSec");
            Double r = run.number("config", "rate");
            Double sent = run.number("posts", "sent");
            if (a == null || r == null) continue;
            achieved.add(a);
            asked.add(r);
            // The same rule as ChirpLoad's "posting fell behind schedule" NOTE.
            if (r > 0 && sent != null && sent > 10 && a < 0.95 * r) kept = false;
        }
        if (achieved.isEmpty()) return "–";
        double a = medianOf(achieved), r = medianOf(asked);
        if (r == 0) return String.format(Locale.ROOT, "max (%,.0f/s)", a);
        return String.format(Locale.ROOT, "%s (%,.1f of %,.0f/s)", kept ? "yes" : "NO", a, r);
    }

    private record Run(Map<String, Object> report, String text) {

        Double number(String section, String field) {
            Object s = report.get(section);
            if (!(s instanceof Map<?, ?> m)) return null;
            return m.get(field) instanceof Number n ? n.doubleValue() : null;
        }

        /** Whether ChirpLoad printed its generator-CPU NOTE; read from the text report when it was kept. */
        boolean generatorBound() {
            if (text != null) return text.lines().anyMatch(l -> l.startsWith("NOTE") && l.contains("generator was near its CPU limit"));
            Double cpu = number("generator", "cpuPercentPostingAndDrain");
            Double cpus = number("generator", "availableCpus");
            Double window = number("throughput", "windowSeconds");
            return cpu != null && cpus != null && window != null && cpu > 90.0 * cpus && window >= 1.0;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        if (o instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new IllegalArgumentException("the top level is not an object");
    }

    /** A recursive-descent reader for the JSON ChirpLoad writes. */
    private static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object value() {
            skip();
            if (i >= s.length()) throw error("unexpected end");
            char c = s.charAt(i);
            switch (c) {
                case '{': {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    skip();
                    if (peek('}')) return m;
                    do {
                        skip();
                        String key = string();
                        skip();
                        expect(':');
                        m.put(key, value());
                        skip();
                    } while (peek(','));
                    expect('}');
                    return m;
                }
                case '[': {
                    i++;
                    List<Object> l = new ArrayList<>();
                    skip();
                    if (peek(']')) return l;
                    do {
                        l.add(value());
                        skip();
                    } while (peek(','));
                    expect(']');
                    return l;
                }
                case '"':
                    return string();
                default:
                    if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
                    if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
                    if (s.startsWith("null", i)) { i += 4; return null; }
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
                    if (start == i) throw error("unexpected '" + c + "'");
                    return Double.parseDouble(s.substring(start, i));
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) throw error("unterminated string");
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c != '\\') { b.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> { b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; }
                    default -> b.append(e);
                }
            }
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private boolean peek(char c) {
            if (i < s.length() && s.charAt(i) == c) { i++; return true; }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) throw error("expected '" + c + "'");
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at character " + i);
        }
    }
}
