package io.dancestream.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorFlowThreadsTest {

    @Test
    void spinningIsTensorFlowsDefaultUnlessTurnedOff() {
        assertTrue(TensorFlowThreads.spinning(null));
        assertTrue(TensorFlowThreads.spinning(""));
        assertTrue(TensorFlowThreads.spinning("on"));
        assertFalse(TensorFlowThreads.spinning("off"));
        assertFalse(TensorFlowThreads.spinning(" OFF "));
    }

    @Test
    void anotherValueIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorFlowThreads.spinning("0"));
        assertEquals("DANCE_TF_SPINNING must be on or off, is '0'", e.getMessage());
    }
}
