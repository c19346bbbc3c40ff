#!/usr/bin/env bash
# Debian packages the tests and the sandboxed grader use: bubblewrap (the grading sandbox),
# chromium (real-browser tests of JupyterLab), postgresql (the multi-grader gradebook test), and
# nodejs/npm plus Debian's python3-venv (the JupyterHub end-to-end test).
# Installs only what is missing; does nothing (with a note) where apt is not available.
set -euo pipefail
need=()
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
{ command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; } || need+=(postgresql)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)   # configurable-http-proxy for the JupyterHub test
# The JupyterHub test's shared environment needs a Python other users can run: Debian's, with venv.
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need+=(python3 python3-venv)
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
