#!/usr/bin/env bash
# Debian packages the tests and the sandboxed grader use: bubblewrap (the grading sandbox),
# chromium (real-browser tests of JupyterLab) and postgresql (the multi-grader gradebook test).
# Installs only what is missing; does nothing (with a note) where apt is not available.
set -euo pipefail
need=()
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
{ command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; } || need+=(postgresql)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "note: cannot install ${need[*]} (no apt-get); the tests that need them will be skipped." >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "note: not root and no sudo; install ${need[*]} yourself for the full test suite." >&2
    exit 0
  fi
fi
echo "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
