package io.dancestream.common.service;

/** Default ports, distinct per service so every service can run on one host (and in compose). */
public final class ServicePorts {

    public static final int BROKER = 9092;
    public static final int INGEST_METRICS = 9401;
    public static final int SEGMENT_STREAM_METRICS = 9402;
    public static final int TRANSFER_STREAM_METRICS = 9403;
    public static final int TRAINER_METRICS = 9404;
    public static final int VIEWER_METRICS = 9405;
    public static final int VIEWER_HTTP = 8090;

    private ServicePorts() {
    }
}
