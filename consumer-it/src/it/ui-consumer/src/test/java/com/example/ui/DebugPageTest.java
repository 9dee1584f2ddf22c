package com.example.ui;

import io.dl4jdebug.check.TrainingCheck;
import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.ui.DebugModule;
import io.dl4jdebug.ui.StatsStorageSink;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.ui.api.UIModule;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A user's project on dl4j-debug-ui: the suite publishes into a StatsStorage, and the Debug page is packaged. */
class DebugPageTest {

    @Test
    void aTrainingRunIsStoredForTheDebugPage() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(42).updater(new Adam(1e-3)).weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(32).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        StatsStorageSink sink = StatsStorageSink.builder(storage).build();

        var result = TrainingCheck.of(net)
                .data(new ListDataSetIterator<>(FashionMnist.load(FashionMnist.Split.TRAIN, 256).asList(), 32))
                .iterations(16).suite(DebugSuite.builder().logging(false).sink(sink)).run();

        result.assertHealthy();
        assertTrue(storage.listSessionIDs().contains(sink.sessionId()), "sessions: " + storage.listSessionIDs());
        assertFalse(storage.listTypeIDsForSession(sink.sessionId()).isEmpty());
    }

    @Test
    void theDebugPageIsRegisteredWithDl4jsUi() {
        boolean found = false;
        for (UIModule m : ServiceLoader.load(UIModule.class)) {
            found |= m instanceof DebugModule;
        }
        assertTrue(found, "DebugModule not found through META-INF/services/org.deeplearning4j.ui.api.UIModule");
        assertNotNull(getClass().getResource("/deeplearning4jUiAssets/dl4jdebug/debug.html"), "page assets missing");
    }

    @Test
    void theOnlySlf4jBindingIsTheOneThisProjectChose() throws IOException {
        List<URL> bindings = Collections.list(getClass().getClassLoader()
                .getResources("org/slf4j/impl/StaticLoggerBinder.class"));
        assertEquals(1, bindings.size(), "SLF4J bindings on the classpath: " + bindings);
        assertTrue(bindings.get(0).toString().contains("slf4j-simple"), bindings.get(0).toString());
        assertThrows(ClassNotFoundException.class, () -> Class.forName("ch.qos.logback.classic.Logger"),
                "dl4j-debug-ui must not bring Logback");
    }
}
