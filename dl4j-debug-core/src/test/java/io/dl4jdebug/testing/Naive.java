package io.dl4jdebug.testing;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Naive JVM-side reference computations, for comparing against the device reductions of the probes. */
public final class Naive {

    private Naive() {
    }

    public static double[] values(INDArray a) {
        return a.dup().data().asDouble();
    }

    public static double l2(INDArray a) {
        double s = 0;
        for (double v : values(a)) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    public static double l2Difference(INDArray a, INDArray b) {
        double[] x = values(a);
        double[] y = values(b);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - y[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /**
     * @param a an array whose dimension 0 is the minibatch
     * @return the root mean square, over every other position, of the population standard deviation across dimension
     *         0, computed in double from the values in logical (c) order
     */
    public static double exampleSpread(INDArray a) {
        double[] v = a.dup('c').data().asDouble();
        int examples = (int) a.size(0);
        int features = v.length / examples;
        double sumOfVariances = 0;
        for (int f = 0; f < features; f++) {
            double mean = 0;
            for (int i = 0; i < examples; i++) {
                mean += v[i * features + f];
            }
            mean /= examples;
            double var = 0;
            for (int i = 0; i < examples; i++) {
                double d = v[i * features + f] - mean;
                var += d * d;
            }
            sumOfVariances += var / examples;
        }
        return Math.sqrt(sumOfVariances / features);
    }

    public static double mean(INDArray a) {
        double s = 0;
        double[] v = values(a);
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    public static double std(INDArray a) {
        double m = mean(a);
        double s = 0;
        double[] v = values(a);
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }

    public static double zeroFraction(INDArray a) {
        int zeros = 0;
        double[] v = values(a);
        for (double x : v) {
            if (x == 0) {
                zeros++;
            }
        }
        return (double) zeros / v.length;
    }

    /** Units along axis 1 of a [batch, units, ...] array whose every value is exactly 0. */
    public static int deadUnits(INDArray a) {
        long[] shape = a.shape();
        int count = 0;
        for (int u = 0; u < shape[1]; u++) {
            boolean all = true;
            for (int b = 0; b < shape[0] && all; b++) {
                INDArray slice = a.rank() == 2 ? a.getScalar(b, u) : a.slice(b).slice(u);
                for (double v : values(slice)) {
                    all &= v == 0;
                }
            }
            if (all) {
                count++;
            }
        }
        return count;
    }

    /** Units whose every value is >= high or <= low (either bound, example by example). */
    public static int saturatedUnits(INDArray a, double low, double high) {
        long[] shape = a.shape();
        int count = 0;
        for (int u = 0; u < shape[1]; u++) {
            boolean all = true;
            for (int b = 0; b < shape[0] && all; b++) {
                INDArray slice = a.rank() == 2 ? a.getScalar(b, u) : a.slice(b).slice(u);
                for (double v : values(slice)) {
                    all &= v <= low || v >= high;
                }
            }
            if (all) {
                count++;
            }
        }
        return count;
    }

    public static double fractionAtBounds(INDArray a, double low, double high) {
        int n = 0;
        double[] v = values(a);
        for (double x : v) {
            if (x <= low || x >= high) {
                n++;
            }
        }
        return (double) n / v.length;
    }
}
