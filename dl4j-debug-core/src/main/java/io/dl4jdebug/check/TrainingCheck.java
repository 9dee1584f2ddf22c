package io.dl4jdebug.check;

import io.dl4jdebug.listener.DebugSuite;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Training health as a test: trains a network briefly with the dl4j-debug suite attached, then returns the
 * suite's diagnosis; {@link TrainingResult#assertHealthy()} fails with the first incident's headline and fix.
 *
 * <pre>{@code
 * @Test
 * void trainsHealthily() {
 *     TrainingCheck.of(net).data(trainIterator).iterations(200).run().assertHealthy();
 * }
 *
 * @Test
 * void overfitsTwoBatches() {   // Lightning's overfit_batches: the loss must fall on data it sees again and again
 *     TrainingCheck.of(net).data(trainIterator).overfitBatches(2).iterations(100).run().assertHealthy();
 * }
 *
 * @Test
 * void wiringWorks() {          // Lightning's fast_dev_run: one batch through fit and output
 *     TrainingCheck.of(net).data(trainIterator).fastDevRun().run().assertHealthy();
 * }
 * }</pre>
 *
 * <p>The network trains as it is: the suite only watches (no clipping, no NaN panic, nothing changed). Its listeners
 * are removed again after the run, so the same network can be trained further. Not thread safe.
 */
public final class TrainingCheck {

    /** Iterations when {@link #iterations(int)} is not called. */
    public static final int DEFAULT_ITERATIONS = 100;

    private final Model model;
    private DataSetIterator data;
    private int iterations = DEFAULT_ITERATIONS;
    private CheckMode mode = CheckMode.TRAIN;
    private int batches;
    private boolean requireLearning;
    private DebugSuite.Builder suite = DebugSuite.builder().logging(false);

    private TrainingCheck(Model model) {
        this.model = model;
    }

    /**
     * @param model an initialised MultiLayerNetwork or ComputationGraph
     * @return a check of that network
     * @throws IllegalArgumentException for null or another model type
     */
    public static TrainingCheck of(Model model) {
        if (!(model instanceof MultiLayerNetwork) && !(model instanceof ComputationGraph)) {
            throw new IllegalArgumentException("model must be an initialised MultiLayerNetwork or ComputationGraph "
                    + "but was "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        return new TrainingCheck(model);
    }

    /**
     * @param iterator the training data (reset when it runs out, if it can)
     * @return this check
     */
    public TrainingCheck data(DataSetIterator iterator) {
        this.data = Objects.requireNonNull(iterator, "data must not be null");
        return this;
    }

    /**
     * @param n iterations (minibatches fitted) to train, at least 1; {@value #DEFAULT_ITERATIONS} when not called
     * @return this check
     */
    public TrainingCheck iterations(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("iterations must be >= 1 but was " + n);
        }
        this.iterations = n;
        return this;
    }

    /**
     * Trains on the first {@code n} minibatches only, cycling through them for the requested iterations, and
     * requires the loss to fall (a network that cannot fit a few batches has a bug, not a data problem).
     *
     * @param n minibatches, at least 1
     * @return this check
     */
    public TrainingCheck overfitBatches(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("overfitBatches must be >= 1 but was " + n);
        }
        this.mode = CheckMode.OVERFIT_BATCHES;
        this.batches = n;
        this.requireLearning = true;
        return this;
    }

    /**
     * One minibatch through fit and output: see {@link CheckMode#FAST_DEV_RUN}.
     *
     * @return this check
     */
    public TrainingCheck fastDevRun() {
        return fastDevRun(1);
    }

