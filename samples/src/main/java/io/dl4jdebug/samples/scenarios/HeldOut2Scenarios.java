package io.dl4jdebug.samples.scenarios;

import java.util.List;
import java.util.stream.Stream;

/**
 * The second held-out labelled set ({@code scenarios --set held-out-2}): bugs written blind, without reading the
 * diagnosis or any set's scores, and with mechanisms apart from both earlier sets', to score the diagnosis on bugs
 * nobody tuned it on.
 * Dense MultiLayerNetworks and graphs ({@link HeldOut2Dense}), CNNs, recurrent networks and Keras imports
 * ({@link HeldOut2Other}); every bug has a healthy twin and was kept only when it harms training at seeds 1, 2 and 3
 * (docs/samples.md, "Second held-out set"). Stateless.
 */
public final class HeldOut2Scenarios {

    private static final List<LabelledScenario> ALL = Stream.of(HeldOut2Dense.all(), HeldOut2Other.all())
            .flatMap(List::stream).toList();

    private HeldOut2Scenarios() {
    }

    /** @return every scenario of the second held-out set, bugs before healthy networks within each group */
    public static List<LabelledScenario> all() {
        return ALL;
    }
}
