#!/usr/bin/env bash
# Makes .venv-frameworks/ (ignored by git) with the pinned packages of requirements.txt, for the framework
# suite (test/frameworks/). Idempotent and quick when nothing changed: a stamp holds the requirements' hash.
# Needs python3 >= 3.10 with venv; `.ci/run` calls it. Prints one line.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.venv-frameworks
req=test/frameworks/requirements.txt
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.requirements-sha256" 2>/dev/null)" = "$want" ]; then
  echo "frameworks venv: up to date ($venv)"
  exit 0
fi
py=$(command -v python3)
if ! "$py" -c 'import sys, venv; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
  echo "frameworks venv: python3 >= 3.10 with the venv module is needed (apt-get install python3-venv); the framework suite will skip" >&2
  exit 0
fi
[ -x "$venv/bin/python" ] || "$py" -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
echo "$want" > "$venv/.requirements-sha256"
echo "frameworks venv: installed $(grep -c '==' "$req") pinned packages into $venv"