    /**
     * @param n minibatches, each fitted once, at least 1
     * @return this check
     */
    public TrainingCheck fastDevRun(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("fastDevRun batches must be >= 1 but was " + n);
        }
        this.mode = CheckMode.FAST_DEV_RUN;
        this.batches = n;
        this.requireLearning = false;
        return this;
    }

    /**
     * Also requires the loss to fall clearly below its initial value (always on with {@link #overfitBatches}).
     *
     * @return this check
     */
    public TrainingCheck requireLearning() {
        this.requireLearning = true;
        return this;
    }

    /**
     * @param builder the suite to attach (thresholds, validation data, a report file); by default one with its
     *                logging off, since the assertion message carries the diagnosis
     * @return this check
     */
    public TrainingCheck suite(DebugSuite.Builder builder) {
        this.suite = Objects.requireNonNull(builder, "suite must not be null");
        return this;
    }

    /**
     * Attaches the suite, trains, diagnoses and removes the suite's listeners again. Exceptions from DL4J (a shape
     * mismatch) are thrown as they are: that is the wiring error the test is for.
     *
     * @return the result, with the diagnosis
     * @throws IllegalStateException when no data was given or the data has no minibatch
     */
    public TrainingResult run() {
        if (data == null) {
            throw new IllegalStateException("no data: call data(iterator) before run()");
        }
        Collection<TrainingListener> before = new ArrayList<>(listeners());
        DebugSuite attached = suite.build().attachTo(model);
        int fitted;
        try {
            fitted = switch (mode) {
                case TRAIN -> train();
                case OVERFIT_BATCHES -> overfit();
                case FAST_DEV_RUN -> fastDev();
            };
        } finally {
            setListeners(before);
        }
        attached.close();
        return new TrainingResult(mode, fitted, requireLearning, attached.diagnosis());
    }

    private int train() {
        int fitted = 0;
        if (data.resetSupported()) {
            data.reset();
        }
        while (fitted < iterations) {
            if (!data.hasNext()) {
                if (fitted == 0) {
                    throw new IllegalStateException("data has no minibatch");
                }
                if (!data.resetSupported()) {
                    break; // trained on all the data there is
                }
                data.reset();
            }
            fit(data.next());
            fitted++;
        }
        return fitted;
    }

    private int overfit() {
        List<DataSet> fixed = firstBatches(batches);
        for (int i = 0; i < iterations; i++) {
            fit(fixed.get(i % fixed.size()));
        }
        return iterations;
    }

    private int fastDev() {
        List<DataSet> fixed = firstBatches(batches);
        for (DataSet ds : fixed) {
            fit(ds);
        }
        INDArray out = output(fixed.get(0));
        long[] labels = fixed.get(0).getLabels().shape();
        if (!Arrays.equals(out.shape(), labels)) {
            throw new IllegalStateException("fastDevRun: the network's output has shape "
                    + Arrays.toString(out.shape()) + " but the labels have shape "
                    + Arrays.toString(labels));
        }
        return fixed.size();
    }

    private List<DataSet> firstBatches(int n) {
        if (data.resetSupported()) {
            data.reset();
        }
        List<DataSet> fixed = new ArrayList<>();
        while (fixed.size() < n && data.hasNext()) {
            fixed.add(data.next().copy());
        }
        if (fixed.isEmpty()) {
            throw new IllegalStateException("data has no minibatch");
        }
        return fixed;
    }

    private void fit(DataSet ds) {
        if (model instanceof MultiLayerNetwork mln) {
            mln.fit(ds);
        } else {
            ((ComputationGraph) model).fit(ds);
        }
    }

    private INDArray output(DataSet ds) {
        if (model instanceof MultiLayerNetwork mln) {
            return mln.output(ds.getFeatures(), false);
        }
        return ((ComputationGraph) model).outputSingle(false, ds.getFeatures());
    }

    private Collection<TrainingListener> listeners() {
        Collection<TrainingListener> l = model instanceof MultiLayerNetwork mln ? mln.getListeners()
                : ((ComputationGraph) model).getListeners();
        return l == null ? List.of() : l;
    }

    private void setListeners(Collection<TrainingListener> listeners) {
        if (model instanceof MultiLayerNetwork mln) {
            mln.setListeners(listeners);
        } else {
            ((ComputationGraph) model).setListeners(listeners);
        }
    }
}
