#!/usr/bin/env bash
# Install the Debian packages that are missing, when running as root:
#   scripts/system-packages.sh runtime   what the app needs to run: WeasyPrint's Pango and HarfBuzz
#                                        subsetting, and the DejaVu fonts its letters are set in
#   scripts/system-packages.sh test      what `make test` and `make bench` need besides: poppler-utils
#                                        (PDF checks), Chromium (browser tests), the PostgreSQL 15 server
#                                        (a private one per run), hey (load), nginx (the TLS proxy test),
#                                        podman, runc and debootstrap (the container test)
set -euo pipefail
runtime=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
test=(poppler-utils chromium hey nginx-light openssl podman runc debootstrap uidmap fuse-overlayfs)
case "${1:-runtime}" in
  runtime) packages=("${runtime[@]}") ;;
  test) packages=("${runtime[@]}" "${test[@]}") ;;
  *) echo "error: the set of system packages is 'runtime' or 'test', not '$1'" >&2; exit 2 ;;
esac
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${1:-runtime}" = test ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing+=(postgresql-15)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "warning: missing system packages (run as root or install them): ${missing[*]}" >&2
fi
