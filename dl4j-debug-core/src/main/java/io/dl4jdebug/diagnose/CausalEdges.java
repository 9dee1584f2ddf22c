package io.dl4jdebug.diagnose;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Predicate;

import static io.dl4jdebug.diagnose.Symptom.*;

/**
 * The explicit cause → effect table of the diagnosis (Alertmanager's {@code inhibit_rules}): when a cause fired no
 * later than an effect, and where the layers' positions allow it, the effect is folded under the cause's incident.
 * Each edge has a one-line reason, printed in {@code docs/report.md}. Where two symptoms can explain each other
 * (an exploding gradient kills units, dead units raise the update ratio), the one seen first wins, then
 * {@link #PRIORITY}. Some edges hold only for some configurations ({@link Edge#when()}): a high update ratio
 * explains an exploding gradient only when the configured rate itself is implausible; with a plausible rate it is the
 * huge gradient that makes the huge update. {@link #PRIORITY} is derived from the table itself
 * ({@link #derivePriority()}). Stateless.
 */
public final class CausalEdges {

    /** Where the effect may sit relative to the cause's layers. */
    public enum Position {
        /** Anywhere (or the effect is global). */
        ANY,
        /**
         * At or before the cause's last layer plus one, in forward order: backprop carries a vanished gradient
         * towards the input, and the layer right after a dead one gets zero input, so zero weight gradients.
         */
        UPSTREAM,
        /** At or after the cause's first layer: the forward pass carries the damage towards the output. */
        DOWNSTREAM
    }

    /**
     * One cause → effect edge.
     *
     * @param cause    the symptom that explains
     * @param effect   the symptom explained
     * @param position where the effect may sit
     * @param reason   one line: why the cause produces the effect
     */
    public record Edge(Symptom cause, Symptom effect, Position position, String reason, Condition when) {

        /** Validates the fields. */
        public Edge {
            when = when == null ? Condition.ALWAYS : when;
        }

        /**
         * @param facts the network's configuration
         * @return whether the edge holds for this network
         */
        public boolean holds(NetworkFacts facts) {
            return when.test().test(facts);
        }
    }

    /**
     * A condition on the network's configuration under which an edge holds.
     *
     * @param text what it requires, for the documentation
     * @param test the test
     */
    public record Condition(String text, Predicate<NetworkFacts> test) {

        /** The edge always holds. */
        public static final Condition ALWAYS = new Condition("", f -> true);

        /** The configured learning rate is above its plausible maximum ({@link FixAdvisor#rateLooksHigh}). */
        public static final Condition RATE_IMPLAUSIBLE = new Condition("the configured rate is above its plausible "
                + "maximum", FixAdvisor::rateLooksHigh);

        /** The configured learning rate is plausible. */
        public static final Condition RATE_PLAUSIBLE = new Condition("the configured rate is plausible",
                f -> !FixAdvisor.rateLooksHigh(f));
    }

    private static final Map<Symptom, List<Edge>> BY_CAUSE = new EnumMap<>(Symptom.class);


    private static final Set<Symptom> GRADIENT_SYMPTOMS = EnumSet.of(VANISHING_GRADIENT, EXPLODING_GRADIENT,
            GRADIENT_MISSING, WEIGHTS_NOT_UPDATING, LEARNING_RATE_TOO_HIGH, LEARNING_RATE_TOO_LOW);

