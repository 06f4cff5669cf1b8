#!/usr/bin/env bash
# Create the virtual environment and install it from the hash-pinned locks, nothing else:
#   scripts/make-venv.sh PYTHON VENV runtime   what `make run` serves: the app's runtime and its installer
#   scripts/make-venv.sh PYTHON VENV dev       the runtime plus the test, build and SBOM tools (`make test`)
# pip itself comes first from requirements-pip.lock: the pip a venv is born with (23.0.1 from Debian's
# python3, 23.2.1 from python.org builds) ignores the lock's pin of a package that another one requires
# with an extra (pypa/pip#12095) and fails the hash check once a newer release exists.
# On Debian, python3-venv is installed first when it is missing and we are root.
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}
kind=${3:-runtime}
root=$(cd "$(dirname "$0")/.." && pwd)
case "$kind" in
  runtime | dev) ;;
  *) echo "error: the kind of venv is 'runtime' or 'dev', not '$kind'" >&2; exit 2 ;;
esac

if [ ! -x "$venv/bin/python" ]; then
  if ! "$python" -m venv "$venv" 2>/dev/null; then
    rm -rf "$venv"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
      "$python" -m venv "$venv"
    else
      echo "error: '$python -m venv' failed; install python3-venv (apt-get install python3-venv)" >&2
      exit 1
    fi
  fi
fi

pip=("$venv/bin/python" -m pip --disable-pip-version-check --quiet)
"${pip[@]}" install --require-hashes --no-deps -r "$root/requirements-pip.lock"
if [ "$kind" = runtime ]; then
  "${pip[@]}" install --require-hashes -r "$root/requirements.lock" -r "$root/requirements-build.lock"
else
  "${pip[@]}" install --require-hashes -r "$root/requirements-dev.lock"
fi
"${pip[@]}" install --no-deps --no-build-isolation -e "$root"
"${pip[@]}" check
