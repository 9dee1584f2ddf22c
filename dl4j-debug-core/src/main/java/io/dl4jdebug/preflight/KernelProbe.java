package io.dl4jdebug.preflight;

import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a tiny, representative set of float operations on the current ND4J backend in this JVM: a matrix product
 * (BLAS / cuBLAS), an elementwise sigmoid (exp), a sum reduction and a 2x2 conv2d custom op, then synchronises
 * ({@code Nd4j.getExecutioner().commit()}) so that asynchronous CUDA errors surface, and compares every number with
 * the same computation in plain Java. Errors are logged and returned as a failed result, never thrown.
 *
 * <p>On a GPU without code in the ND4J build, a kernel can crash the JVM natively instead of throwing: run the probe
 * in a child JVM there ({@link ChildJvmKernelProbe}). Stateless and thread safe as far as ND4J is.
 */
public final class KernelProbe {

    private static final Logger LOG = LoggerFactory.getLogger(KernelProbe.class);
    /** Largest error allowed, relative to max(1, |expected|): float32 rounding is ~1e-7, a broken kernel is ~1. */
    static final double TOLERANCE = 1e-4;
    /** The operations, in the order they run; the pass message lists them. */
    public static final String OPERATIONS = "mmul/sigmoid/sum/conv2d";

    private static final int M = 4;
    private static final int K = 3;
    private static final int N = 5;
    private static final int C = 2;
    private static final int H = 4;
    private static final int KH = 2;
    private static final int OUT = 3;

    private KernelProbe() {
    }

    /**
     * Runs the operations on the backend ND4J loaded (loading it when needed).
     *
     * @return passed with the largest error, or failed naming the operation and the error or wrong number
     */
    public static KernelProbeResult runInProcess() {
        long start = System.nanoTime();
        String op = "loading the ND4J backend";
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            op = "the mmul";
            float[] a = values(M * K, 1);
            float[] b = values(K * N, 2);
            INDArray product = Nd4j.create(a, new long[] {M, K}, DataType.FLOAT)
                    .mmul(Nd4j.create(b, new long[] {K, N}, DataType.FLOAT));
            op = "the sigmoid";
            float[] x = values(8, 3);
            INDArray xs = Nd4j.create(x, new long[] {x.length}, DataType.FLOAT);
            INDArray sigmoid = Transforms.sigmoid(xs, true);
            op = "the sum";
            INDArray sum = xs.sum();
            op = "the conv2d";
            float[] in = values(C * H * H, 4);
            float[] w = values(KH * KH * C * OUT, 5);
            float[] bias = values(OUT, 6);
            INDArray conv = Nd4j.exec(new Conv2D(Nd4j.create(in, new long[] {1, C, H, H}, DataType.FLOAT),
                    Nd4j.create(w, new long[] {KH, KH, C, OUT}, DataType.FLOAT),
                    Nd4j.create(bias, new long[] {OUT}, DataType.FLOAT),
                    Conv2DConfig.builder().kH(KH).kW(KH).sH(1).sW(1).paddingMode(PaddingMode.VALID)
                            .dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.YXIO).build()))[0];
            op = "synchronising the backend (Nd4j.getExecutioner().commit())";
            Nd4j.getExecutioner().commit();

            op = "copying the results to the host";
            Check check = new Check();
            check.compare("mmul", host(product), matmul(a, b));
            check.compare("sigmoid", host(sigmoid), sigmoidOf(x));
            check.compare("sum", new float[] {sum.getFloat(0)}, new double[] {sumOf(x)});
            check.compare("conv2d", host(conv), conv2d(in, w, bias));
            Map<String, Double> evidence = new LinkedHashMap<>();
            evidence.put("probeSeconds", (System.nanoTime() - start) / 1e9);
            evidence.put("maxRelativeError", check.maxError);
            if (!check.wrong.isEmpty()) {
                String detail = "ND4J computed wrong numbers: " + String.join("; ", check.wrong);
                LOG.warn("kernel probe: {}", detail);
                return KernelProbeResult.failed(detail, evidence);
            }
            return KernelProbeResult.passed(String.format(Locale.ROOT, "a tiny %s ran correctly (largest relative "
                    + "error %.2g)", OPERATIONS, check.maxError), evidence);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("kernel probe: {} threw", op, e);
            return KernelProbeResult.failed(op + " threw " + describe(e),
                    Map.of("probeSeconds", (System.nanoTime() - start) / 1e9));
        }
    }

    /** Collects wrong numbers and the largest relative error. */
    private static final class Check {
        private final List<String> wrong = new ArrayList<>();
        private double maxError;

        void compare(String op, float[] got, double[] expected) {
            if (got.length != expected.length) {
                wrong.add(op + " returned " + got.length + " values, expected " + expected.length);
                return;
            }
            for (int i = 0; i < got.length; i++) {
                double error = Math.abs(got[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
                if (!(error <= TOLERANCE)) {
                    wrong.add(String.format(Locale.ROOT, "%s value %d is %s, expected %.6g", op, i, got[i],
                            expected[i]));
                    maxError = Double.isNaN(error) ? Double.POSITIVE_INFINITY : Math.max(maxError, error);
                    return;
                }
                maxError = Math.max(maxError, error);
            }
        }
    }

    /** @return the throwable and its causes, e.g. "ExceptionInInitializerError, caused by UnsatisfiedLinkError: ..." */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.toString());
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && cause != e && depth < 4; depth++, cause = cause.getCause()) {
            sb.append(", caused by ").append(cause);
        }
        return sb.toString();
    }

    /** @return the array's values in row-major order, copied to the host */
    private static float[] host(INDArray array) {
        return array.dup('c').data().asFloat();
    }

    /** @return n small deterministic values in [-0.5, 0.5], different for each salt */
    static float[] values(int n, int salt) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = ((i * 7 + salt * 3) % 11 - 5) / 10f;
        }
        return v;
    }

    static double[] matmul(float[] a, float[] b) {
        double[] out = new double[M * N];
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < N; j++) {
                double s = 0;
                for (int k = 0; k < K; k++) {
                    s += (double) a[i * K + k] * b[k * N + j];
                }
                out[i * N + j] = s;
            }
        }
        return out;
    }

    static double[] sigmoidOf(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = 1 / (1 + Math.exp(-x[i]));
        }
        return out;
    }

    static double sumOf(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return s;
    }

    /** NCHW input [1, C, H, H], YXIO weights [KH, KH, C, OUT], stride 1, no padding: output [1, OUT, H-1, H-1]. */
    static double[] conv2d(float[] in, float[] w, float[] bias) {
        int ho = H - KH + 1;
        double[] out = new double[OUT * ho * ho];
        for (int o = 0; o < OUT; o++) {
            for (int y = 0; y < ho; y++) {
                for (int x = 0; x < ho; x++) {
                    double s = bias[o];
                    for (int c = 0; c < C; c++) {
                        for (int ky = 0; ky < KH; ky++) {
                            for (int kx = 0; kx < KH; kx++) {
                                s += (double) in[(c * H + y + ky) * H + x + kx]
                                        * w[((ky * KH + kx) * C + c) * OUT + o];
                            }
                        }
                    }
                    out[(o * ho + y) * ho + x] = s;
                }
            }
        }
        return out;
    }
}
