package io.dl4jdebug.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reads Debian's Fashion-MNIST files; a missing or wrong file gets a message naming it and the fix. */
class FashionMnistTest {

    @Test
    void loadsScaledFeaturesAndOneHotLabels() {
        DataSet ds = FashionMnist.load(FashionMnist.Split.TEST, 100);

        assertThat(ds.getFeatures().shape()).containsExactly(100, 784);
        assertThat(ds.getLabels().shape()).containsExactly(100, 10);
        assertThat(ds.getFeatures().minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
        assertThat(ds.getFeatures().maxNumber().doubleValue()).isLessThanOrEqualTo(1).isGreaterThan(0.9);
        assertThat(ds.getLabels().sum(1).minNumber().doubleValue()).isEqualTo(1.0);
        assertThat(ds.getLabels().sum(1).maxNumber().doubleValue()).isEqualTo(1.0);
        // The first test image of Fashion-MNIST is an ankle boot (class 9).
        assertThat(ds.getLabels().getRow(0).argMax().getInt(0)).isEqualTo(9);
    }

    @Test
    void rawPixelsKeepTheirByteRange() {
        DataSet ds = FashionMnist.load(FashionMnist.defaultDirectory(), FashionMnist.Split.TRAIN, 10, false);

        assertThat(ds.getFeatures().maxNumber().doubleValue()).isGreaterThan(200).isLessThanOrEqualTo(255);
    }

    @Test
    void sequencesAreImageRowsAsTimeSteps() {
        DataSet flat = FashionMnist.load(FashionMnist.Split.TEST, 3);

        DataSet seq = FashionMnist.asSequences(flat);

        assertThat(seq.getFeatures().shape()).containsExactly(3, 28, 28);
        assertThat(seq.getLabels()).isEqualTo(flat.getLabels());
        // Pixel (row 5, column 17) of image 2 is feature 17 at time step 5.
        assertThat(seq.getFeatures().getDouble(2, 17, 5)).isEqualTo(flat.getFeatures().getDouble(2, 5 * 28 + 17));
    }

    @Test
    void sequencesRefuseFeaturesThatAreNotFlatImages() {
        DataSet odd = new DataSet(org.nd4j.linalg.factory.Nd4j.zeros(2, 10), org.nd4j.linalg.factory.Nd4j.zeros(2, 10));

        assertThatThrownBy(() -> FashionMnist.asSequences(odd))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[examples, 784]").hasMessageContaining("[2, 10]");
    }

    @Test
    void missingDirectoryNamesThePathAndThePackage(@TempDir Path empty) {
        assertThatThrownBy(() -> FashionMnist.load(empty, FashionMnist.Split.TRAIN, 10, true))
                .isInstanceOf(MissingDataException.class)
                .hasMessageContaining(empty.resolve("train-images-idx3-ubyte.gz").toString())
                .hasMessageContaining("apt-get install -y dataset-fashion-mnist");
    }

    @Test
    void fileThatIsNotIdxIsRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("t10k-images-idx3-ubyte"), "not an idx file at all");
        Files.writeString(dir.resolve("t10k-labels-idx1-ubyte"), "nor this");

        assertThatThrownBy(() -> FashionMnist.load(dir, FashionMnist.Split.TEST, 10, true))
                .isInstanceOf(MissingDataException.class)
                .hasMessageContaining("t10k-images-idx3-ubyte")
                .hasRootCauseMessage(dir.resolve("t10k-images-idx3-ubyte")
                        + " is not an unsigned-byte IDX file (magic 0x6e6f7420, expected 0x0000080N)");
    }
}
