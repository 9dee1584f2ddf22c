package io.dl4jdebug.cli.diagnose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The training_config an imported Keras model is built with, from the file's and the options. */
class KerasTrainingTest {

    private static final Path FILE = Path.of("model.h5");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode config(KerasTraining t, String file) throws Exception {
        return JSON.readTree(t.trainingConfig(FILE, file));
    }

    @Test
    void theFilesAdamKeepsItsSettingsAndGetsTheFieldsDl4jNeeds() throws Exception {
        // tf.keras 2.11+ writes Adam without "decay", on which DL4J's optimizer mapping fails
        String file = "{\"loss\":\"mse\",\"optimizer_config\":{\"class_name\":\"Adam\",\"config\":{\"name\":\"Adam\","
                + "\"learning_rate\":0.003,\"beta_1\":0.8,\"beta_2\":0.99,\"epsilon\":1e-8,\"amsgrad\":false}}}";
        JsonNode c = config(new KerasTraining(null, null, null), file);
        assertThat(c.get("loss").asText()).isEqualTo("mse");
        JsonNode o = c.get("optimizer_config").get("config");
        assertThat(o.get("lr").asDouble()).isEqualTo(0.003);
        assertThat(o.get("beta_1").asDouble()).isEqualTo(0.8);
        assertThat(o.get("decay").asDouble()).isZero();
    }

    @Test
    void optionsReplaceTheFilesLossOptimizerAndRate() throws Exception {
        String file = "{\"loss\":\"mse\",\"optimizer_config\":{\"class_name\":\"Adam\",\"config\":{\"lr\":0.003,"
                + "\"beta_1\":0.9,\"beta_2\":0.999,\"epsilon\":1e-7,\"decay\":0.0}}}";
        JsonNode c = config(new KerasTraining("categorical_crossentropy", "SGD", 0.5), file);
        assertThat(c.get("loss").asText()).isEqualTo("categorical_crossentropy");
        assertThat(c.get("optimizer_config").get("class_name").asText()).isEqualTo("SGD");
        assertThat(c.get("optimizer_config").get("config").get("lr").asDouble()).isEqualTo(0.5);
        assertThat(c.get("optimizer_config").get("config").get("momentum").asDouble()).isZero();
        assertThat(KerasTraining.describe(c.toString())).isEqualTo("loss categorical_crossentropy, optimizer SGD lr 0.5");
    }

    @Test
    void withoutTheFilesConfigurationTheLossIsRequiredAndAdamIsTheDefault() throws Exception {
        assertThatThrownBy(() -> new KerasTraining(null, "adam", 0.1).trainingConfig(FILE, null))
                .isInstanceOf(UserInputException.class).hasMessageContaining("has no training configuration")
                .hasMessageContaining("give --loss");
        JsonNode c = config(new KerasTraining("mse", null, null), null);
        assertThat(c.get("optimizer_config").get("class_name").asText()).isEqualTo("Adam");
        assertThat(c.get("optimizer_config").get("config").get("lr").asDouble()).isEqualTo(0.001);
        JsonNode rms = config(new KerasTraining("mse", "rmsprop", null), null);
        assertThat(rms.get("optimizer_config").get("config").get("rho").asDouble()).isEqualTo(0.9);
    }

    @Test
    void anOptimizerDl4jDoesNotMapIsLeftForItsImportToName() throws Exception {
        String file = "{\"loss\":\"mse\",\"optimizer_config\":{\"class_name\":\"Ftrl\",\"config\":{\"lr\":0.1}}}";
        JsonNode c = config(new KerasTraining(null, null, null), file);
        assertThat(c.get("optimizer_config").get("class_name").asText()).isEqualTo("Ftrl");
    }

    @Test
    void badOptionsAreRefusedWithTheValidValues() {
        assertThatThrownBy(() -> new KerasTraining(null, "lamb", null)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("--updater lamb").hasMessageContaining("rmsprop");
        assertThatThrownBy(() -> new KerasTraining(null, null, -1.0)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("--lr");
        assertThatThrownBy(() -> new KerasTraining("focal", null, null)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("--loss focal").hasMessageContaining("binary_crossentropy");
    }

    @Test
    void sparseCrossEntropyIsReadAsCategoricalOnTheOneHotLabelsDiagnoseFeeds() throws Exception {
        String file = "{\"loss\":{\"class_name\":\"SparseCategoricalCrossentropy\",\"config\":{\"name\":"
                + "\"sparse_categorical_crossentropy\",\"from_logits\":false}},\"optimizer_config\":{\"class_name\":"
                + "\"SGD\",\"config\":{\"learning_rate\":0.1,\"momentum\":0.9}}}";
        JsonNode c = config(new KerasTraining(null, null, null), file);
        assertThat(c.get("loss").asText()).isEqualTo("categorical_crossentropy");
        assertThat(c.get("optimizer_config").get("config").get("momentum").asDouble()).isEqualTo(0.9);
        assertThat(config(new KerasTraining("sparse_categorical_crossentropy", null, null), null).get("loss")
                .asText()).isEqualTo("categorical_crossentropy");
    }
}
