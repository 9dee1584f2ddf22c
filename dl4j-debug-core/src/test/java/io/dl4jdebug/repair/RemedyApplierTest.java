package io.dl4jdebug.repair;

import io.dl4jdebug.diagnose.Remedy;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.schedule.CycleSchedule;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.PolySchedule;
import org.nd4j.linalg.schedule.RampSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.SigmoidSchedule;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Remedies applied to cloned configurations of real small networks: the named setting changes, every other setting
 * stays as it was (a learning-rate schedule is scaled, never dropped), and the changed network still trains on a
 * Fashion-MNIST minibatch.
 */
class RemedyApplierTest {

    private static final List<ISchedule> SCHEDULES = List.of(
            new MapSchedule(ScheduleType.ITERATION, Map.of(0, 1e-3, 5, 5e-4)),
            new StepSchedule(ScheduleType.ITERATION, 1e-3, 0.5, 5),
            new ExponentialSchedule(ScheduleType.ITERATION, 1e-3, 0.9),
            new InverseSchedule(ScheduleType.EPOCH, 1e-3, 0.5, 2),
            new PolySchedule(ScheduleType.ITERATION, 1e-3, 2, 100),
            new SigmoidSchedule(ScheduleType.ITERATION, 1e-3, 0.5, 10),
            new CycleSchedule(ScheduleType.ITERATION, 1e-2, 20),
            new RampSchedule(new StepSchedule(ScheduleType.ITERATION, 1e-3, 0.5, 5), 4));

    private static final List<Function<ISchedule, IUpdater>> RATE_UPDATERS = List.of(Sgd::new, Adam::new,
            AdaMax::new, Nadam::new, AMSGrad::new, RmsProp::new, AdaGrad::new, s -> new Nesterovs(s, 0.8));

    private static Remedy remedy(Remedy.Kind kind, List<String> layers, double value, String argument) {
        return new Remedy(kind, layers, value, argument, kind + " " + layers + " " + value + " " + argument);
    }

    private static DataSet batch() {
        DataSet d = FashionData.train(32);
        return d;
    }

