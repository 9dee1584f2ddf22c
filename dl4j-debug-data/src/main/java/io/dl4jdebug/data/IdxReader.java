package io.dl4jdebug.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads unsigned-byte IDX files (the format of MNIST and Fashion-MNIST), gzip-compressed or not.
 * Stateless and thread safe.
 */
public final class IdxReader {

    private static final int UNSIGNED_BYTE = 0x08;

    private IdxReader() {
    }

    /**
     * An IDX array of unsigned bytes.
     *
     * @param dimensions the sizes of its dimensions (dimension 0 counts the items)
     * @param data       the values, row-major, 0..255 stored as signed bytes (read with {@code b & 0xFF})
     */
    public record IdxArray(int[] dimensions, byte[] data) {
        /** @return the number of items (size of dimension 0) */
        public int items() {
            return dimensions[0];
        }

        /** @return values per item (product of the other dimensions) */
        public int itemSize() {
            int size = 1;
            for (int i = 1; i < dimensions.length; i++) {
                size *= dimensions[i];
            }
            return size;
        }
    }

    /**
     * Reads the first {@code limit} items of an IDX file.
     *
     * @param file  the file; names ending in ".gz" are decompressed
     * @param limit the most items to read (fewer when the file has fewer)
     * @return the items
     * @throws IOException when the file cannot be read or is not an unsigned-byte IDX file
     */
    public static IdxArray read(Path file, int limit) throws IOException {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0 but was " + limit);
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             DataInputStream in = new DataInputStream(file.toString().endsWith(".gz")
                     ? new GZIPInputStream(raw, 1 << 16) : raw)) {
            int magic = in.readInt();
            int type = (magic >> 8) & 0xFF;
            int rank = magic & 0xFF;
            if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || rank < 1) {
                throw new IOException(file + " is not an unsigned-byte IDX file (magic 0x"
                        + Integer.toHexString(magic) + ", expected 0x0000080N)");
            }
            int[] dims = new int[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readInt();
            }
            dims[0] = Math.min(dims[0], limit);
            IdxArray array = new IdxArray(dims, null);
            byte[] data = new byte[Math.multiplyExact(array.items(), array.itemSize())];
            try {
                in.readFully(data);
            } catch (EOFException e) {
                throw new IOException(file + " is truncated: expected " + data.length + " values", e);
            }
            return new IdxArray(dims, data);
        }
    }
}
