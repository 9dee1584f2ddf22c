package io.dl4jdebug.cli.diagnose;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading a Keras .h5 file's root attributes in both string forms Keras writes. */
class KerasH5FileTest {

    @TempDir
    Path dir;

    private static String model() {
        return KerasConfigs.sequential("sequential", List.of(
                KerasConfigs.layer("Dense", "probs", KerasConfigs.dense(3, "softmax", 4), null)));
    }

    @Test
    void fixedLengthStringsAsKeras2WritesThem() {
        Path file = dir.resolve("fixed.h5");
        String training = KerasConfigs.adamTraining("mse", 0.01);
        new KerasH5Writer("2.2.4", model()).training(training).write(file);
        assertThat(KerasH5File.isHdf5(file)).isTrue();
        KerasH5File h5 = KerasH5File.read(file);
        assertThat(h5.kerasVersion()).isEqualTo("2.2.4");
        assertThat(h5.kerasMajorVersion()).isEqualTo(2);
        assertThat(h5.backend()).isEqualTo("tensorflow");
        assertThat(h5.modelConfig()).isEqualTo(model());
        assertThat(h5.trainingConfig()).isEqualTo(training);
    }

    @Test
    void variableLengthVersionAsTfKerasWritesItAndNoTrainingConfig() {
        Path file = dir.resolve("vlen.h5");
        new KerasH5Writer("2.11.0", model()).variableLengthVersion().write(file);
        KerasH5File h5 = KerasH5File.read(file);
        assertThat(h5.kerasVersion()).isEqualTo("2.11.0");
        assertThat(h5.backend()).isEqualTo("tensorflow");
        assertThat(h5.trainingConfig()).isNull();
        assertThat(h5.modelConfig()).isEqualTo(model());
    }

    @Test
    void otherFilesAreNotHdf5() throws IOException {
        Path json = Files.writeString(dir.resolve("model.json"), "{}");
        assertThat(KerasH5File.isHdf5(json)).isFalse();
        assertThat(KerasH5File.isHdf5(dir.resolve("missing.h5"))).isFalse();
    }
}
