package io.dl4jdebug.ui.storage;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.diagnose.ChecklistItem;


/**
 * What a {@link DebugRecord} holds. Each kind has its own DL4J type ID, so that a storage keeps each kind's updates
 * apart (DL4J keys updates by session, type, worker and timestamp) and a reader fetches one kind without the others.
 * The one-byte {@linkplain #code() code} is part of the binary encoding and never changes.
 */
public enum RecordKind {
    /** A {@link GradientSnapshot}. */
    GRADIENTS(1, "Dl4jDebugGradients", GradientSnapshot.class),
    /** An {@link ActivationSnapshot}. */
    ACTIVATIONS(2, "Dl4jDebugActivations", ActivationSnapshot.class),
    /** A {@link NonFiniteEvent}. */
    NON_FINITE(3, "Dl4jDebugNonFinite", NonFiniteEvent.class),
    /** A {@link Finding}. */
    FINDING(4, "Dl4jDebugFindings", Finding.class),
    /** A {@link LossPoint} (training or validation loss). */
    LOSS(5, "Dl4jDebugLoss", LossPoint.class),
    /** A {@link FittingVerdict}. */
    FITTING(6, "Dl4jDebugFitting", FittingVerdict.class),
    /** A {@link ChecklistItem}. */
    CHECKLIST(7, "Dl4jDebugChecklist", ChecklistItem.class),
    /** A {@link StoredDiagnosis}: the newest one replaces the older ones for display. */
    DIAGNOSIS(8, "Dl4jDebugDiagnosis", StoredDiagnosis.class);

    private final byte code;
    private final String typeId;
    private final Class<?> payloadType;

    RecordKind(int code, String typeId, Class<?> payloadType) {
        this.code = (byte) code;
        this.typeId = typeId;
        this.payloadType = payloadType;
    }

    /** @return the DL4J type ID of this kind's static info and updates */
    public String typeId() {
        return typeId;
    }

    /** @return the class of an update's payload */
    public Class<?> payloadType() {
        return payloadType;
    }

    /** @return the stable code written in the encoding */
    public byte code() {
        return code;
    }

    /**
     * @param code a code read from an encoding
     * @return the kind
     * @throws IllegalArgumentException for an unknown code
     */
    static RecordKind ofCode(byte code) {
        for (RecordKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown dl4j-debug record kind code " + code
                + " (valid: 1..8; written by a newer dl4j-debug?)");
    }
}
