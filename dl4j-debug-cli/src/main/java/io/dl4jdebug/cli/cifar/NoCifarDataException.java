package io.dl4jdebug.cli.cifar;

import java.nio.file.Path;

/**
 * A directory the user named holds neither CIFAR-10 layout. The message starts with the directory, so that a command
 * can put its option in front ({@code "--data-dir " + e.getMessage()}).
 */
public final class NoCifarDataException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param directory the directory that was named */
    public NoCifarDataException(Path directory) {
        super(directory + " holds no CIFAR-10: expected the binary distribution (cifar-10-batches-bin: "
                + "data_batch_1.bin .. data_batch_5.bin, test_batch.bin) or DL4J's layout "
                + "(data/cifar10/train/<class>/*.png, data/cifar10/test/<class>/*.png)");
    }
}
