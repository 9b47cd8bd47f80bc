package io.dancestream.ingest;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-off between a live source's capture thread and the sender: a short queue that
 * never blocks the camera. When full, the oldest unsent frame makes room and is returned to
 * the caller to count as dropped, so latency stays bounded when the producer falls behind.
 */
final class LatestFrames<T> {

    private final int capacity;
    private final ArrayDeque<T> queue;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private boolean finished;

    LatestFrames(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.queue = new ArrayDeque<>(capacity);
    }

    /** Adds a frame; returns the oldest one it displaced, or null. */
    T offer(T item) {
        lock.lock();
        try {
            T dropped = queue.size() >= capacity ? queue.pollFirst() : null;
            queue.addLast(item);
            notEmpty.signal();
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** The oldest queued frame; null once {@link #finish()} was called and the queue is empty. */
    T take(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (finished || nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return queue.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    /** No more frames will come (the capture thread ended). */
    void finish() {
        lock.lock();
        try {
            finished = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isFinished() {
        lock.lock();
        try {
            return finished && queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns whatever is still queued (at shutdown, to release it). */
    java.util.List<T> drain() {
        lock.lock();
        try {
            java.util.List<T> rest = new java.util.ArrayList<>(queue);
            queue.clear();
            return rest;
        } finally {
            lock.unlock();
        }
    }
}
