#!/usr/bin/env bash
# Sets up everything the application (and, with --dev, the test suite) needs on a fresh machine:
# Debian packages when run as root (Qt's X11 libraries, CJK fonts; for tests also Xvfb and poppler),
# then a virtual environment in .venv with the project installed in editable mode.
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
if [ "${1:-}" = "--dev" ]; then dev=1; fi

runtime_pkgs=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
              libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libegl1 libgl1
              libfontconfig1 libdbus-1-3 fonts-noto-cjk fonts-arphic-uming)
test_pkgs=(xvfb xauth poppler-utils postgresql)

missing=()
pkgs=("${runtime_pkgs[@]}")
if [ $dev = 1 ]; then pkgs+=("${test_pkgs[@]}"); fi
if command -v dpkg >/dev/null; then
  for p in "${pkgs[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== 安装系统软件包：${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "提示：缺少系统软件包 ${missing[*]}（需要 root 权限用 apt-get 安装）；继续。" >&2
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "== 创建虚拟环境 .venv"
  "$PY" -m venv .venv
fi
extra=""
stamp=".venv/.yishen-installed"
if [ $dev = 1 ]; then extra="[dev]"; stamp=".venv/.yishen-installed-dev"; fi
# Reinstall only when the dependency list changed, so a second run starts at once.
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "== 安装 Python 依赖"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  if ! .venv/bin/python -m pip install -q -e ".${extra}" > .venv/pip-install.log 2>&1; then
    tail -n 30 .venv/pip-install.log >&2
    echo "安装 Python 依赖失败，详见 .venv/pip-install.log" >&2
    exit 1
  fi
  .venv/bin/python -c "import app, sqlcipher3, sqlalchemy" >/dev/null
  touch "$stamp"
fi
