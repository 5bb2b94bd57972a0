#!/usr/bin/env bash
# One-command install of the MMPlug stack into .venv (see README, "Install").
#
#   1. toolchain: torch 2.14.1 + torchvision 0.29.1, numpy < 2, setuptools < 70
#   2. mmcv 2.1.0 WITH compiled ops, built from the PyPI sdist with -std=c++20 (torch 2.14's
#      headers refuse older standards) and cached under $MMPLUG_CACHE keyed by
#      python / torch / CUDA, so a second install on the same machine reuses the wheel
#   3. the OpenMMLab model zoos and their pins (requirements/runtime.txt)
#   4. test tools and this repository in editable mode
#
# Environment: PYTHON (interpreter for the venv, default python3.11), VENV (default .venv),
# MMPLUG_CACHE (default ~/.cache/mmplug), MAX_JOBS (parallel compile jobs, default nproc).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3.11}"
VENV="${VENV:-$ROOT/.venv}"
CACHE="${MMPLUG_CACHE:-$HOME/.cache/mmplug}"
MMCV_VERSION=2.1.0
STEP="start"

step() { STEP="$1"; echo "==> [install] $1"; }
on_error() {
    echo "==> [install] FAILED at step: $STEP" >&2
    case "$STEP" in
        *venv*) echo "    Need Python 3.11 with venv: set PYTHON=/path/to/python3.11." >&2 ;;
        *toolchain*) echo "    pip could not install torch 2.14.1 / torchvision 0.29.1; see README 'Bring your own environment'." >&2 ;;
        *mmcv*) echo "    The mmcv build failed; its log is $CACHE/build/mmcv-build.log." \
                     "Check that g++ (C++20) and python3.11-dev headers are installed; MAX_JOBS=1 lowers memory use." >&2 ;;
        *) echo "    Re-run 'make install' after fixing the error above; completed steps are reused." >&2 ;;
    esac
}
trap on_error ERR

step "create venv ($VENV)"
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip install --disable-pip-version-check -q)

step "toolchain (requirements/build.txt)"
"${PIP[@]}" -r "$ROOT/requirements/build.txt"

step "mmcv $MMCV_VERSION with compiled ops"
read -r PYTAG TORCHVER CUDATAG < <("$PY" - <<'EOF'
import shutil, sys, torch
cuda = 'cpu'
if torch.cuda.is_available() and shutil.which('nvcc') and torch.version.cuda:
    cuda = 'cu' + torch.version.cuda.replace('.', '')
print(f'py{sys.version_info.major}{sys.version_info.minor}', torch.__version__.split('+')[0], cuda)
EOF
)
WHEEL_DIR="$CACHE/wheels/mmcv-$MMCV_VERSION-$PYTAG-torch$TORCHVER-$CUDATAG"
if "$PY" -c "import mmcv, mmcv.ops, sys; sys.exit(mmcv.__version__ != '$MMCV_VERSION')" 2>/dev/null; then
    echo "    mmcv $MMCV_VERSION with ops already installed"
else
    if ! ls "$WHEEL_DIR"/mmcv-*.whl >/dev/null 2>&1; then
        echo "    no cached wheel in $WHEEL_DIR: building from the sdist (about 7 min on 2 cores)"
        BUILD="$CACHE/build"
        rm -rf "$BUILD" && mkdir -p "$BUILD" "$WHEEL_DIR"
        "$PY" -m pip download -q --no-deps --no-binary :all: --no-build-isolation \
            -d "$BUILD" "mmcv==$MMCV_VERSION"
        tar -xzf "$BUILD/mmcv-$MMCV_VERSION.tar.gz" -C "$BUILD"
        SRC="$BUILD/mmcv-$MMCV_VERSION"
        # torch >= 2.14 headers require C++20; mmcv 2.1.0 hard-codes c++14/c++17.
        sed -i -e 's/-std=c++14/-std=c++20/g' -e 's/-std=c++17/-std=c++20/g' "$SRC/setup.py"
        grep -q 'std=c++20' "$SRC/setup.py"
        export MMCV_WITH_OPS=1 MAX_JOBS="${MAX_JOBS:-$(nproc)}"
        if [ "$CUDATAG" != cpu ]; then export FORCE_CUDA=1; fi
        (cd "$SRC" && "$PY" -m pip wheel --no-deps --no-build-isolation -w "$WHEEL_DIR" . \
            >"$BUILD/mmcv-build.log" 2>&1) || { tail -n 30 "$BUILD/mmcv-build.log" >&2; false; }
    fi
    # With its dependencies, held to the versions pinned for the runtime.
    "${PIP[@]}" "$WHEEL_DIR"/mmcv-*.whl -c "$ROOT/requirements/runtime.txt"
fi

step "OpenMMLab model zoos (requirements/runtime.txt)"
"${PIP[@]}" -r "$ROOT/requirements/runtime.txt" -r "$ROOT/requirements/optional.txt"

step "test tools and MMPlug (editable)"
"${PIP[@]}" -r "$ROOT/requirements/tests.txt"
"${PIP[@]}" --no-deps --no-build-isolation -e "$ROOT"

step "check: import the four model zoos"
"$PY" -c "import projects, mmaction.models, mmagic.models, mmpretrain.models, mmdet.models, mmcv.ops; print('    ok: mmcv', __import__('mmcv').__version__)"
echo "==> [install] done: activate with 'source $VENV/bin/activate'"
