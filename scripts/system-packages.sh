#!/usr/bin/env bash
# Install the Debian packages the app and its tests need, when running as root and they are missing:
# WeasyPrint's libraries and fonts, poppler-utils (PDF checks), Chromium (browser tests) and the
# PostgreSQL 15 server binaries (the test command starts a private server), and hey, the HTTP
# load generator of `make bench`.
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
          poppler-utils chromium hey)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then missing+=(postgresql-15); fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "warning: missing system packages (run as root or install them): ${missing[*]}" >&2
fi