    static {
        String lrHigh = "steps too large for the weights' scale";
        edges(LEARNING_RATE_TOO_HIGH, Position.ANY, lrHigh + " blow the weights and the loss up",
                LOSS_DIVERGING, NON_FINITE, LOSS_OSCILLATING);
        edge(LEARNING_RATE_TOO_HIGH, EXPLODING_GRADIENT, Position.ANY, lrHigh + " blow the weights up, and with "
                + "them the gradients", Condition.RATE_IMPLAUSIBLE);
        edges(LEARNING_RATE_TOO_HIGH, Position.ANY, lrHigh + " push units into their dead or saturated range, "
                + "after which the gradient and the update stop", DEAD_UNITS, SATURATED_ACTIVATIONS,
                ACTIVATION_COLLAPSE, VANISHING_GRADIENT, GRADIENT_MISSING, WEIGHTS_NOT_UPDATING,
                LOSS_NOT_DECREASING, UNDERFITTING, CANNOT_OVERFIT_SMALL_BATCH);
        edges(EXPLODING_GRADIENT, Position.ANY, "huge gradients make huge steps: the weights overflow or leave the "
                        + "units dead or saturated", NON_FINITE, LOSS_DIVERGING, LOSS_OSCILLATING, DEAD_UNITS,
                SATURATED_ACTIVATIONS, VANISHING_GRADIENT, WEIGHTS_NOT_UPDATING,
                INIT_LOSS_UNEXPECTED, ACTIVATION_COLLAPSE, LOSS_NOT_DECREASING, UNDERFITTING);
        edge(EXPLODING_GRADIENT, LEARNING_RATE_TOO_HIGH, Position.ANY, "a huge gradient makes a huge update at any "
                + "plausible rate", Condition.RATE_PLAUSIBLE);
        edges(UNITS_IDENTICAL, Position.ANY, "identical units compute one function and get one gradient: the layer "
                        + "acts as a single unit and the signal through it is poor", ACTIVATION_COLLAPSE, DEAD_UNITS,
                VANISHING_GRADIENT, GRADIENT_MISSING, WEIGHTS_NOT_UPDATING, LEARNING_RATE_TOO_LOW, LOSS_NOT_DECREASING,
                UNDERFITTING, CANNOT_OVERFIT_SMALL_BATCH, SATURATED_ACTIVATIONS, INIT_LOSS_UNEXPECTED,
                LAYER_TOO_NARROW);
        edges(LAYER_TOO_NARROW, Position.ANY, "a bottleneck caps what the network can fit: the loss stalls above "
                + "what the data allow", LOSS_NOT_DECREASING, UNDERFITTING, CANNOT_OVERFIT_SMALL_BATCH,
                LEARNING_RATE_TOO_LOW, DEAD_UNITS, SATURATED_ACTIVATIONS);
        edges(LOSS_DIVERGING, Position.ANY, "a loss that grows without bound overflows", NON_FINITE);
        edges(NON_FINITE, Position.ANY, "once a value is NaN/Inf everything computed from it is too",
                LOSS_DIVERGING, WEIGHTS_NOT_UPDATING, GRADIENT_MISSING, VANISHING_GRADIENT, LOSS_NOT_DECREASING);
        edges(DEAD_UNITS, Position.UPSTREAM, "dead ReLUs pass no gradient back: the weights before them (and right "
                + "after them) get none", VANISHING_GRADIENT, GRADIENT_MISSING, WEIGHTS_NOT_UPDATING);
        edges(DEAD_UNITS, Position.DOWNSTREAM, "the layers after a dead one see the same (zero) input for every "
                + "example", ACTIVATION_COLLAPSE);
        edges(DEAD_UNITS, Position.ANY, "with its units dead the network cannot fit: the update ratio and the "
                + "loss stall", LEARNING_RATE_TOO_LOW, LOSS_NOT_DECREASING, UNDERFITTING, CANNOT_OVERFIT_SMALL_BATCH);
        edges(SATURATED_ACTIVATIONS, Position.UPSTREAM, "a saturated sigmoid/tanh has a near-zero derivative",
                VANISHING_GRADIENT, WEIGHTS_NOT_UPDATING, GRADIENT_MISSING);
        edges(SATURATED_ACTIVATIONS, Position.DOWNSTREAM, "units stuck at a bound give the same output for every "
                + "example", ACTIVATION_COLLAPSE);
        edges(SATURATED_ACTIVATIONS, Position.ANY, "saturated units stall learning", LEARNING_RATE_TOO_LOW,
                LOSS_NOT_DECREASING, UNDERFITTING, CANNOT_OVERFIT_SMALL_BATCH);
        edges(VANISHING_GRADIENT, Position.ANY, "without gradient the weights cannot move", WEIGHTS_NOT_UPDATING,
                LEARNING_RATE_TOO_LOW, LOSS_NOT_DECREASING, UNDERFITTING, CANNOT_OVERFIT_SMALL_BATCH,
                GRADIENT_MISSING);
        edges(VANISHING_GRADIENT, Position.DOWNSTREAM, "layers whose weights cannot learn keep erasing the input",
                ACTIVATION_COLLAPSE);
        edges(ACTIVATION_COLLAPSE, Position.ANY, "when every example gives the same output the loss gradient "
                        + "carries no information about the input", VANISHING_GRADIENT, GRADIENT_MISSING,
                WEIGHTS_NOT_UPDATING, LEARNING_RATE_TOO_LOW, LOSS_NOT_DECREASING, UNDERFITTING,
                CANNOT_OVERFIT_SMALL_BATCH);
        edges(BATCHNORM_MISCONFIGURED, Position.ANY, "BatchNormalization with gamma 0 outputs a constant: the "
                        + "signal and the gradient stop there", ACTIVATION_COLLAPSE, GRADIENT_MISSING, DEAD_UNITS,
                VANISHING_GRADIENT, WEIGHTS_NOT_UPDATING, LEARNING_RATE_TOO_LOW, LOSS_NOT_DECREASING,
                UNDERFITTING, CANNOT_OVERFIT_SMALL_BATCH, TRAIN_INFERENCE_MISMATCH, SATURATED_ACTIVATIONS);
        edges(GRADIENT_MISSING, Position.ANY, "a parameter without gradient cannot move", WEIGHTS_NOT_UPDATING,
                VANISHING_GRADIENT, LEARNING_RATE_TOO_LOW, LOSS_NOT_DECREASING, CANNOT_OVERFIT_SMALL_BATCH);
        edges(DATA_UNNORMALIZED, Position.ANY, "inputs far from unit scale saturate or kill the first units and "
                        + "give huge first-layer gradients", SATURATED_ACTIVATIONS, EXPLODING_GRADIENT, DEAD_UNITS,
                NON_FINITE, LOSS_DIVERGING, LEARNING_RATE_TOO_HIGH, ACTIVATION_COLLAPSE, LOSS_OSCILLATING,
                LOSS_NOT_DECREASING, INIT_LOSS_UNEXPECTED, VANISHING_GRADIENT,
                UNDERFITTING, CANNOT_OVERFIT_SMALL_BATCH, WEIGHTS_NOT_UPDATING, LEARNING_RATE_TOO_LOW);
        edges(DATA_NON_FINITE, Position.ANY, "a NaN/Inf in the input reaches every value computed from it",
                NON_FINITE, LOSS_DIVERGING, INIT_LOSS_UNEXPECTED, GRADIENT_MISSING, DATA_UNNORMALIZED,
                WEIGHTS_NOT_UPDATING, VANISHING_GRADIENT, LOSS_NOT_DECREASING, SHAPE_MISMATCH);
        edges(LABELS_INVALID, Position.ANY, "examples without a valid label add no loss in training, so the "
                + "training loss looks lower than the validation loss", OVERFITTING);
        edges(LABELS_INVALID, Position.ANY, "labels the loss cannot use give a meaningless loss and gradient",
                INIT_LOSS_UNEXPECTED, LOSS_NOT_DECREASING, NON_FINITE, LOSS_DIVERGING, UNDERFITTING,
                CLASS_IMBALANCE, LOSS_OUTPUT_MISMATCH, CANNOT_OVERFIT_SMALL_BATCH, LOSS_OSCILLATING);
        edges(LOSS_OUTPUT_MISMATCH, Position.ANY, "a loss that does not fit the output activation gives wrong or "
                        + "vanishing gradients at the output", INIT_LOSS_UNEXPECTED, LOSS_NOT_DECREASING, NON_FINITE,
                LOSS_DIVERGING, UNDERFITTING, VANISHING_GRADIENT, SATURATED_ACTIVATIONS, CANNOT_OVERFIT_SMALL_BATCH,
                WEIGHTS_NOT_UPDATING, LEARNING_RATE_TOO_LOW, GRADIENT_MISSING);
        edges(DROPOUT_MISCONFIGURED, Position.ANY, "dropping most units makes every step noisy and the training "
                        + "output different from inference", UNDERFITTING, LOSS_NOT_DECREASING, LOSS_OSCILLATING,
                CANNOT_OVERFIT_SMALL_BATCH, TRAIN_INFERENCE_MISMATCH, DEAD_UNITS, OVERFITTING,
                ACTIVATION_COLLAPSE, LEARNING_RATE_TOO_LOW, LEARNING_RATE_TOO_HIGH);
        edges(REGULARIZATION_DOMINATES, Position.ANY, "a penalty larger than the data loss pulls every weight to 0",
                UNDERFITTING, LOSS_NOT_DECREASING, VANISHING_GRADIENT, WEIGHTS_NOT_UPDATING, DEAD_UNITS,
                ACTIVATION_COLLAPSE, LEARNING_RATE_TOO_HIGH, LEARNING_RATE_TOO_LOW, CANNOT_OVERFIT_SMALL_BATCH);
        edges(TRAIN_INFERENCE_MISMATCH, Position.ANY, "inference mode computes a different function than training: "
                + "the validation loss is high for that reason, not because the model memorised", OVERFITTING);
        edges(LEARNING_RATE_TOO_LOW, Position.ANY, "steps too small to move the weights", WEIGHTS_NOT_UPDATING,
                LOSS_NOT_DECREASING, UNDERFITTING, CANNOT_OVERFIT_SMALL_BATCH);
        edges(WEIGHTS_NOT_UPDATING, Position.ANY, "weights that do not change cannot lower the loss",
                LOSS_NOT_DECREASING, UNDERFITTING, LEARNING_RATE_TOO_LOW, CANNOT_OVERFIT_SMALL_BATCH);
        edges(LOSS_NOT_DECREASING, Position.ANY, "a loss that does not go down stays high", UNDERFITTING);
        edges(INIT_LOSS_UNEXPECTED, Position.ANY, "an initial loss far from ln(C) means saturated or overconfident "
                + "outputs from the start", LOSS_NOT_DECREASING);
    }

