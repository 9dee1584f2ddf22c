package io.dl4jdebug.testing;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small real networks for the tests, on 784 inputs and 10 classes (Fashion-MNIST). */
public final class TestNets {

    public static final int IN = 784;
    public static final int CLASSES = 10;

    private TestNets() {
    }

    /** Options of a test network. */
    public static final class Spec {
        public long seed = 42;
        public Activation activation = Activation.RELU;
        public int[] hidden = {64, 32};
        public IUpdater updater = new Adam(1e-3);
        public WeightInit weightInit = WeightInit.RELU;
        public double biasInit = 0.0;

        public Spec activation(Activation a) {
            this.activation = a;
            return this;
        }

        public Spec hidden(int... h) {
            this.hidden = h;
            return this;
        }

        public Spec updater(IUpdater u) {
            this.updater = u;
            return this;
        }

        public Spec weightInit(WeightInit w) {
            this.weightInit = w;
            return this;
        }

        public Spec biasInit(double b) {
            this.biasInit = b;
            return this;
        }
    }

    public static Spec spec() {
        return new Spec();
    }

    /** An MLP: dense hidden layers named h0, h1, ... and a softmax output named "out". */
    public static MultiLayerNetwork mlp(Spec s) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(s.seed)
                .updater(s.updater).weightInit(s.weightInit).biasInit(s.biasInit).list();
        int nIn = IN;
        for (int i = 0; i < s.hidden.length; i++) {
            b.layer(new DenseLayer.Builder().name("h" + i).nIn(nIn).nOut(s.hidden[i]).activation(s.activation)
                    .build());
            nIn = s.hidden[i];
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(nIn).nOut(CLASSES)
                .activation(Activation.SOFTMAX).biasInit(0.0).build());
        MultiLayerConfiguration conf = b.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * A ComputationGraph: the hidden stack h0..h(n-1) like {@link #mlp}, then a residual block
     * r1 -> r2 -> add(h_last, r2) and the softmax output "out". The residual width equals the last hidden size.
     */
    public static ComputationGraph residual(Spec s) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder().seed(s.seed)
                .updater(s.updater).weightInit(s.weightInit).biasInit(s.biasInit).graphBuilder()
                .addInputs("in");
        String prev = "in";
        int nIn = IN;
        for (int i = 0; i < s.hidden.length; i++) {
            g.addLayer("h" + i, new DenseLayer.Builder().nIn(nIn).nOut(s.hidden[i]).activation(s.activation)
                    .build(), prev);
            prev = "h" + i;
            nIn = s.hidden[i];
        }
        g.addLayer("r1", new DenseLayer.Builder().nIn(nIn).nOut(nIn).activation(s.activation).build(), prev)
                .addLayer("r2", new DenseLayer.Builder().nIn(nIn).nOut(nIn).activation(Activation.IDENTITY)
                        .build(), "r1")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), prev, "r2")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(nIn).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).biasInit(0.0).build(), "add")
                .setOutputs("out");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }
}
