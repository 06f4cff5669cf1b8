#!/usr/bin/env bash
# The Debian 12 base image the container test builds on: Docker Hub cannot be reached here, so
# `debian:bookworm-slim` is made locally with debootstrap (minbase) from the apt mirror this machine
# already uses, and imported into podman as localhost/debian:bookworm (kept between runs). podman
# runs with runc and cgroupfs (crun refuses this machine's hybrid cgroups) and without default
# ulimits (the runtime may not raise RLIMIT_NOFILE here). Prints the podman command line to use.
set -euo pipefail
base=localhost/debian:bookworm
if [ ! -e /etc/containers/containers.conf ] && [ "$(id -u)" = 0 ]; then
  mkdir -p /etc/containers
  printf '[containers]\ndefault_ulimits = []\n' >/etc/containers/containers.conf
fi
podman=(podman --runtime runc --cgroup-manager=cgroupfs)
if ! "${podman[@]}" image exists "$base"; then
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  mirror=${mirror:-$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)}
  [ -n "$mirror" ] || { echo "error: no apt mirror found for debootstrap" >&2; exit 1; }
  rootfs=$(mktemp -d /tmp/incident-tracker-rootfs.XXXXXX)
  trap 'rm -rf "$rootfs"' EXIT
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 \
    || { tail -20 "$rootfs.log" >&2; rm -f "$rootfs.log"; exit 1; }
  rm -f "$rootfs.log"
  tar -C "$rootfs" -c . | "${podman[@]}" import --quiet - "$base" >/dev/null
fi
echo "${podman[*]}"
