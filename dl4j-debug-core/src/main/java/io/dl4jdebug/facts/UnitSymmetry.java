package io.dl4jdebug.facts;

import io.dl4jdebug.model.LayerInfo;
import io.dl4jdebug.model.ModelView;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Measures whether the units of a layer are copies of each other: every unit's incoming weights equal (the symmetry
 * a constant or zero weight init leaves; gradient descent gives identical units identical updates, so it is never
 * broken). One reduction per weight array, run once when the facts are read. Stateless.
 */
final class UnitSymmetry {

    /** Units whose weights differ by at most this much (relative to the largest weight) count as identical. */
    static final double TOLERANCE = 1e-7;

    private UnitSymmetry() {
    }

    /**
     * @param view the network
     * @return the names of the hidden layers (not output layers) with at least two units whose units all have
     *         identical incoming weights
     */
    static List<String> identicalLayers(ModelView view) {
        List<String> names = new ArrayList<>();
        for (LayerInfo layer : view.layers()) {
            if (layer.outputLayer()) {
                continue;
            }
            layer.parameters().stream().filter(p -> p.key().equals("W") && p.isTrainable()).findFirst()
                    .ifPresent(p -> {
                        if (identical(view.parameterArray(p))) {
                            names.add(layer.name());
                        }
                    });
        }
        return names;
    }

    /**
     * @param w a dense weight matrix [nIn, nOut] or a convolution kernel [nOut, nIn, kH, kW]
     * @return true when it has at least two units and every unit's incoming weights are the same
     */
    static boolean identical(INDArray w) {
        INDArray units;
        if (w.rank() == 2) {
            units = w.transpose(); // one row per unit
        } else if (w.rank() == 4) {
            units = w.reshape('c', w.size(0), w.length() / w.size(0));
        } else {
            return false; // recurrent and other layouts: not judged
        }
        if (units.size(0) < 2) {
            return false;
        }
        double scale = w.amaxNumber().doubleValue();
        double spread = units.std(false, 0).maxNumber().doubleValue();
        return spread <= TOLERANCE * Math.max(scale, 1e-30);
    }
}
