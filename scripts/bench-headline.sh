#!/usr/bin/env bash
# Re-measures every headline row of docs/benchmarks.md that issue 20 asks for, in one session on
# this machine, and prints a summary to paste into docs/benchmarks.md (date, load, R, CPU flags):
#   R and the TF.js peer ratio   ./dance segment bench --peer ... (R = bare BlazePose-full frames/s)
#   streaming ratio              ./dance segment-stream --benchmark --frames 400 --rounds 3 (pairs app running;
#                                a cold round, then 3 Kafka runs each between two bare runs, median ratio)
#   bench-path                   replay capacity and live at C = min(30, 0.4 R) fps, 640x480, 600 frames;
#                                R is measured again after it and replay is divided by the mean of the two
#   quick demo                   ./dance demo --quick (wall time, rendered + dropped)
#   render fps                   ./dance transfer-stream bench --model <the demo's model> (B = 1)
# Run it on an IDLE machine (the figures are wall-clock rates); the load average is printed per step.
# Builds once, then every step runs the same jar (DANCE_SKIP_BUILD=1).
#
# Usage: scripts/bench-headline.sh [OUT_DIR]   (default out/headline-<date>; raw logs + summary.md there)
# Smaller runs (to try the script): HEADLINE_SEG_FRAMES=60 HEADLINE_STREAM_FRAMES=60 HEADLINE_PATH_FRAMES=60
#   HEADLINE_RUNS=10 HEADLINE_RENDER_FRAMES=60 HEADLINE_SKIP_DEMO=1 scripts/bench-headline.sh /tmp/h
# HEADLINE_PEER: peer-tfjs folder with node_modules (default /tmp/peer-tfjs, set up from
# ../shared/peer-tfjs with npm install when missing; the peer rows are skipped if that fails; none = skip).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/headline-$(date -u +%Y%m%d-%H%M)}"
mkdir -p "$out"
seg_frames="${HEADLINE_SEG_FRAMES:-100}"
runs="${HEADLINE_RUNS:-200}"
stream_frames="${HEADLINE_STREAM_FRAMES:-400}"
stream_rounds="${HEADLINE_STREAM_ROUNDS:-3}"
path_frames="${HEADLINE_PATH_FRAMES:-600}"
render_frames="${HEADLINE_RENDER_FRAMES:-300}"
peer="${HEADLINE_PEER:-/tmp/peer-tfjs}"

./dance --help > /dev/null   # builds once if sources changed; the runs below must time the same jar
export DANCE_SKIP_BUILD=1

load() { cut -d' ' -f1-3 /proc/loadavg; }
step() { echo "[$(date -u +%H:%M:%S)] $1 (load $(load))" | tee -a "$out/steps.txt" >&2; }

if [ "$peer" != none ] && [ ! -d "$peer/node_modules" ] && [ -d ../shared/peer-tfjs ]; then
  step "setting up the TF.js peer in $peer"
  rm -rf "$peer" && cp -r ../shared/peer-tfjs "$peer" && (cd "$peer" && npm install --silent > /dev/null 2>&1) \
    || echo "peer setup failed: peer rows skipped" >&2
fi
peer_args=()
[ -d "$peer/node_modules" ] && peer_args=(--peer "$peer" --peer-backends wasm)

step "segment bench (R, whole Segmenter, TF.js peer)"
./dance segment bench --variants full --runs "$runs" --frames "$seg_frames" "${peer_args[@]}" \
  > "$out/segment-bench.txt" 2> "$out/segment-bench.err"
# R as issue 20 defines it: one caller, all cores' intra-op threads (not the best configuration)
r=$(grep -E "^\| TF Java \| blazepose-full \| 1 caller, $(nproc) intra-op thread" "$out/segment-bench.txt" | awk -F'|' '{print $6+0}' | head -1)
r1=$(grep -E '^\| TF Java \| blazepose-full \| 1 caller, 1 intra-op thread \|' "$out/segment-bench.txt" | awk -F'|' '{print $6+0}' | head -1 || true)
segmenter=$(grep -E '^\| TF Java Segmenter .*blazepose-full' "$out/segment-bench.txt" | awk -F'|' '{print $6+0}' | sort -n | tail -1)
peer_fps=$(grep -E '^\| TF.js .*blazepose-full' "$out/segment-bench.txt" | awk -F'|' '{print $6+0}' | sort -n | tail -1 || true)
fps=$(awk -v r="$r" 'BEGIN { c = 0.4 * r; if (c > 30) c = 30; printf "%.0f", c }')

step "segment-stream --benchmark --frames $stream_frames --rounds $stream_rounds (pairs app running)"
./dance segment-stream --benchmark --frames "$stream_frames" --rounds "$stream_rounds" > "$out/segment-stream.txt" 2> "$out/segment-stream.err"

step "bench-path replay + live at $fps fps, $path_frames frames, 640x480"
# no --inference-threads: the default, one thread per inference of every model (profile-realtime §7)
./dance bench-path --mode replay,live --fps "$fps" --frames "$path_frames" \
  > "$out/bench-path.txt" 2> "$out/bench-path.err"

# R again right after the path: this VM's speed drifts between minutes, so the replay ratio is taken
# against the mean of the R measured before and after it (the segment-stream benchmark brackets its
# Kafka runs the same way)
step "segment bench again (R after bench-path)"
./dance segment bench --variants full --runs "$runs" --frames 1 > "$out/segment-bench-after.txt" 2> "$out/segment-bench-after.err"
r_after=$(grep -E "^\| TF Java \| blazepose-full \| 1 caller, $(nproc) intra-op thread" "$out/segment-bench-after.txt" | awk -F'|' '{print $6+0}' | head -1)
r_path=$(awk -v a="$r" -v b="$r_after" 'BEGIN { if (b > 0) printf "%.1f", (a + b) / 2; else print a }')

