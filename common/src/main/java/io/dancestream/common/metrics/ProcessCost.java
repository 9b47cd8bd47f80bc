package io.dancestream.common.metrics;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * CPU time of the whole process (every thread: Java, TensorFlow's and OpenCV's native pools, an
 * in-process broker) and time in garbage collection, read at two points of a benchmark. On a
 * shared machine wall-clock rates depend on what else runs; CPU per frame mostly does not, so
 * benchmarks print both.
 */
public record ProcessCost(long cpuNanos, long gcMillis, long gcCount, long wallNanos) {

    public static ProcessCost now() {
        long gcMs = 0;
        long gcN = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMs += Math.max(0, gc.getCollectionTime());
            gcN += Math.max(0, gc.getCollectionCount());
        }
        long cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
        return new ProcessCost(cpu, gcMs, gcN, System.nanoTime());
    }

    /** What was spent between {@code earlier} and this reading. */
    public ProcessCost since(ProcessCost earlier) {
        return new ProcessCost(cpuNanos < 0 || earlier.cpuNanos < 0 ? -1 : cpuNanos - earlier.cpuNanos,
                gcMillis - earlier.gcMillis, gcCount - earlier.gcCount, wallNanos - earlier.wallNanos);
    }

    /** "CPU 41.2 ms/frame (1.63 cores busy), GC 120 ms in 9 collections" for {@code frames} frames. */
    public String perFrame(long frames) {
        double cpuMs = cpuNanos < 0 ? Double.NaN : cpuNanos / 1e6 / Math.max(1, frames);
        double cores = cpuNanos < 0 ? Double.NaN : (double) cpuNanos / Math.max(1, wallNanos);
        return String.format(Locale.ROOT, "CPU %.1f ms/frame (%.2f cores busy), GC %d ms in %d collections", cpuMs,
                cores, gcMillis, gcCount);
    }
}
