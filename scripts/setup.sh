#!/usr/bin/env bash
# One-time set-up on a fresh machine: the system packages listed in system-packages.txt (Debian/
# Ubuntu, with apt-get as root or through sudo), then a virtual environment .venv with selfeval
# with JupyterLab and the test dependencies (pip install -e '.[test,lab]'). Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

if [ -f system-packages.txt ]; then
  wanted=$(sed -e 's/#.*//' system-packages.txt | tr -s ' \t' '\n' | grep -v '^$' || true)
  if [ -n "$wanted" ]; then
    if command -v apt-get >/dev/null && command -v dpkg-query >/dev/null; then
      missing=""
      for pkg in $wanted; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
      done
      if [ -n "$missing" ]; then
        echo "setup: installing system packages:$missing"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
          && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null \
          || { echo "setup: could not install:$missing (run as root or with sudo)" >&2; exit 1; }
      fi
    else
      echo "setup: not a Debian/Ubuntu system; install these yourself (see README):" $wanted >&2
    fi
  fi
fi

# Aliases for the GB/T 9704 font names the Word report uses (see the file), so LibreOffice on
# Linux renders them in Noto Serif/Sans CJK SC.
fc_conf=scripts/fontconfig/60-selfeval-gbt9704.conf
if [ -d /etc/fonts/conf.d ] && ! cmp -s "$fc_conf" /etc/fonts/conf.d/60-selfeval-gbt9704.conf; then
  if as_root install -m 644 "$fc_conf" /etc/fonts/conf.d/60-selfeval-gbt9704.conf 2>/dev/null; then
    command -v fc-cache >/dev/null && as_root fc-cache -f >/dev/null 2>&1 || true
  else
    echo "setup: could not install $fc_conf into /etc/fonts/conf.d (Word files converted by LibreOffice will use a sans-serif fallback)" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv >/dev/null 2>&1; then
    rm -rf .venv
    # Debian's python3 needs python3-venv (ensurepip) to create virtual environments.
    if command -v apt-get >/dev/null; then
      echo "setup: installing python3-venv"
      as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || true
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null || true
    fi
    "$PYTHON" -m venv .venv || { echo "setup: $PYTHON cannot create a virtual environment (install python3-venv)" >&2; exit 1; }
  fi
fi

# Reinstall only when the project's metadata changed.
stamp=".venv/.selfeval-installed-$(cat pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check -U pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,lab]'
  rm -f .venv/.selfeval-installed-*
  touch "$stamp"
fi
