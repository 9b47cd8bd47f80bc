#!/usr/bin/env bash
# Render cost of a two-frame (temporal) generator against a single-frame one, measured alternately
# (A B A B ...) in one run so machine load hits both alike: transfer-stream's in-process render
# (PNG part map -> steady crop -> generator -> blend over the plate -> JPEG), batch 1, with each
# stream's history as the live path keeps it.
# Usage: scripts/bench-temporal.sh SINGLE_MODEL_DIR TEMPORAL_MODEL_DIR [rounds] [frames]
set -euo pipefail
cd "$(dirname "$0")/.."
single=$1; temporal=$2; rounds=${3:-2}; frames=${4:-200}
./dance --version >/dev/null   # builds once if sources changed
export DANCE_SKIP_BUILD=1
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$rounds"); do
  for m in single temporal; do
    dir=$single; [ "$m" = temporal ] && dir=$temporal
    fps=$(./dance transfer-stream bench --skip-kafka --model "$dir" --batch-sizes 1 --frames "$frames" 2>/dev/null \
          | awk -F'|' '/in-process render/ {gsub(/ /,"",$4); print $4}')
    echo "round $r $m: $fps frames/s (load $(cut -d' ' -f1 /proc/loadavg))"
  done
done
