package io.dl4jdebug.listener;

import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.publish.DebugSink;
import io.dl4jdebug.publish.JsonReportSink;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The suite's last sink: computes the diagnosis once per event (an epoch's end, a NaN/Inf finding), hands it to every
 * sink, then has the JSON report (when there is one) written with it. Last, so that every sink, the report included,
 * has the event's findings and losses before the diagnosis is computed; no sink computes a diagnosis of its own.
 */
final class DiagnosisPublisher implements DebugSink {

    private final Supplier<Diagnosis> diagnose;
    private final Consumer<Diagnosis> publish;
    private final JsonReportSink report;

    /**
     * @param diagnose computes the diagnosis of the findings so far (the suite's)
     * @param publish  hands a diagnosis to every sink
     * @param report   the JSON report written after each push ({@link JsonReportSink#writtenByOwner()}), or null
     */
    DiagnosisPublisher(Supplier<Diagnosis> diagnose, Consumer<Diagnosis> publish, JsonReportSink report) {
        this.diagnose = Objects.requireNonNull(diagnose, "diagnose must not be null");
        this.publish = Objects.requireNonNull(publish, "publish must not be null");
        this.report = report;
    }

    @Override
    public void onEpoch(EpochSnapshot snapshot) {
        publishAndWrite("epoch-end");
    }

    @Override
    public void onFinding(Finding finding) {
        if (JsonReportSink.isNonFinite(finding)) {
            publishAndWrite("non-finite");
        }
    }

    private void publishAndWrite(String reason) {
        publish.accept(diagnose.get());
        if (report != null) {
            report.writeOrCount(reason);
        }
    }

    @Override
    public String name() {
        return "diagnosis publisher";
    }
}
