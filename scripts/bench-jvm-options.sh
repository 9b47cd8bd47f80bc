#!/usr/bin/env bash
# JVM option sets for the segment-stream service side by side (issue 20, docs/profile-realtime.md):
# `segment-stream --benchmark` (pairs app running) under each set, alternating set by set per round
# so a change in machine load hits all of them. Prints, per run, the bare and through-Kafka rates,
# their ratio, CPU ms/frame of each phase (all threads) and the GC pauses JFR saw.
# Only a set that beats the default here (ratio up, pauses down, CPU/frame not up) belongs in
# DANCE_JAVA_OPTS's default in ./dance. Run it on an idle machine.
# Usage: scripts/bench-jvm-options.sh [ROUNDS] [FRAMES]   (default 2 rounds of 400 frames)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-2}"
frames="${2:-400}"
./dance --help > /dev/null   # builds once if sources changed; the runs below must time the same jar
jar=cli/target/dance.jar
# the malloc settings ./dance runs with (docs/profile-realtime.md §4), since java is called directly here
export GLIBC_TUNABLES="${GLIBC_TUNABLES-glibc.malloc.trim_threshold=67108864:glibc.malloc.mmap_threshold=16777216}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sets=(
  "-Xmx6g"
  "-Xmx6g -XX:MaxGCPauseMillis=20 -XX:G1HeapRegionSize=4m"
  "-Xmx6g -XX:+UseZGC"
  "-Xmx6g -XX:MaxGCPauseMillis=20 -XX:G1HeapRegionSize=4m -XX:TieredStopAtLevel=1"
)
echo "date: $(date -u +%FT%TZ); cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), $(nproc) cores"
for round in $(seq "$rounds"); do
  for i in "${!sets[@]}"; do
    opts="${sets[$i]}"
    echo
    echo "== round $round, set $i: $opts (load $(cut -d' ' -f1-3 /proc/loadavg))"
    # shellcheck disable=SC2086
    java $opts -XX:StartFlightRecording=filename="$work/run.jfr",settings=default -jar "$jar" \
        segment-stream --benchmark --frames "$frames" 2>/dev/null \
      | grep -E '^(bare segmenter loop|through Kafka|ratio|  CPU|  first segment)' || echo "(run failed)"
    jfr print --events jdk.GarbageCollection "$work/run.jfr" 2>/dev/null \
      | awk '/sumOfPauses/ { v = $3; u = $4; ms = (u == "ms") ? v : (u == "s") ? v * 1000 : (u == "us") ? v / 1000 : v;
                            n++; sum += ms; if (ms > max) max = ms }
             END { printf "  GC pauses (JFR): %d, sum %.0f ms, longest %.1f ms\n", n, sum, max }'
  done
done
