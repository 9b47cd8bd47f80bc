package io.dancestream.common.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.regex.Pattern;

/**
 * Renames the few third-party meters whose names break Prometheus naming rules, so that a
 * service's whole /metrics passes {@code promtool check metrics}: Kafka's client metrics carry
 * abbreviated units ({@code io.time.ns.avg} → {@code io.time.nanos.avg}), and gauges ending in
 * {@code .count} read like a histogram's count series ({@code connection.count} → {@code connections}),
 * and a few carry no help text.
 */
final class PromLintNames implements MeterFilter {

    private static final Pattern NS = Pattern.compile("\\.ns(\\.|$)");
    private static final Pattern MS = Pattern.compile("\\.ms(\\.|$)");

    @Override
    public Meter.Id map(Meter.Id id) {
        String name = id.getName();
        String renamed = MS.matcher(NS.matcher(name).replaceAll(".nanos$1")).replaceAll(".millis$1");
        if (id.getType() == Meter.Type.GAUGE && renamed.endsWith(".count")) {
            renamed = renamed.substring(0, renamed.length() - ".count".length()) + "s";
        }
        String unit = id.getBaseUnit();
        String fixedUnit = "ns".equals(unit) ? "nanos" : "ms".equals(unit) ? "millis" : unit;
        String description = id.getDescription();
        String fixedDescription = description == null || description.isBlank()
                ? "Kafka client metric " + name : description;
        if (renamed.equals(name) && java.util.Objects.equals(unit, fixedUnit) && fixedDescription.equals(description)) {
            return id;
        }
        return new Meter.Id(renamed, io.micrometer.core.instrument.Tags.of(id.getTagsAsIterable()), fixedUnit,
                fixedDescription, id.getType());
    }
}
