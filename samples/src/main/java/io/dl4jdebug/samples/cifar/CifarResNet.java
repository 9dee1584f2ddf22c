package io.dl4jdebug.samples.cifar;

import io.dl4jdebug.cli.cifar.CifarLayout;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A small CIFAR-style ResNet as a {@link ComputationGraph}: a 3x3 stem (conv, BatchNorm, ReLU), then stages of
 * residual blocks (conv-BN-ReLU-conv-BN, add the shortcut, ReLU; a strided 1x1 projection where the width changes),
 * global average pooling and a softmax over 10 classes. DL4J's zoo ResNet50 does not build at 32x32.
 *
 * <p>With {@code zeroGammaBug} every BatchNormalization is built with {@code .gamma(0.0)}: the "zero-init residual
 * gamma" trick misapplied to every BN instead of the last BN of each block. The stem's BN then outputs zeros, ReLU
 * passes no gradient, and the network is stuck at a constant output (loss ln(10)).
 */
public final class CifarResNet {

    private CifarResNet() {
    }

    /**
     * @param widths         channels per stage, e.g. {8, 16, 32}
     * @param blocksPerStage residual blocks in each stage
     * @param zeroGammaBug   true to initialise every BatchNormalization's gamma to 0 (the case study's bug)
     * @param seed           weight-initialisation seed
     * @return the initialised network
     */
    public static ComputationGraph build(int[] widths, int blocksPerStage, boolean zeroGammaBug, long seed) {
        return build(widths, blocksPerStage, zeroGammaBug, false, seed);
    }

    /**
     * @param widths         channels per stage, e.g. {8, 16, 32}
     * @param blocksPerStage residual blocks in each stage
     * @param zeroGammaBug   true to initialise every BatchNormalization's gamma to 0 (the case study's bug)
     * @param convBias       true to give every convolution a bias (redundant before a BatchNormalization, harmless)
     * @param seed           weight-initialisation seed
     * @return the initialised network
     */
    public static ComputationGraph build(int[] widths, int blocksPerStage, boolean zeroGammaBug, boolean convBias,
                                         long seed) {
        if (widths.length == 0 || blocksPerStage < 1) {
            throw new IllegalArgumentException("need at least one stage and one block per stage");
        }
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder().seed(seed)
                .updater(new Adam(2e-3)).weightInit(WeightInit.RELU).convolutionMode(ConvolutionMode.Same)
                .graphBuilder().addInputs("input")
                .setInputTypes(InputType.convolutional(CifarLayout.SIDE, CifarLayout.SIDE, 3));
        g.addLayer("stem_conv", conv(widths[0], 3, 1, convBias), "input")
                .addLayer("stem_bn", bn(zeroGammaBug), "stem_conv")
                .addLayer("stem_relu", relu(), "stem_bn");
        String prev = "stem_relu";
        int prevWidth = widths[0];
        for (int s = 0; s < widths.length; s++) {
            for (int b = 0; b < blocksPerStage; b++) {
                String name = "s" + (s + 1) + "b" + (b + 1);
                int stride = s > 0 && b == 0 ? 2 : 1;
                g.addLayer(name + "_conv1", conv(widths[s], 3, stride, convBias), prev)
                        .addLayer(name + "_bn1", bn(zeroGammaBug), name + "_conv1")
                        .addLayer(name + "_relu1", relu(), name + "_bn1")
                        .addLayer(name + "_conv2", conv(widths[s], 3, 1, convBias), name + "_relu1")
                        .addLayer(name + "_bn2", bn(zeroGammaBug), name + "_conv2");
                String shortcut = prev;
                if (stride != 1 || prevWidth != widths[s]) {
                    g.addLayer(name + "_proj", conv(widths[s], 1, stride, convBias), prev);
                    shortcut = name + "_proj";
                }
                g.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), name + "_bn2", shortcut)
                        .addLayer(name + "_relu2", relu(), name + "_add");
                prev = name + "_relu2";
                prevWidth = widths[s];
            }
        }
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), prev)
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), "pool")
                .setOutputs("output");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    private static ConvolutionLayer conv(int channels, int kernel, int stride, boolean bias) {
        return new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(channels)
                .activation(Activation.IDENTITY).hasBias(bias).build();
    }

    private static BatchNormalization bn(boolean zeroGamma) {
        BatchNormalization.Builder b = new BatchNormalization.Builder();
        if (zeroGamma) {
            b.gamma(0.0);
        }
        return b.build();
    }

    private static ActivationLayer relu() {
        return new ActivationLayer.Builder().activation(Activation.RELU).build();
    }
}
