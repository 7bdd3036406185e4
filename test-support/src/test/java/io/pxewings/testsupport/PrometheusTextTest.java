package io.pxewings.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    static final String METRICS = """
            # HELP wings_tftp_transfers_total Transfers by outcome
            # TYPE wings_tftp_transfers_total counter
            wings_tftp_transfers_total{file="undionly.kpxe",outcome="completed"} 2.0
            wings_tftp_transfers_total{file="snponly.efi",outcome="completed"} 1.0
            wings_tftp_transfers_total{file="a\\"},b",outcome="failed"} 5.0
            wings_tftp_transfers_total_extra{outcome="completed"} 100.0
            http_server_requests_seconds_count{method="GET",status="200",uri="/boot.ipxe"} 3 1700000000000
            http_server_requests_seconds_count{method="GET",status="2000",uri="/boot.ipxe"} 7
            wings_http_boot_files_total{path="C:\\\\new"} 6.0
            wings_http_boot_agent_polls_waiting 4.0
            wings_latency_bucket{le="+Inf"} +Inf
            """;

    @Test
    void sumsTheSamplesWhoseLabelsIncludeThePairs() {
        assertThat(PrometheusText.sum(METRICS, "wings_tftp_transfers_total", "outcome", "completed")).isEqualTo(3.0);
        assertThat(PrometheusText.sum(METRICS, "wings_tftp_transfers_total")).isEqualTo(8.0);
        assertThat(PrometheusText.sum(METRICS, "wings_tftp_transfers_total", "outcome", "completed", "file", "snponly.efi"))
                .isEqualTo(1.0);
    }

    @Test
    void matchesNamesAndLabelValuesExactly() {
        assertThat(PrometheusText.sum(METRICS, "http_server_requests_seconds_count", "status", "200")).as("not 2000, timestamp ignored")
                .isEqualTo(3.0);
        assertThat(PrometheusText.sum(METRICS, "wings_tftp_transfers_total", "outcome", "complete")).isZero();
        assertThat(PrometheusText.sum(METRICS, "wings_tftp_transfers", "outcome", "completed")).as("a name's prefix").isZero();
        assertThat(PrometheusText.sum(METRICS, "no_such_metric")).isZero();
    }

    @Test
    void readsEscapedLabelValuesUnlabelledSamplesAndInfinity() {
        assertThat(PrometheusText.sum(METRICS, "wings_tftp_transfers_total", "file", "a\"},b")).isEqualTo(5.0);
        assertThat(PrometheusText.sum(METRICS, "wings_http_boot_files_total", "path", "C:\\new")).as("an escaped backslash")
                .isEqualTo(6.0);
        assertThat(PrometheusText.sum(METRICS, "wings_http_boot_agent_polls_waiting")).isEqualTo(4.0);
        assertThat(PrometheusText.sum(METRICS, "wings_latency_bucket", "le", "+Inf")).isInfinite();
    }

    @Test
    void refusesAnUnpairedLabel() {
        assertThatThrownBy(() -> PrometheusText.sum(METRICS, "wings_tftp_transfers_total", "outcome"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
