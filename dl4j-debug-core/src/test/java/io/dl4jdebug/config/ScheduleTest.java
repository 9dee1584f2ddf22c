package io.dl4jdebug.config;

import org.junit.jupiter.api.Test;

import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The monitors' schedule: dense at the start, periodic afterwards; invalid values named. */
class ScheduleTest {

    private static long[] due(Schedule s, long upTo) {
        return LongStream.range(0, upTo).filter(s::isDue).toArray();
    }

    @Test
    void theDefaultMeasuresEachOfTheFirstTwentyIterationsThenEveryTenth() {
        Schedule s = Schedule.defaults();

        assertThat(due(s, 61)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                20, 30, 40, 50, 60);
        assertThat(s.describe()).isEqualTo("every iteration until 19, then every 10 iterations");
    }

    @Test
    void periodicSchedulesHaveNoDenseStart() {
        assertThat(due(Schedule.every(4), 13)).containsExactly(0, 4, 8, 12);
        assertThat(due(Schedule.everyIteration(), 3)).containsExactly(0, 1, 2);
        assertThat(due(Schedule.denseThenEvery(3, 5), 16)).containsExactly(0, 1, 2, 5, 10, 15);
        assertThat(Schedule.every(1).describe()).isEqualTo("every iteration");
    }

    @Test
    void invalidValuesAreNamed() {
        assertThatThrownBy(() -> Schedule.every(0)).hasMessage("schedule period 'every' must be >= 1 but was 0");
        assertThatThrownBy(() -> Schedule.denseThenEvery(-2, 10))
                .hasMessage("schedule 'denseIterations' must be >= 0 (0: no dense start) but was -2");
    }
}
