#!/usr/bin/env bash
# TensorFlow's oneDNN rewrites on vs off, side by side in one run (issue 17): BlazePose lite,
# full and heavy (`dance segment bench`, with the bfloat16 rewrite as well when oneDNN is on)
# and the exported cpu-realtime generator (`dance train bench`).
#
# TF_ENABLE_ONEDNN_OPTS is read once per process, so each setting is its own `dance` process;
# the settings alternate (on, off, on, off, ...) so that a change in machine load hits both.
# Usage: scripts/bench-onednn.sh [ROUNDS] > out.txt   (default 2 rounds; results: docs/benchmarks-segment.md)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-2}"
./dance --help > /dev/null   # builds once if sources changed; the runs below must time the same jar
export DANCE_SKIP_BUILD=1
echo "date: $(date -u +%FT%TZ)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), $(nproc) cores"
echo "cpu flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|fma|avx512f|avx512_vnni|avx512_bf16|avx_vnni|amx_bf16|amx_tile)$' | tr '\n' ' ')"
for round in $(seq "$rounds"); do
  for mode in 1 0; do
    precisions=fp32
    [ "$mode" = 1 ] && precisions=fp32,bf16
    echo
    echo "== round $round: TF_ENABLE_ONEDNN_OPTS=$mode"
    TF_ENABLE_ONEDNN_OPTS=$mode ./dance segment bench --variants lite,full,heavy --precisions "$precisions" \
        --runs 40 --frames 60 2>/dev/null | sed -n '/^| implementation/,$p'
    TF_ENABLE_ONEDNN_OPTS=$mode ./dance train bench --preset cpu-realtime --steps 20 --frames 60 2>/dev/null | grep '^|'
  done
done