    private static void trainsOneStep(MultiLayerConfiguration conf, DataSet batch) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.fit(batch);
        assertThat(net.score()).isFinite();
    }

    private static void trainsOneStep(ComputationGraphConfiguration conf, DataSet batch) {
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        net.fit(batch);
        assertThat(net.score()).isFinite();
    }

    @Test
    void aRateRemedyScalesEveryScheduleOfEveryUpdaterOnMlnAndGraphAndChangesNothingElse() {
        for (Function<ISchedule, IUpdater> make : RATE_UPDATERS) {
            for (ISchedule schedule : SCHEDULES) {
                IUpdater original = make.apply(schedule);
                MultiLayerConfiguration mln = TestNets.mlp(TestNets.spec().updater(original))
                        .getLayerWiseConfigurations().clone();
                // as if set per layer: DL4J's network-wide .updater(...) clones it into each layer, and
                // AdaGrad.clone() drops the schedule
                RemedyApplier.layers(mln).values().forEach(l -> ((BaseLayer) l).setIUpdater(original));
                RemedyApplier.apply(remedy(Remedy.Kind.SCALE_LEARNING_RATE, List.of(), 0.1, ""), mln);
                for (Layer l : RemedyApplier.layers(mln).values()) {
                    scaledKeepingTheRest(original, ((BaseLayer) l).getIUpdater(), 0.1);
                }
                ComputationGraphConfiguration cg = TestNets.residual(TestNets.spec().updater(original))
                        .getConfiguration().clone();
                RemedyApplier.layers(cg).values().forEach(l -> ((BaseLayer) l).setIUpdater(original));
                RemedyApplier.apply(remedy(Remedy.Kind.RAISE_LEARNING_RATE, List.of("h1"), 3, ""), cg);
                scaledKeepingTheRest(original, ((BaseLayer) RemedyApplier.layers(cg).get("h1")).getIUpdater(), 3);
                assertThat(((BaseLayer) RemedyApplier.layers(cg).get("h0")).getIUpdater()).isEqualTo(original);
            }
        }
        // the scaled configuration serialises and trains
        MultiLayerConfiguration conf = TestNets.mlp(TestNets.spec().updater(new Adam(SCHEDULES.get(1))))
                .getLayerWiseConfigurations().clone();
        RemedyApplier.apply(remedy(Remedy.Kind.SCALE_LEARNING_RATE, List.of(), 0.5, ""), conf);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertThat(((BaseLayer) back.getConf(0).getLayer()).getIUpdater())
                .isEqualTo(((BaseLayer) conf.getConf(0).getLayer()).getIUpdater());
        assertThat(((BaseLayer) back.getConf(0).getLayer()).getIUpdater().getLearningRate(7, 0))
                .isCloseTo(0.5 * 1e-3 * 0.5, within(1e-12));
        trainsOneStep(back, batch());
    }

    private static void scaledKeepingTheRest(IUpdater original, IUpdater scaled, double factor) {
        assertThat(scaled.getClass()).isEqualTo(original.getClass());
        ISchedule s = RemedyApplier.schedule(scaled);
        assertThat(s).as("%s keeps its schedule", original).isInstanceOf(ScaledSchedule.class);
        assertThat(((ScaledSchedule) s).schedule()).isEqualTo(RemedyApplier.schedule(original));
        for (int it : new int[]{0, 3, 7, 25}) {
            for (int ep : new int[]{0, 2}) {
                assertThat(scaled.getLearningRate(it, ep)).as("%s at %d/%d", original, it, ep)
                        .isCloseTo(factor * original.getLearningRate(it, ep), within(1e-12));
            }
        }
        IUpdater restored = scaled.clone();
        restored.setLrAndSchedule(rate(original), RemedyApplier.schedule(original));
        assertThat(restored).as("only the rate and its schedule changed").isEqualTo(original);
    }

    private static double rate(IUpdater u) {
        try {
            return ((Number) u.getClass().getMethod("getLearningRate").invoke(u)).doubleValue();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aFixedRateIsScaledAndAnUpdaterWithoutARateRefusesARateRemedy() {
        MultiLayerConfiguration conf = TestNets.mlp(TestNets.spec().updater(new Nesterovs(0.1, 0.7)))
                .getLayerWiseConfigurations().clone();
        RemedyApplier.apply(remedy(Remedy.Kind.SCALE_LEARNING_RATE, List.of("h0"), 0.5, ""), conf);
        IUpdater h0 = ((BaseLayer) RemedyApplier.layers(conf).get("h0")).getIUpdater();
        assertThat(h0).isEqualTo(new Nesterovs(0.05, 0.7));
        assertThat(((BaseLayer) RemedyApplier.layers(conf).get("h1")).getIUpdater()).isEqualTo(new Nesterovs(0.1, 0.7));

        MultiLayerConfiguration adaDelta = TestNets.mlp(TestNets.spec().updater(new AdaDelta()))
                .getLayerWiseConfigurations().clone();
        assertThatThrownBy(() -> RemedyApplier.apply(remedy(Remedy.Kind.SCALE_LEARNING_RATE, List.of(), 0.1, ""),
                adaDelta)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AdaDelta");
    }

    @Test
    void removeScheduleSetsAFixedRateOnMlnAndGraph() {
        ISchedule step = SCHEDULES.get(1);
        MultiLayerConfiguration conf = TestNets.mlp(TestNets.spec().updater(new Adam(step)))
                .getLayerWiseConfigurations().clone();
        RemedyApplier.apply(remedy(Remedy.Kind.REMOVE_SCHEDULE, List.of(), 0, ""), conf);
        for (Layer l : RemedyApplier.layers(conf).values()) {
            IUpdater u = ((BaseLayer) l).getIUpdater();
            assertThat(RemedyApplier.schedule(u)).isNull();
            assertThat(u.getLearningRate(50, 3)).isEqualTo(1e-3);
        }
        trainsOneStep(conf, batch());
        ComputationGraphConfiguration cg = TestNets.residual(TestNets.spec().updater(new Sgd(step)))
                .getConfiguration().clone();
        RemedyApplier.apply(remedy(Remedy.Kind.REMOVE_SCHEDULE, List.of("r1"), 0.01, ""), cg);
        assertThat(((BaseLayer) RemedyApplier.layers(cg).get("r1")).getIUpdater()).isEqualTo(new Sgd(0.01));
        assertThat(RemedyApplier.schedule(((BaseLayer) RemedyApplier.layers(cg).get("r2")).getIUpdater()))
                .isEqualTo(step);
        trainsOneStep(cg, batch());
    }

    @Test
    void setUpdaterParameterChangesOnlyThatParameterAndKeepsTheSchedule() {
        ISchedule step = SCHEDULES.get(1);
        MultiLayerConfiguration conf = TestNets.mlp(TestNets.spec().updater(new Adam(step)))
                .getLayerWiseConfigurations().clone();
        RemedyApplier.apply(remedy(Remedy.Kind.SET_UPDATER_PARAMETER, List.of(), 0.99, "beta2"), conf);
        Adam expected = new Adam(step);
        expected.setBeta2(0.99);
        assertThat(((BaseLayer) RemedyApplier.layers(conf).get("h0")).getIUpdater()).isEqualTo(expected);
        trainsOneStep(conf, batch());

        ComputationGraphConfiguration cg = TestNets.residual(TestNets.spec().updater(new Nesterovs(0.01, 0.99)))
                .getConfiguration().clone();
        RemedyApplier.apply(remedy(Remedy.Kind.SET_UPDATER_PARAMETER, List.of("h0"), 0.9, "momentum"), cg);
        assertThat(((BaseLayer) RemedyApplier.layers(cg).get("h0")).getIUpdater()).isEqualTo(new Nesterovs(0.01, 0.9));
        assertThat(((BaseLayer) RemedyApplier.layers(cg).get("h1")).getIUpdater()).isEqualTo(new Nesterovs(0.01, 0.99));

        MultiLayerConfiguration rms = TestNets.mlp(TestNets.spec().updater(new RmsProp(1e-3, 0.5, 1e-8)))
                .getLayerWiseConfigurations().clone();
        RemedyApplier.apply(remedy(Remedy.Kind.SET_UPDATER_PARAMETER, List.of(), 0.95, "rho"), rms);
        assertThat(((BaseLayer) RemedyApplier.layers(rms).get("out")).getIUpdater())
                .isEqualTo(new RmsProp(1e-3, 0.95, 1e-8));
        assertThatThrownBy(() -> RemedyApplier.apply(remedy(Remedy.Kind.SET_UPDATER_PARAMETER, List.of(), 0.9,
                "momentum"), rms.clone())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no updater has that hyper-parameter");
    }

    @Test
    void averageMinibatchTurnsSummedGradientsBackIntoAveragesOnMlnAndGraph() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).miniBatch(false)
                .updater(new Sgd(0.01)).list()
                .layer(new DenseLayer.Builder().name("h0").nIn(TestNets.IN).nOut(16).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(16)
                        .nOut(TestNets.CLASSES).activation(Activation.SOFTMAX).build()).build();
        RemedyApplier.apply(remedy(Remedy.Kind.AVERAGE_MINIBATCH, List.of(), 0, ""), conf);
        assertThat(conf.getConfs()).allMatch(NeuralNetConfiguration::isMiniBatch);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertThat(net.conf().isMiniBatch()).isTrue();
        net.fit(batch());

        ComputationGraphConfiguration cg = new NeuralNetConfiguration.Builder().seed(1).miniBatch(false)
                .updater(new Sgd(0.01)).graphBuilder().addInputs("in")
                .addLayer("h0", new DenseLayer.Builder().nIn(TestNets.IN).nOut(16).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16)
                        .nOut(TestNets.CLASSES).activation(Activation.SOFTMAX).build(), "h0")
                .setOutputs("out").build();
        RemedyApplier.apply(remedy(Remedy.Kind.AVERAGE_MINIBATCH, List.of(), 0, ""), cg);
        ComputationGraph g = new ComputationGraph(cg);
        g.init();
        assertThat(g.conf().isMiniBatch()).isTrue();
        g.fit(batch());
    }

    @Test
    void setRegularizationReplacesOnlyThatKind() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).l1(1e-4).l2(0.5)
                .updater(new Adam(1e-3)).list()
                .layer(new DenseLayer.Builder().name("h0").nIn(TestNets.IN).nOut(16).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(16)
                        .nOut(TestNets.CLASSES).activation(Activation.SOFTMAX).build()).build();
        RemedyApplier.apply(remedy(Remedy.Kind.SET_REGULARIZATION, List.of("h0"), 1e-5, "l2"), conf);
        BaseLayer h0 = (BaseLayer) RemedyApplier.layers(conf).get("h0");
        assertThat(h0.getRegularization()).containsExactlyInAnyOrder(new L1Regularization(1e-4),
                new L2Regularization(1e-5));
        assertThat(((BaseLayer) RemedyApplier.layers(conf).get("out")).getRegularization())
                .contains(new L2Regularization(0.5));
        RemedyApplier.apply(remedy(Remedy.Kind.SET_REGULARIZATION, List.of("h0"), 0, "l1"), conf);
        RemedyApplier.apply(remedy(Remedy.Kind.SET_REGULARIZATION, List.of("h0"), 1e-3, "weightDecay"), conf);
        assertThat(h0.getRegularization()).containsExactlyInAnyOrder(new L2Regularization(1e-5),
                new WeightDecay(1e-3, true));
        trainsOneStep(conf, batch());
        assertThatThrownBy(() -> RemedyApplier.apply(remedy(Remedy.Kind.SET_REGULARIZATION, List.of(), 1, "l3"),
                conf)).hasMessageContaining("l1, l2 or weightDecay");
    }

    @Test
    void setWidthChangesTheLayerAndWhatItFeedsOnDenseMln() {
        MultiLayerConfiguration conf = TestNets.mlp(TestNets.spec()).getLayerWiseConfigurations().clone();
        RemedyApplier.apply(remedy(Remedy.Kind.SET_WIDTH, List.of("h0"), 128, ""), conf);
        Map<String, Layer> l = RemedyApplier.layers(conf);
        assertThat(((FeedForwardLayer) l.get("h0")).getNOut()).isEqualTo(128);
        assertThat(((FeedForwardLayer) l.get("h1")).getNIn()).isEqualTo(128);
        assertThat(((FeedForwardLayer) l.get("h1")).getNOut()).isEqualTo(32);
        trainsOneStep(conf, batch());
        assertThatThrownBy(() -> RemedyApplier.apply(remedy(Remedy.Kind.SET_WIDTH, List.of("out"), 5, ""),
                conf)).hasMessageContaining("output layer 'out'");
    }

    @Test
    void setWidthFollowsThroughBatchNormPoolingAndTheCnnToDensePreprocessorOfAConvNet() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("c0").nOut(4).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().name("bn").build())
                .layer(new SubsamplingLayer.Builder(2, 2).name("pool").stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("d").nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out")
                        .nOut(TestNets.CLASSES).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build();
        RemedyApplier.apply(remedy(Remedy.Kind.SET_WIDTH, List.of("c0"), 8, ""), conf);
        Map<String, Layer> l = RemedyApplier.layers(conf);
        assertThat(((FeedForwardLayer) l.get("c0")).getNOut()).isEqualTo(8);
        assertThat(((FeedForwardLayer) l.get("bn")).getNOut()).isEqualTo(8);
        assertThat(((FeedForwardLayer) l.get("d")).getNIn()).isEqualTo(8 * 13 * 13);
        trainsOneStep(conf, batch());
    }

    @Test
    void setBatchNormEpsChangesOnlyTheNamedBatchNormalization() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3)).list()
                .layer(new DenseLayer.Builder().name("d").nIn(TestNets.IN).nOut(16)
                        .activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().name("bn").eps(100).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out")
                        .nOut(TestNets.CLASSES).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(TestNets.IN)).build();
        RemedyApplier.apply(remedy(Remedy.Kind.SET_BATCHNORM_EPS, List.of("bn"), 1e-5, ""), conf);
        assertThat(((BatchNormalization) RemedyApplier.layers(conf).get("bn")).getEps()).isEqualTo(1e-5);
        assertThat(((BatchNormalization) RemedyApplier.layers(conf).get("bn")).getDecay()).isEqualTo(0.9);
        trainsOneStep(conf, batch());
    }

    @Test
    void setWidthOfARecurrentLayerAndOfAGraphLayerFeedingAMerge() {
        MultiLayerConfiguration rnn = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3)).list()
                .layer(new LSTM.Builder().name("lstm").nIn(1).nOut(8).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).name("out").nIn(8).nOut(1)
                        .activation(Activation.IDENTITY).build()).build();
        RemedyApplier.apply(remedy(Remedy.Kind.SET_WIDTH, List.of("lstm"), 12, ""), rnn);
        assertThat(((FeedForwardLayer) RemedyApplier.layers(rnn).get("out")).getNIn()).isEqualTo(12);
        MultiLayerNetwork net = new MultiLayerNetwork(rnn);
        net.init();
        net.fit(new DataSet(Nd4j.rand(4, 1, 5), Nd4j.rand(4, 1, 5)));
        assertThat(net.score()).isFinite();

        ComputationGraphConfiguration cg = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3))
                .graphBuilder().addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nIn(TestNets.IN).nOut(16).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nIn(TestNets.IN).nOut(8).build(), "in")
                .addVertex("merge", new MergeVertex(), "a", "b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(24)
                        .nOut(TestNets.CLASSES).activation(Activation.SOFTMAX).build(), "merge")
                .setOutputs("out").build();
        RemedyApplier.apply(remedy(Remedy.Kind.SET_WIDTH, List.of("a"), 32, ""), cg);
        assertThat(((FeedForwardLayer) RemedyApplier.layers(cg).get("out")).getNIn()).isEqualTo(40);
        trainsOneStep(cg, batch());

        ComputationGraphConfiguration residual = TestNets.residual(TestNets.spec()).getConfiguration().clone();
        assertThatThrownBy(() -> RemedyApplier.apply(remedy(Remedy.Kind.SET_WIDTH, List.of("r2"), 64, ""),
                residual)).hasMessageContaining("ElementWiseVertex 'add'");
    }

    @Test
    void setOutputLossTakesItsPairFromTheArgumentAndClippingCanBeRemoved() {
        MultiLayerConfiguration conf = TestNets.mlp(TestNets.spec()).getLayerWiseConfigurations().clone();
        RemedyApplier.apply(remedy(Remedy.Kind.SET_OUTPUT_LOSS, List.of(), 0, "SIGMOID/XENT"), conf);
        BaseOutputLayer out = (BaseOutputLayer) RemedyApplier.layers(conf).get("out");
        assertThat(out.getActivationFn()).isInstanceOf(ActivationSigmoid.class);
        assertThat(out.getLossFn()).isInstanceOf(LossBinaryXENT.class);
        trainsOneStep(conf, batch());
        RemedyApplier.apply(remedy(Remedy.Kind.SET_OUTPUT_LOSS, List.of("out"), 0, ""), conf);
        assertThat(out.getLossFn()).isInstanceOf(LossMCXENT.class);
        assertThatThrownBy(() -> RemedyApplier.apply(remedy(Remedy.Kind.SET_OUTPUT_LOSS, List.of(), 0, "SOFTMAX"),
                conf)).hasMessageContaining("ACTIVATION/LOSS");

        ComputationGraphConfiguration cg = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3))
                .gradientNormalization(GradientNormalization.ClipL2PerLayer).gradientNormalizationThreshold(0.5)
                .graphBuilder().addInputs("in")
                .addLayer("h0", new DenseLayer.Builder().nIn(TestNets.IN).nOut(16).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16)
                        .nOut(TestNets.CLASSES).activation(Activation.SOFTMAX).build(), "h0")
                .setOutputs("out").build();
        RemedyApplier.apply(remedy(Remedy.Kind.CLIP_GRADIENTS, List.of(), 0, "None"), cg);
        for (Layer l : RemedyApplier.layers(cg).values()) {
            assertThat(((BaseLayer) l).getGradientNormalization()).isEqualTo(GradientNormalization.None);
            assertThat(((BaseLayer) l).getGradientNormalizationThreshold()).isEqualTo(0.5);
        }
        trainsOneStep(cg, batch());
    }
}