model=""
if [ "${HEADLINE_SKIP_DEMO:-}" != "1" ]; then
  step "demo --quick"
  start=$(date +%s)
  ./dance demo --quick --out "$out/demo" > "$out/demo.txt" 2> "$out/demo.err"
  echo "demo wall time: $(( $(date +%s) - start )) s" >> "$out/demo.txt"
  saved=$(find "$out/demo/models" -name saved_model.pb -printf '%T@ %h\n' 2>/dev/null | sort -n | tail -1 | cut -d' ' -f2- || true)
  model="$saved"
fi
step "transfer-stream bench (render fps, B = 1)${model:+ on $model}"
./dance transfer-stream bench ${model:+--model "$model"} --frames "$render_frames" --batch-sizes 1 \
  > "$out/transfer-bench.txt" 2> "$out/transfer-bench.err"
step "done"

# --- summary -------------------------------------------------------------------------------------
line() { grep -m1 -E "$1" "$2" 2>/dev/null || echo "(not found: see $2)"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
{
  echo "## Headline re-measurement, $(date -u +%F) (scripts/bench-headline.sh)"
  echo
  echo "- machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores;" \
       "CPU flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|fma|avx512f|avx512_vnni|avx512_bf16|amx_tile)$' | tr '\n' ' ')"
  echo "- JVM options: ${DANCE_JAVA_OPTS:-launcher default}; steps and load averages:"
  sed 's/^/  - /' "$out/steps.txt"
  echo "- **R = $r** frames/s (bare BlazePose full, TF Java, 1 caller x all $(nproc) cores' intra-op threads; 1 caller x 1 thread: ${r1:-n/a})"
  echo
  echo "| row | result |"
  echo "| --- | --- |"
  echo "| whole Segmenter (vtest.avi, best of 1 and $(nproc) streams) | $segmenter frames/s = $(ratio "$segmenter" "$r") R |"
  if [ -n "$peer_fps" ]; then
    echo "| TF.js peer (wasm) bare inference | $peer_fps frames/s: TF Java inference $(ratio "$r" "$peer_fps")x, whole Segmenter **$(ratio "$segmenter" "$peer_fps")x** the peer (target >= 2x) |"
  fi
  ss="$out/segment-stream.txt"
  ss_bare=$(line '^bare segmenter loop' "$ss" | sed 's/ [(].*//')
  ss_kafka=$(line '^through Kafka' "$ss" | sed 's/.*: //')
  ss_ratio=$(line '^ratio' "$ss")
  ss_flow=$(line 'from the [0-9]+th segment' "$ss" | sed 's/^ *//')
  ss_cpu=$(grep -m2 -E '^  CPU' "$ss" | sed 's/^ *CPU //; s/ [(]broker.*//' | paste -sd '|' - | sed 's/|/ vs through Kafka /' || true)
  ss_rounds=$(grep -E '^round ratio' "$ss" | sed 's/^round ratio Kafka \/ bare: \([0-9.]*\).*/\1/' | paste -sd ' ' - || true)
  ss_cold=$(line '^cold round ratio' "$ss" | sed 's/.*: //')
  echo "| segment-stream, $stream_frames frames, pairs app running, $stream_rounds rounds each between two bare runs | cold round (not counted): $ss_bare; $ss_kafka; $ss_flow; CPU bare $ss_cpu; ratio $ss_cold; round ratios ${ss_rounds:-n/a}; **$ss_ratio** (target >= 0.90) |"
  replay=$(awk '/^== replay/{f=1} f && /^rendered frames\/s/{print $3; exit}' "$out/bench-path.txt")
  echo "| bench-path replay capacity, 640x480, $path_frames frames | ${replay:-n/a} frames/s = **$(ratio "${replay:-0}" "$r_path") R** against R $r_path, the mean of R before ($r) and after (${r_after:-n/a}) the path (target >= 0.7 R) |"
  live_counts=$(awk '/^== live/{f=1} f && /^rendered [0-9]+ \+/{print; exit}' "$out/bench-path.txt")
  live_lat=$(awk '/^== live/{f=1} f && /^capture/{print; exit}' "$out/bench-path.txt")
  live_fps=$(awk '/^== live/{f=1} f && /^rendered frames\/s/{print; exit}' "$out/bench-path.txt")
  echo "| bench-path live at $fps fps (= min(30, 0.4 R)), $path_frames frames | ${live_counts:-n/a}; ${live_fps:-}; ${live_lat:-} (target: every frame rendered, p99 <= 100 ms) |"
  render=$(line 'in-process render' "$out/transfer-bench.txt" | awk -F'|' '{print $4 "frames/s," $5 "ms/frame"}')
  echo "| render fps (transfer-stream bench, B = 1, ${model:-no model: the placeholder path}) | $render |"
  if [ "${HEADLINE_SKIP_DEMO:-}" != "1" ]; then
    echo "| demo --quick | $(line 'demo wall time' "$out/demo.txt"); $(line 'source frames ingested' "$out/demo.txt" | sed 's/^ *//') |"
  fi
  echo
  echo "Raw output: $out/*.txt"
} | tee "$out/summary.md"