    private CausalEdges() {
    }

    /**
     * Root-cause-first order of the symptoms, used when two groups start at the same iteration and to order
     * incidents: {@link #derivePriority()} of the table above.
     */
    public static final List<Symptom> PRIORITY = derivePriority();

    private static void edges(Symptom cause, Position position, String reason, Symptom... effects) {
        for (Symptom e : effects) {
            edge(cause, e, position, reason, Condition.ALWAYS);
        }
    }

    private static void edge(Symptom cause, Symptom effect, Position position, String reason, Condition when) {
        BY_CAUSE.computeIfAbsent(cause, k -> new ArrayList<>()).add(new Edge(cause, effect, position, reason, when));
    }

    /**
     * The one root-cause-first order, derived from the edges: symptoms that explain each other (directly or through
     * others) form one strongly connected component; the components are ordered so that every cause comes before
     * what it explains (a topological order of the condensed graph, whatever the conditions); components with no
     * order between them, and the symptoms inside one component, come by the method's level (code, numerical,
     * optimization), then by how many symptoms they explain (more first), then by declaration.
     *
     * @return every symptom, once, causes first
     */
    static List<Symptom> derivePriority() {
        Map<Symptom, Set<Symptom>> next = new EnumMap<>(Symptom.class);
        for (Symptom s : Symptom.values()) {
            next.put(s, EnumSet.noneOf(Symptom.class));
        }
        BY_CAUSE.values().forEach(list -> list.forEach(e -> next.get(e.cause()).add(e.effect())));
        Map<Symptom, Integer> reach = new EnumMap<>(Symptom.class);
        for (Symptom s : Symptom.values()) {
            reach.put(s, reachable(s, next).size());
        }
        Comparator<Symptom> tie = Comparator.comparing((Symptom s) -> s.level().ordinal())
                .thenComparing(s -> -reach.get(s)).thenComparing(Enum::ordinal);
        Map<Symptom, Integer> component = components(next);
        int count = component.values().stream().mapToInt(i -> i).max().orElse(-1) + 1;
        List<List<Symptom>> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            members.add(new ArrayList<>());
        }
        component.forEach((s, c) -> members.get(c).add(s));
        members.forEach(m -> m.sort(tie));
        int[] indegree = new int[count];
        List<Set<Integer>> successors = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            successors.add(new java.util.HashSet<>());
        }
        next.forEach((s, effects) -> effects.forEach(e -> {
            int a = component.get(s);
            int b = component.get(e);
            if (a != b && successors.get(a).add(b)) {
                indegree[b]++;
            }
        }));
        PriorityQueue<Integer> ready = new PriorityQueue<>(Comparator.comparing(c -> members.get(c).get(0), tie));
        for (int i = 0; i < count; i++) {
            if (indegree[i] == 0) {
                ready.add(i);
            }
        }
        List<Symptom> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            int c = ready.poll();
            order.addAll(members.get(c));
            for (int d : successors.get(c)) {
                if (--indegree[d] == 0) {
                    ready.add(d);
                }
            }
        }
        return List.copyOf(order);
    }

    private static Set<Symptom> reachable(Symptom from, Map<Symptom, Set<Symptom>> next) {
        Set<Symptom> seen = EnumSet.noneOf(Symptom.class);
        Deque<Symptom> todo = new ArrayDeque<>(next.get(from));
        while (!todo.isEmpty()) {
            Symptom s = todo.pop();
            if (seen.add(s)) {
                todo.addAll(next.get(s));
            }
        }
        seen.remove(from);
        return seen;
    }

    /** @return each symptom's strongly connected component (two symptoms share one when each reaches the other) */
    private static Map<Symptom, Integer> components(Map<Symptom, Set<Symptom>> next) {
        Map<Symptom, Integer> component = new EnumMap<>(Symptom.class);
        int id = 0;
        for (Symptom s : Symptom.values()) {
            if (component.containsKey(s)) {
                continue;
            }
            Set<Symptom> forward = reachable(s, next);
            for (Symptom t : Symptom.values()) {
                if (t == s || (!component.containsKey(t) && forward.contains(t) && reachable(t, next).contains(s))) {
                    component.put(t, id);
                }
            }
            id++;
        }
        return component;
    }

    /** @return every edge, grouped by cause in {@link #PRIORITY} order */
    public static List<Edge> all() {
        List<Edge> all = new ArrayList<>();
        for (Symptom s : PRIORITY) {
            all.addAll(BY_CAUSE.getOrDefault(s, List.of()));
        }
        return Collections.unmodifiableList(all);
    }

    /**
     * @param cause  a symptom
     * @param effect another
     * @return the edge from cause to effect, empty when the cause does not explain the effect
     */
    public static Optional<Edge> edge(Symptom cause, Symptom effect) {
        return BY_CAUSE.getOrDefault(cause, List.of()).stream().filter(e -> e.effect() == effect).findFirst();
    }

    /**
     * @param cause  a symptom
     * @param effect another
     * @param facts  the network's configuration
     * @return the edge from cause to effect that holds for this network, empty when none does
     */
    public static Optional<Edge> edge(Symptom cause, Symptom effect, NetworkFacts facts) {
        return BY_CAUSE.getOrDefault(cause, List.of()).stream().filter(e -> e.effect() == effect)
                .filter(e -> e.holds(facts)).findFirst();
    }

    /**
     * @param symptom a symptom
     * @return its rank in {@link #PRIORITY} (lower is more of a root cause)
     */
    public static int priority(Symptom symptom) {
        int i = PRIORITY.indexOf(symptom);
        return i < 0 ? PRIORITY.size() : i;
    }

    /**
     * @param symptom a symptom
     * @return true for symptoms measured on gradients or updates, whose origin is the output side (backward order)
     */
    public static boolean isGradientSymptom(Symptom symptom) {
        return GRADIENT_SYMPTOMS.contains(symptom);
    }
}
