package io.dancestream.common.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A frame size given as {@code WIDTHxHEIGHT} (e.g. {@code 640x480}, {@code x} or {@code X}), for
 * every option that takes one: {@code @Option(converter = FrameSize.Converter.class) FrameSize s}.
 */
public record FrameSize(int width, int height) {

    private static final Pattern WXH = Pattern.compile("(\\d{1,5})[xX](\\d{1,5})");

    public FrameSize {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("a frame size is at least 1x1, not " + width + "x" + height);
        }
    }

    /** Parses {@code WIDTHxHEIGHT}; a clear error otherwise. */
    public static FrameSize parse(String text) {
        Matcher m = WXH.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("a size is WIDTHxHEIGHT, e.g. 640x480, not '" + text + "'");
        }
        return new FrameSize(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%dx%d", width, height);
    }

    /** picocli's converter: a bad value is a usage error naming the option. */
    public static final class Converter implements ITypeConverter<FrameSize> {
        @Override
        public FrameSize convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
