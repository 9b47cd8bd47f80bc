package io.dancestream.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DashboardJsonTest {

    private static final Pattern STAGE_LABEL = Pattern.compile("stage=~?\"([^\"]*)\"");
    private static final Pattern METRIC = Pattern.compile("\\b((?:dance|kafka|jvm)_[a-z0-9_]+)\\b");

    @Test
    void everyPanelHasTheProvisionedDatasourceAndAQuery() throws Exception {
        JsonNode dash = GrafanaDashboard.load();
        JsonNode ds = new ObjectMapper(new YAMLFactory())
                .readTree(RepoFiles.file("deploy/grafana/provisioning/datasources/prometheus.yml").toFile())
                .path("datasources").get(0);
        String uid = ds.path("uid").asText();
        assertThat(ds.path("type").asText()).isEqualTo("prometheus");
        assertThat(ds.path("url").asText()).isEqualTo("http://prometheus:9090");

        assertThat(dash.path("uid").asText()).isEqualTo("dancestream");
        List<JsonNode> panels = GrafanaDashboard.dataPanels(dash);
        assertThat(panels).hasSizeGreaterThanOrEqualTo(10);
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : panels) {
            String title = p.path("title").asText();
            assertThat(title).as("panel title").isNotBlank();
            assertThat(ids.add(p.path("id").asInt())).as("unique id of " + title).isTrue();
            assertThat(p.path("datasource").path("uid").asText()).as(title + " datasource").isEqualTo(uid);
            assertThat(p.path("gridPos").path("w").asInt()).as(title + " width").isPositive();
            assertThat(p.path("targets")).as(title + " targets").isNotEmpty();
            for (JsonNode t : p.path("targets")) {
                assertThat(t.path("expr").asText()).as(title + " query").isNotBlank();
                assertThat(t.path("refId").asText()).as(title + " refId").isNotBlank();
                assertThat(t.path("datasource").path("uid").asText()).as(title + " target datasource").isEqualTo(uid);
            }
        }
    }

    @Test
    void queriesUseTheContractsMetricAndStageNames() throws Exception {
        Set<String> metrics = new HashSet<>();
        for (GrafanaDashboard.Query q : GrafanaDashboard.queries(GrafanaDashboard.load())) {
            Matcher s = STAGE_LABEL.matcher(q.expr());
            while (s.find()) {
                for (String stage : s.group(1).split("\\|")) {
                    assertThat(stage).as(q.panel()).isIn("ingest", "segment", "transfer");
                }
            }
            Matcher m = METRIC.matcher(q.expr());
            while (m.find()) {
                metrics.add(m.group(1));
            }
        }
        // the panels: fps, stage time, frame age, glass-to-glass, drops, lag, DLQ, model, training
        assertThat(metrics).contains("dance_frames_total", "dance_stage_seconds_bucket", "dance_frame_age_seconds_bucket",
                "dance_glass_to_glass_seconds_bucket", "kafka_consumer_fetch_manager_records_lag_max",
                "dance_model_info", "dance_train_loss", "dance_train_steps_total");
        String all = GrafanaDashboard.queries(GrafanaDashboard.load()).toString();
        assertThat(all).contains("histogram_quantile(0.5,", "histogram_quantile(0.95,", "histogram_quantile(0.99,",
                "outcome=\"failed\"", "outcome!=\"processed\"");
    }
}
