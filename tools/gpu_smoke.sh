#!/usr/bin/env bash
# GPU smoke test: what has never run without a GPU, in one script (about 5 minutes on one GPU
# once installed; the first install builds mmcv's CUDA ops, which takes longer).
#
#   1. install: tools/install.sh, which builds mmcv 2.1.0 WITH CUDA ops when nvcc and a GPU
#      are present, cached as a wheel keyed by python, torch and CUDA version (cuXYZ)
#   2. every project's paper-size model: one training step on CUDA, fp32 and AMP, time per
#      iteration and peak memory; mmcv CUDA ops; TTVSR's trajectory gather on the GPU
#      (tools/gpu_smoke.py)
#   3. tools/train.py --amp on the demo config (tiny embedded data, a few iterations)
#   4. tools/dist_train.sh with NCCL, one process per visible GPU (world size 1 with one GPU)
#
# Usage: tools/gpu_smoke.sh [--no-install] [--cpu-dry-run] [OUT_DIR]
#   --no-install   use $PYTHON (default .venv/bin/python) as it is, without tools/install.sh
#   --cpu-dry-run  no GPU: the same steps on the CPU (batch 1, no AMP, 2 gloo processes),
#                  to check the script itself
# Writes OUT_DIR/summary.md (default work_dirs/gpu_smoke) and the logs of every step.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INSTALL=1
DRY=0
OUT="$ROOT/work_dirs/gpu_smoke"
for arg in "$@"; do
    case "$arg" in
        --no-install) INSTALL=0 ;;
        --cpu-dry-run) DRY=1 ;;
        -*) echo "unknown option $arg" >&2; exit 2 ;;
        *) OUT="$arg" ;;
    esac
done
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
SUMMARY="$OUT/summary.md"
FAILED=0

if [ "$INSTALL" = 1 ]; then
    start=$SECONDS
    "$ROOT/tools/install.sh" 2>&1 | tee "$OUT/install.log" || { echo "install failed" >&2; exit 1; }
    echo "install: $((SECONDS - start)) s" >"$OUT/install.time"
fi
if [ -z "${PYTHON:-}" ]; then
    if [ -x "$ROOT/.venv/bin/python" ]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python; fi
fi
export PYTHON
export PYTHONUNBUFFERED=1

{
    echo "# GPU smoke test, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    if command -v nvidia-smi >/dev/null; then
        echo '```'
        nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
        echo '```'
    fi
    "$PYTHON" - <<'EOF'
import torch, mmcv, mmengine
print(f'python stack: torch {torch.__version__} (CUDA {torch.version.cuda}), mmcv '
      f'{mmcv.__version__}, mmengine {mmengine.__version__}; GPUs visible: '
      f'{torch.cuda.device_count()}')
EOF
    [ -f "$OUT/install.time" ] && cat "$OUT/install.time"
    echo
    echo '| step | result | seconds |'
    echo '|---|---|---|'
} >"$SUMMARY"

# run NAME LOG COMMAND...: runs a step, records pass/fail and its wall time in the summary.
run() {
    local name=$1 log=$2
    shift 2
    local start=$SECONDS
    echo "==> $name"
    if "$@" >"$OUT/$log" 2>&1; then
        echo "| $name | ok | $((SECONDS - start)) |" >>"$SUMMARY"
    else
        echo "| $name | FAILED (exit $?, see $log) | $((SECONDS - start)) |" >>"$SUMMARY"
        FAILED=1
        tail -n 20 "$OUT/$log"
    fi
}

if [ "$DRY" = 1 ]; then
    DEVICE=(--device cpu --small)
    NPROC=2
else
    DEVICE=(--device cuda)
    NPROC=$("$PYTHON" -c 'import torch; print(torch.cuda.device_count())')
fi

run "paper-size models, one train step each (fp32, AMP)" models.log \
    "$PYTHON" "$ROOT/tools/gpu_smoke.py" "${DEVICE[@]}" --out "$OUT"

# The demo config on a tiny embedded moving-digits set: 24 training videos, 3 iterations.
DATA="$OUT/data/moving_digits"
DEMO="$ROOT/configs/demo/tsn_r18_1xb16-1x1x3-15e_moving-digits.py"
OPTIONS=(data_root="$DATA" train_cfg.max_epochs=1 train_dataloader.batch_size=8
         default_hooks.logger.interval=1)
for split in train val test; do
    OPTIONS+=("${split}_dataloader.dataset.builder.root=$DATA"
              "${split}_dataloader.dataset.dataset.ann_file=$DATA/${split}_list.txt"
              "${split}_dataloader.dataset.dataset.data_prefix.video=$DATA/videos")
    for part in train:24 val:8 test:8; do
        OPTIONS+=("${split}_dataloader.dataset.builder.videos.${part%%:*}=${part##*:}")
    done
done
AMP=(--amp)
[ "$DRY" = 1 ] && AMP=()
run "tools/train.py ${AMP[*]:-(no --amp on CPU)} (demo, 3 iterations)" train_amp.log \
    "$PYTHON" "$ROOT/tools/train.py" "$DEMO" "${AMP[@]}" --work-dir "$OUT/train_amp" \
    --cfg-options "${OPTIONS[@]}"
PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run "tools/dist_train.sh, $NPROC process(es) ($([ "$DRY" = 1 ] && echo gloo || echo NCCL))" \
    dist_train.log env PORT="$PORT" "$ROOT/tools/dist_train.sh" "$DEMO" "$NPROC" \
    --work-dir "$OUT/dist_train" --cfg-options "${OPTIONS[@]}"

{
    echo
    [ -f "$OUT/models.md" ] && sed '1,2d' "$OUT/models.md"
} >>"$SUMMARY"
echo
cat "$SUMMARY"
exit $FAILED
