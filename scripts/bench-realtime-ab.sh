#!/usr/bin/env bash
# Issue 20's knobs side by side on this machine, each pair alternating in one session (run it on an
# IDLE machine; load averages are printed per run). Every run uses the same jar (copied first, so a
# rebuild meanwhile cannot change it):
#   malloc   bench-path replay + live at C fps with glibc's default malloc vs the launcher's GLIBC_TUNABLES
#   tiles    bench-path live at C fps with --detector-tiles 0 (all on one frame) vs 3 (the default)
#   pairs    segment-stream benchmark (pairs app running) with --pairs-commit-ms 100 vs 1000
#   gc       bench-path replay + live at C fps with G1 (the JVM's default) vs ZGC, twice alternating
#   jit      bench-path live at C fps with the default tiered JIT vs C1 only (-XX:TieredStopAtLevel=1), twice
#   pools    bench-path replay + live at C fps on TensorFlow pools of all cores (default) vs 1 thread
#            (--inference-threads 1: one process, so the generator shares them), twice alternating
#   spin     DANCE_TF_SPINNING on (TensorFlow's default) vs off: bench-path replay + live at C fps, then the
#            segment-stream benchmark (pairs app running), twice alternating
# C = min(30, 0.4 R) as in scripts/bench-headline.sh; pass R as AB_R (else 50).
# Usage: scripts/bench-realtime-ab.sh [OUT_DIR] [which ...]   (default: malloc tiles pairs; AB_FRAMES=300)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/realtime-ab-$(date -u +%Y%m%d-%H%M)}"
shift || true
which=("$@")
[ ${#which[@]} -eq 0 ] && which=(malloc tiles pairs)
mkdir -p "$out/jar"
./dance --help > /dev/null
cp -r cli/target/dance.jar cli/target/lib "$out/jar/"
frames="${AB_FRAMES:-300}"
fps=$(awk -v r="${AB_R:-50}" 'BEGIN { c = 0.4 * r; if (c > 30) c = 30; printf "%.0f", c }')
tunables="glibc.malloc.trim_threshold=67108864:glibc.malloc.mmap_threshold=16777216"
keep='^(==|segmenter:|rendered|capture|process|bare segmenter|through Kafka|  CPU|  first|pairs|ratio|segment  |transfer  )'
run() { # label, GLIBC_TUNABLES value, dance args... (JVM options: AB_JAVA, default -Xmx6g)
  local label="$1" malloc="$2"
  shift 2
  echo "### $label (load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%H:%M:%S))"
  # shellcheck disable=SC2086
  GLIBC_TUNABLES="$malloc" java ${AB_JAVA:--Xmx6g} -jar "$out/jar/dance.jar" "$@" 2>/dev/null | grep -E "$keep" || echo "(run failed)"
  echo
}
# TensorFlow's default pools, as every bench-path run before session 4 had (profile-realtime §6)
path=(bench-path --frames "$frames" --fps "$fps")
for w in "${which[@]}"; do
  case "$w" in
    malloc)
      run "malloc: glibc default" "" "${path[@]}" --mode replay,live
      run "malloc: GLIBC_TUNABLES" "$tunables" "${path[@]}" --mode replay,live ;;
    tiles)
      run "tiles: all 12 on one frame (default)" "$tunables" "${path[@]}" --mode live --detector-tiles 0
      run "tiles: 3 per frame" "$tunables" "${path[@]}" --mode live --detector-tiles 3 ;;
    pairs)
      run "pairs commit 100 ms" "$tunables" segment-stream --benchmark --frames 400 --pairs-commit-ms 100
      run "pairs commit 1000 ms" "$tunables" segment-stream --benchmark --frames 400 --pairs-commit-ms 1000 ;;
    gc)
      for round in 1 2; do
        AB_JAVA="-Xmx6g" run "gc: G1 (round $round)" "$tunables" "${path[@]}" --mode replay,live
        AB_JAVA="-Xmx6g -XX:+UseZGC" run "gc: ZGC (round $round)" "$tunables" "${path[@]}" --mode replay,live
      done ;;
    pools)
      for round in 1 2; do
        run "pools: all cores (round $round)" "$tunables" "${path[@]}" --mode replay,live
        run "pools: 1 thread (round $round)" "$tunables" "${path[@]}" --mode replay,live --inference-threads 1
      done ;;
    spin)
      for round in 1 2; do
        DANCE_TF_SPINNING=on run "spin: on (round $round)" "$tunables" "${path[@]}" --mode replay,live
        DANCE_TF_SPINNING=off run "spin: off (round $round)" "$tunables" "${path[@]}" --mode replay,live
      done
      for round in 1 2; do
        DANCE_TF_SPINNING=on run "spin: on (round $round)" "$tunables" segment-stream --benchmark --frames 400
        DANCE_TF_SPINNING=off run "spin: off (round $round)" "$tunables" segment-stream --benchmark --frames 400
      done ;;
    jit)
      for round in 1 2; do
        AB_JAVA="-Xmx6g" run "jit: tiered, C2 (round $round)" "$tunables" "${path[@]}" --mode live
        AB_JAVA="-Xmx6g -XX:TieredStopAtLevel=1" run "jit: C1 only (round $round)" "$tunables" "${path[@]}" --mode live
      done ;;
  esac
done 2>&1 | tee "$out/ab.txt"
