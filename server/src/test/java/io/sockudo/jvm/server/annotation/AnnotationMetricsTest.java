package io.sockudo.jvm.server.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * After a scripted workload, the six metrics (spec 8.2) have exactly the expected values.
 */
@Timeout(10)
class AnnotationMetricsTest
{
    @Test
    void shouldCountAScriptedWorkloadExactly()
    {
        final Fixture f = new Fixture();
        final String first = f.publishOk("r:total.v1", null, null);
        f.publishOk("r:total.v1", null, null);
        f.delete(first);
        f.delete(first);
        f.budget = 0;
        f.publishOk("r:flag.v1", null, "aaaaaaaaa-1");
        final Reply two = f.publish("r:flag.v1", null, "aaaaaaaaa-2");
        // 3 clients do not fit one byte short of the unclipped frame; 64..4 give the same frame, 2 fits: 6 attempts
        final int fullLength = two.broadcasts().get(0).json().length() + ",\"aaaaaaaaa-3\"".length();
        f.budget = fullLength - 1;
        final Reply clipped = f.publish("r:flag.v1", null, "aaaaaaaaa-3");
        assertEquals(fullLength - ",\"aaaaaaaaa-3\"".length() - 1, clipped.broadcasts().get(0).json().length());
        f.publish("{\"type\":\"bad\"}");
        f.annotations.evictAll();
        assertEquals(2, f.annotations.snapshot(Fixture.APP, Fixture.CHANNEL, 0).size());

        final String text = f.annotations.metricsText("sockudo_");
        final String expected = """
            # HELP sockudo_annotations_published_total Total number of annotation.create events published
            # TYPE sockudo_annotations_published_total counter
            sockudo_annotations_published_total{channel="chat",type="r:flag.v1"} 3
            sockudo_annotations_published_total{channel="chat",type="r:total.v1"} 2
            # HELP sockudo_annotations_deleted_total Total number of annotation.delete events published
            # TYPE sockudo_annotations_deleted_total counter
            sockudo_annotations_deleted_total{channel="chat",type="r:total.v1"} 1
            # HELP sockudo_annotation_summary_deliveries_total Total number of annotation summary messages delivered
            # TYPE sockudo_annotation_summary_deliveries_total counter
            sockudo_annotation_summary_deliveries_total{channel="chat"} 8
            # HELP sockudo_annotation_summary_clipped_total Total number of clipped annotation summaries
            # TYPE sockudo_annotation_summary_clipped_total counter
            sockudo_annotation_summary_clipped_total{channel="chat",type="r:flag.v1"} 1
            # HELP sockudo_annotation_projection_rebuild_total Total number of full annotation projection rebuilds
            # TYPE sockudo_annotation_projection_rebuild_total counter
            sockudo_annotation_projection_rebuild_total{channel="chat"} 8
            # HELP sockudo_annotation_projection_rebuild_duration_seconds Full annotation projection rebuild latency \
            in seconds
            # TYPE sockudo_annotation_projection_rebuild_duration_seconds histogram
            """;
        assertEquals(expected, text.substring(0, expected.length()));
        final String tail = text.substring(expected.length());
        assertEquals(true, tail.contains(
            "sockudo_annotation_projection_rebuild_duration_seconds_bucket{channel=\"chat\",le=\"+Inf\"} 7\n"), tail);
        assertEquals(true, tail.contains(
            "sockudo_annotation_projection_rebuild_duration_seconds_count{channel=\"chat\"} 7\n"), tail);
        assertEquals(true, tail.contains(
            "sockudo_annotation_projection_rebuild_duration_seconds_bucket{channel=\"chat\",le=\"0.001\"} "), tail);
        assertEquals(true, tail.contains(
            "sockudo_annotation_projection_rebuild_duration_seconds_bucket{channel=\"chat\",le=\"5\"} 7\n"), tail);
    }

    @Test
    void shouldEscapeLabelValues()
    {
        assertEquals("a\\\"b\\\\c\\n", AnnotationMetrics.escape("a\"b\\c\n"));
    }
}
