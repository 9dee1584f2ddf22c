package io.dl4jdebug.diagnose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The learning rate the updater actually applied over the run, read from each layer's schedule at the iterations and
 * epochs trained: a schedule that brought the rate below {@link UpdatePath#DECAYED} of its start and kept it there
 * for at least {@link #STARVED_SHARE} of the run starved the training ({@link Symptom#LEARNING_RATE_TOO_LOW},
 * setting {@link Setting#LEARNING_RATE_SCHEDULE}). Schedules planned for the run spend little of it below 1 % of
 * their start: cosine annealing to 0 about 6 %, polynomial decay (power 2) to 0 and a step schedule cut 10x three
 * times about 10 %, linear decay to 0 about 1 %, an exponential decay that reaches 1 % at the end none; a quarter
 * of the run is more than twice the largest of those. Needs freshly initialised weights (the schedule then counts
 * from iteration and epoch 0 in this run) and the run's length; one finding per distinct schedule, naming every
 * layer that uses it. Stateless.
 */
final class ScheduleFindings {

    /** A schedule that kept the rate near zero for at least this share of the run starved it. */
    static final double STARVED_SHARE = 0.25;

    private ScheduleFindings() {
    }

    /**
     * @param facts the network's configuration
     * @param loss  the run's loss curve, with its iterations and epochs
     * @return the findings, empty for runs that cannot be judged
     */
    static List<Finding> of(NetworkFacts facts, LossSummary loss) {
        List<Finding> found = new ArrayList<>();
        if (!facts.freshWeights() || loss.iterations() < 2) {
            return found;
        }
        Map<String, List<LayerFacts>> bySchedule = new LinkedHashMap<>();
        for (LayerFacts l : facts.trainable()) {
            if (l.settings().scheduled() && l.learningRate().isPresent()) {
                bySchedule.computeIfAbsent(l.settings().schedule(), k -> new ArrayList<>()).add(l);
            }
        }
        for (List<LayerFacts> layers : bySchedule.values()) {
            starved(layers, loss).ifPresent(found::add);
        }
        return found;
    }

    private static java.util.Optional<Finding> starved(List<LayerFacts> layers, LossSummary loss) {
        LayerFacts l = layers.get(0);
        LayerSettings s = l.settings();
        long n = loss.iterations();
        int epochs = loss.epochs();
        long crossing;
        int crossingEpoch;
        double share;
        OptionalLong byIteration = s.iterationRateBelow(UpdatePath.DECAYED);
        OptionalInt byEpoch = s.epochRateBelow(UpdatePath.DECAYED);
        if (byIteration.isPresent() && byIteration.getAsLong() < n) {
            crossing = byIteration.getAsLong();
            crossingEpoch = epochs > 0 ? (int) Math.min(epochs - 1, crossing * epochs / n) : 0;
            share = (double) (n - crossing) / n;
        } else if (byEpoch.isPresent() && epochs > 0 && byEpoch.getAsInt() < epochs) {
            crossingEpoch = byEpoch.getAsInt();
            crossing = n * crossingEpoch / epochs;
            share = (double) (epochs - crossingEpoch) / epochs;
        } else {
            return java.util.Optional.empty();
        }
        double start = l.learningRate().getAsDouble();
        OptionalDouble atEnd = s.rateAt(n - 1, Math.max(0, epochs - 1));
        if (share < STARVED_SHARE || atEnd.isEmpty() || atEnd.getAsDouble() >= UpdatePath.DECAYED * start) {
            return java.util.Optional.empty();
        }
        String names = String.join(", ", layers.stream().map(LayerFacts::name).toList());
        return java.util.Optional.of(Finding.builder(Symptom.LEARNING_RATE_TOO_LOW, Severity.WARN,
                        String.format(Locale.ROOT, "the learning-rate schedule %s brought the rate of %s from %s "
                                        + "below %s (1%% of it) at iteration %d and kept it there for %.0f%% of the "
                                        + "%d iterations trained (%s at the end)", s.schedule(), names,
                                FixAdvisor.num(start), FixAdvisor.num(UpdatePath.DECAYED * start), crossing,
                                100 * share, n, FixAdvisor.num(atEnd.getAsDouble())))
                .layer(l.name()).firstIteration(crossing)
                .evidence("epoch", crossingEpoch).evidence("learningRate", start)
                .evidence("appliedRate", atEnd.getAsDouble()).evidence("starvedShare", share)
                .evidence("threshold", UpdatePath.DECAYED)
                .suggest("a schedule that keeps the rate near " + FixAdvisor.num(start) + " for most of the run, or a "
                        + "fixed rate")
                .build());
    }
}
