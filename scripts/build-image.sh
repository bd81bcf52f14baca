#!/usr/bin/env bash
# Builds the quotecast image from the unchanged Dockerfile with buildah, without a registry or a
# container engine: the base is the local stand-in of scripts/build-base-image.sh (run first), and
# `--isolation chroot` needs no user namespaces or cgroups. Tags it localhost/quotecast:<version of
# package.json>; test/deploy/image-build.test.ts and test/integration/image-run.test.ts use it.
# Needs root and buildah.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { echo "[image] $*"; }
die() {
  echo "[image] error: $*" >&2
  exit 1
}

command -v buildah >/dev/null 2>&1 || die "buildah is missing: apt-get install -y buildah"
VERSION=$(sed -n 's/^  "version": "\([^"]*\)",$/\1/p' package.json)
[ -n "${VERSION}" ] || die "no version in package.json"
IMAGE="localhost/quotecast:${VERSION}"

bash scripts/build-base-image.sh

say "buildah build --isolation chroot --pull=never -t ${IMAGE} ."
started=${SECONDS}
# --layers: an unchanged package-lock.json reuses the `npm ci` layer of the previous build.
buildah build --isolation chroot --pull=never --layers --tag "${IMAGE}" --file Dockerfile . ||
  die "buildah build failed (its output is above)"
# The superseded builds' layers.
buildah rmi --prune >/dev/null 2>&1 || true
say "${IMAGE}: built in $((SECONDS - started)) s, $(buildah images --format '{{.Size}}' "${IMAGE}")"
