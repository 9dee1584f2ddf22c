package io.dl4jdebug.diagnose;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

class LossTrackerTest {

    @Test
    void summarisesFirstBestAndLastWindowMeansInConstantMemory() {
        LossTracker t = new LossTracker(4);
        for (int i = 0; i < 100; i++) {
            t.add(2.0 - i * 0.01);
        }
        t.add(Double.NaN);
        LossSummary s = t.summary();
        assertThat(s.iterations()).isEqualTo(101);
        assertThat(s.nonFinite()).isEqualTo(1);
        assertThat(s.first()).isCloseTo(1.985, offset(1e-12));
        assertThat(s.best()).isCloseTo(1.025, offset(1e-12));
        assertThat(s.last()).isCloseTo(1.025, offset(1e-12));
        assertThat(s.learned()).isTrue();
    }

    @Test
    void aBlowUpInTheFirstStepsDoesNotRaiseTheInitialLoss() {
        LossTracker t = new LossTracker(4);
        double[] scores = {2.30, 9.0, 14.0, 6.0, 2.4, 2.3, 2.31, 2.29};
        for (double s : scores) {
            t.add(s);
        }
        assertThat(t.summary().first()).isEqualTo(2.30);
        assertThat(t.summary().learned()).isFalse();
    }

    @Test
    void aFlatCurveNeverLearnedAndNoScoreMeansNotMeasured() {
        LossTracker t = new LossTracker(10);
        for (int i = 0; i < 50; i++) {
            t.add(Math.log(10) + (i % 2 == 0 ? 1e-4 : -1e-4));
        }
        assertThat(t.summary().learned()).isFalse();
        assertThat(t.summary().measured()).isTrue();
        LossTracker nan = new LossTracker(10);
        nan.add(Double.NaN);
        assertThat(nan.summary().measured()).isFalse();
        assertThat(nan.summary().learned()).isFalse();
        assertThatThrownBy(() -> new LossTracker(0)).hasMessage("window must be >= 1 but was 0");
    }
}
