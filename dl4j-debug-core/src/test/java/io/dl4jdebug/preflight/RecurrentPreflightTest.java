package io.dl4jdebug.preflight;

import io.dl4jdebug.data.SumTask;
import io.dl4jdebug.diagnose.Symptom;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The preflight procedures on small LSTM networks and the generated masked sum task: the gradient check passes on a
 * correct LSTM (masks included) and names the LSTM whose activation has a wrong derivative; the minimal example
 * memorizes a few sequences with a healthy stack, and bisection names the dead LSTM of a broken one.
 */
class RecurrentPreflightTest {

    private static final DataSet FEW = SumTask.perStep(8, 3, 8, 21);

    /**
     * in -> lstm0 -> lstm1 (given activation; broken: zero weights and a learning rate of 0, so it outputs 0 for
     * ever) -> out (RnnOutputLayer, MSE).
     */
    private static MultiLayerNetwork stack(IActivation lstm1, boolean broken, int units) {
        LSTM.Builder second = new LSTM.Builder().name("lstm1").nIn(units).nOut(units).activation(lstm1);
        if (broken) {
            second.weightInit(WeightInit.ZERO).updater(new org.nd4j.linalg.learning.config.Sgd(0.0));
        }
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-2))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new LSTM.Builder().name("lstm0").nIn(1).nOut(units).activation(Activation.TANH).build())
                .layer(second.build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).name("out").nIn(units).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void gradientCheckPassesOnAMaskedLstmAndNamesTheLstmWithAWrongDerivative() {
        GradientChecker checker = new GradientChecker(GradientCheckConfig.builder().maxPerParameter(10).build());
        GradientCheckReport healthy = checker.check(stack(Activation.TANH.getActivationFunction(), false, 4), FEW);
        assertThat(healthy.passed()).as(healthy.toText()).isTrue();
        assertThat(healthy.parameters()).extracting(ParameterCheck::displayName)
                .contains("lstm0/W", "lstm0/RW", "lstm0/b", "lstm1/RW");

        GradientCheckReport wrong = checker.check(stack(new WrongTanh(), false, 4), FEW);
        assertThat(wrong.passed()).isFalse();
        assertThat(wrong.origin()).as(wrong.toText()).hasValueSatisfying(p -> assertThat(p.layer())
                .isEqualTo("lstm1"));
        assertThat(wrong.findings()).anyMatch(f -> f.symptom() == Symptom.GRADIENT_CHECK_FAILED);
    }

    @Test
    void minimalExampleMemorizesWithAHealthyLstmStackAndBisectionNamesTheDeadLstm() {
        MinimalExample fast = new MinimalExample(OverfitConfig.builder().maxSteps(150).build());
        MinimalExampleReport healthy = fast.run(stack(Activation.TANH.getActivationFunction(), false, 16), FEW);
        assertThat(healthy.canOverfit()).as(healthy.toText()).isTrue();
        assertThat(healthy.findings()).isEmpty();

        MinimalExampleReport broken = fast.run(stack(Activation.TANH.getActivationFunction(), true, 16), FEW);
        assertThat(broken.canOverfit()).isFalse();
        assertThat(broken.culpritSegment()).as(broken.toText()).isPresent();
        assertThat(broken.culprit().name()).isEqualTo("lstm1");
        assertThat(broken.findings().get(0).symptom()).isEqualTo(Symptom.CANNOT_OVERFIT_SMALL_BATCH);
    }
}
