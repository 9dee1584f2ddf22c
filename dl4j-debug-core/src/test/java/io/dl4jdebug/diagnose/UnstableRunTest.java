package io.dl4jdebug.diagnose;

import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.testing.FashionData;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real unstable run (Nesterov momentum 0.95 at rate 0.2 on minibatches of 16: the weights swing) on a network with neither BatchNorm nor
 * dropout: the epoch's training-mode loss and the end-of-epoch inference loss differ because the weights moved. The
 * train/inference rule sees the gap; the diagnosis must not blame BatchNorm or dropout for it.
 */
class UnstableRunTest {

    @Test
    void aSwingingRunWithoutBatchNormOrDropoutIsNotATrainInferenceMismatch() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).updater(new Nesterovs(0.2, 0.95))
                .weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().name("h").nIn(784).nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(64).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        DataSetIterator train = FashionData.iterator(1024, 16);
        DebugSuite suite = DebugSuite.builder().nanPolicy(NanPolicy.LOG).logging(false)
                .trainEvaluation(FashionData.iterator(1024, 256)).build().attachTo(net);
        for (int e = 0; e < 5; e++) {
            train.reset();
            net.fit(train);
        }
        suite.close();

        assertThat(suite.findings()).as("the raw rule saw the gap").extracting(Finding::symptom)
                .contains(Symptom.TRAIN_INFERENCE_MISMATCH);
        Diagnosis d = suite.diagnosis();
        assertThat(d.incidents()).extracting(Incident::symptom).doesNotContain(Symptom.TRAIN_INFERENCE_MISMATCH);
        assertThat(d.dismissed()).anyMatch(x -> x.finding().symptom() == Symptom.TRAIN_INFERENCE_MISMATCH
                && x.reason().contains("no BatchNormalization, dropout or noise"));
    }
}
