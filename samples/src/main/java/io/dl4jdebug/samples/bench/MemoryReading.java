package io.dl4jdebug.samples.bench;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * One reading of the memory the benchmark watches.
 *
 * <p>Off-heap ND4J memory is libnd4j's own counter of primary (host) memory for device 0
 * ({@code Nd4j.getEnvironment().getDeviceCouner(0)}: every ND4J array buffer; JavaCPP's
 * {@code Pointer.totalBytes()} does not see them on the CPU backend, it only counts a few bytes per array) plus the
 * current size of the calling thread's ND4J workspaces (allocated outside that counter). Heap is the JVM's used
 * heap.
 *
 * @param heapBytes    used Java heap
 * @param offHeapBytes ND4J buffers plus this thread's workspaces
 */
public record MemoryReading(long heapBytes, long offHeapBytes) {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    /** @return a reading now, without a garbage collection */
    public static MemoryReading now() {
        return new MemoryReading(MEMORY.getHeapMemoryUsage().getUsed(), offHeap());
    }

    /**
     * Collects garbage until the used heap settles (at most 5 full collections, each followed by a pause in which
     * JavaCPP's deallocator thread frees the off-heap buffers of collected arrays), then reads.
     *
     * @return a reading of what is reachable
     */
    public static MemoryReading afterGc() {
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            sleepQuietly(50);
            long used = MEMORY.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < 64 * 1024) {
                break;
            }
            previous = used;
        }
        return now();
    }

    /** One full collection, then a pause in which JavaCPP's deallocator frees the buffers of collected arrays. */
    public static void collect() {
        System.gc();
        sleepQuietly(20);
    }

    /**
     * @param other another reading
     * @return the larger of each field
     */
    public MemoryReading max(MemoryReading other) {
        return new MemoryReading(Math.max(heapBytes, other.heapBytes), Math.max(offHeapBytes, other.offHeapBytes));
    }

    private static long offHeap() {
        long workspaces = 0;
        for (MemoryWorkspace ws : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
            workspaces += ws.getCurrentSize();
        }
        return Nd4j.getEnvironment().getDeviceCouner(0) + workspaces;
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
