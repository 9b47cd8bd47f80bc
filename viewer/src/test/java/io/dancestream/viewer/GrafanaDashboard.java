package io.dancestream.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The provisioned dashboard JSON and the PromQL queries of its panels. */
final class GrafanaDashboard {

    static final String PATH = "deploy/grafana/dashboards/dancestream.json";

    record Query(String panel, String refId, String expr) {
        /** The query as Prometheus runs it: Grafana's rate interval is at least 4 scrape intervals. */
        String forPrometheus(String rateInterval) {
            return expr.replace("$__rate_interval", rateInterval);
        }
    }

    private GrafanaDashboard() {
    }

    static JsonNode load() throws IOException {
        return new ObjectMapper().readTree(RepoFiles.file(PATH).toFile());
    }

    /** Panels that show data (rows are layout only), including panels nested in collapsed rows. */
    static List<JsonNode> dataPanels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            if ("row".equals(p.path("type").asText())) {
                p.path("panels").forEach(out::add);
            } else {
                out.add(p);
            }
        }
        return out;
    }

    static List<Query> queries(JsonNode dashboard) {
        List<Query> out = new ArrayList<>();
        for (JsonNode p : dataPanels(dashboard)) {
            for (JsonNode t : p.path("targets")) {
                out.add(new Query(p.path("title").asText(), t.path("refId").asText(), t.path("expr").asText()));
            }
        }
        return out;
    }
}
