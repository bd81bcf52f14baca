#!/usr/bin/env bash
# Makes a local stand-in for the Dockerfile's base image (node:<version>-<debian>-slim) without a
# container registry, so that `buildah build --pull=never` builds the unchanged Dockerfile here:
#   - a Debian root filesystem of the release the base tag names (debootstrap --variant=minbase,
#     from the mirror this machine's apt uses, or $QUOTECAST_DEBIAN_MIRROR);
#   - Node at /usr/local/bin/node from the project's `node` devDependency (node_modules/node), which
#     must be the version the Dockerfile names;
#   - the npm CLI that Node release bundles, under /usr/local/lib/node_modules/npm (`npm pack`);
#   - a `node` user and group, uid/gid 1000, as in the official image;
#   - this machine's CA bundle, with NODE_EXTRA_CA_CERTS pointing at it, so that `npm ci` inside the
#     build trusts the TLS this machine reaches the npm registry through.
# The root filesystem is cached outside the clone ($QUOTECAST_CACHE/base-image, default
# ~/.cache/quotecast/base-image) and the image is kept in buildah's storage; a re-run whose inputs
# are unchanged reuses both. Needs root, buildah and debootstrap (apt-get install buildah debootstrap).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The Node release's bundled npm (Node 24.21.0's changelog: "deps: upgrade npm to 11.19.0").
NPM_VERSION=11.19.0
# Bump when the recipe below changes, so that a cached root filesystem is rebuilt.
RECIPE=1
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt

CACHE_DIR="${QUOTECAST_CACHE:-$HOME/.cache/quotecast}/base-image"

say() { echo "[base-image] $*"; }
die() {
  echo "[base-image] error: $*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap and buildah's storage)"
command -v buildah >/dev/null 2>&1 || die "buildah is missing: apt-get install -y buildah"
command -v debootstrap >/dev/null 2>&1 || die "debootstrap is missing: apt-get install -y debootstrap"
[ -r "${CA_BUNDLE}" ] || die "${CA_BUNDLE} is missing (apt-get install -y ca-certificates)"

# FROM node:24.21.0-trixie-slim AS … → the base name, the Node version and the Debian release.
BASE_IMAGE=$(sed -n 's/^FROM[[:space:]]\{1,\}\([^[:space:]]*\).*/\1/p' Dockerfile | head -n1)
[[ "${BASE_IMAGE}" =~ ^node:([0-9]+\.[0-9]+\.[0-9]+)-([a-z]+)-slim$ ]] ||
  die "the Dockerfile's base ${BASE_IMAGE:-?} is not node:<version>-<debian release>-slim"
NODE_VERSION="${BASH_REMATCH[1]}"
DEBIAN_RELEASE="${BASH_REMATCH[2]}"
# The name `FROM node:…` resolves to, so that no short-name lookup is needed.
LOCAL_NAME="docker.io/library/${BASE_IMAGE}"

NODE_BIN=node_modules/node/bin/node
[ -x "${NODE_BIN}" ] || die "${NODE_BIN} is missing: run \`npm ci\` first"
HAVE_NODE=$("${NODE_BIN}" --version)
[ "${HAVE_NODE}" = "v${NODE_VERSION}" ] ||
  die "node_modules/node is ${HAVE_NODE} but the Dockerfile's base is Node ${NODE_VERSION}"

NODE_SHA=$(sha256sum "${NODE_BIN}" | cut -c1-16)
CA_SHA=$(sha256sum "${CA_BUNDLE}" | cut -c1-16)
ROOTFS_KEY="${DEBIAN_RELEASE}-node${NODE_VERSION}-${NODE_SHA}-npm${NPM_VERSION}-r${RECIPE}"
IMAGE_KEY="${ROOTFS_KEY}-ca${CA_SHA}"
ROOTFS_TAR="${CACHE_DIR}/rootfs-${ROOTFS_KEY}.tar"

have_key=$(buildah inspect --type image --format '{{index .OCIv1.Config.Labels "quotecast.base-key"}}' \
  "${LOCAL_NAME}" 2>/dev/null || true)
if [ "${have_key}" = "${IMAGE_KEY}" ]; then
  say "${LOCAL_NAME}: cached in buildah's storage (${IMAGE_KEY})"
  exit 0
fi

# The mirror this machine's apt uses (deb822 or one-line sources), unless one is given.
debian_mirror() {
  if [ -n "${QUOTECAST_DEBIAN_MIRROR:-}" ]; then
    echo "${QUOTECAST_DEBIAN_MIRROR}"
    return
  fi
  local files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
  local found
  found=$(cat "${files[@]}" 2>/dev/null |
    sed -n -e 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)\/\{0,1\}$/\1/p' \
      -e 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]*\/debian\)\/\{0,1\}[[:space:]].*/\2/p' |
    head -n1)
  [ -n "${found}" ] || die "no Debian mirror in /etc/apt/sources.list*: set QUOTECAST_DEBIAN_MIRROR"
  echo "${found}"
}

build_rootfs() {
  mkdir -p "${CACHE_DIR}"
  local work
  work=$(mktemp -d "${CACHE_DIR}/work.XXXXXX")
  # shellcheck disable=SC2064 # expand now: the trap must remove this run's folder
  trap "rm -rf '${work}'" EXIT
  local root="${work}/root"
  local mirror
  mirror=$(debian_mirror)
  say "debootstrap --variant=minbase ${DEBIAN_RELEASE} (from the apt mirror; log: ${work}/debootstrap.log)"
  local started=${SECONDS}
  if ! debootstrap --variant=minbase "${DEBIAN_RELEASE}" "${root}" "${mirror}" >"${work}/debootstrap.log" 2>&1; then
    tail -n 30 "${work}/debootstrap.log" >&2
    die "debootstrap ${DEBIAN_RELEASE} failed (the tail of its log is above)"
  fi
  say "debootstrap: $((SECONDS - started)) s"

  say "Node ${NODE_VERSION} → /usr/local/bin/node"
  install -m 0755 "${NODE_BIN}" "${root}/usr/local/bin/node"

  local npm_tgz="${CACHE_DIR}/npm-${NPM_VERSION}.tgz"
  if [ ! -s "${npm_tgz}" ]; then
    say "npm pack npm@${NPM_VERSION}"
    (cd "${work}" && npm pack --silent "npm@${NPM_VERSION}" >/dev/null)
    mv "${work}/npm-${NPM_VERSION}.tgz" "${npm_tgz}"
  fi
  say "npm ${NPM_VERSION} → /usr/local/lib/node_modules/npm"
  mkdir -p "${root}/usr/local/lib/node_modules/npm"
  tar -xzf "${npm_tgz}" -C "${root}/usr/local/lib/node_modules/npm" --strip-components=1 \
    --no-same-owner
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "${root}/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "${root}/usr/local/bin/npx"

  say "user node (1000:1000)"
  chroot "${root}" groupadd --gid 1000 node
  chroot "${root}" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

  # What a slim image does not carry: package lists and caches, and the device nodes (the
  # container runtime provides /dev).
  rm -rf "${root}"/var/cache/apt/archives/*.deb "${root}"/var/lib/apt/lists/* "${root}"/var/log/*.log \
    "${root}"/dev/*
  say "packing the root filesystem → ${ROOTFS_TAR}"
  tar --numeric-owner -C "${root}" -cf "${ROOTFS_TAR}.partial" .
  mv "${ROOTFS_TAR}.partial" "${ROOTFS_TAR}"
  rm -rf "${work}"
  trap - EXIT
}

if [ -s "${ROOTFS_TAR}" ]; then
  say "root filesystem: cached (${ROOTFS_TAR})"
else
  build_rootfs
  # Older recipes' root filesystems are of no further use.
  find "${CACHE_DIR}" -maxdepth 1 -name 'rootfs-*.tar' ! -name "$(basename "${ROOTFS_TAR}")" -delete
fi

say "committing ${LOCAL_NAME}"
container=$(buildah from --quiet scratch)
# shellcheck disable=SC2064
trap "buildah rm '${container}' >/dev/null 2>&1 || true" EXIT
buildah add --quiet "${container}" "${ROOTFS_TAR}" / >/dev/null
buildah copy --quiet "${container}" "${CA_BUNDLE}" /etc/ssl/certs/ca-certificates.crt >/dev/null
buildah config \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env NODE_VERSION="${NODE_VERSION}" \
  --env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
  --cmd node \
  --label quotecast.base-key="${IMAGE_KEY}" \
  --label quotecast.stand-in="scripts/build-base-image.sh, not the official image" \
  "${container}"
buildah commit --quiet --rm "${container}" "${LOCAL_NAME}" >/dev/null
trap - EXIT
say "${LOCAL_NAME}: built ($(buildah images --format '{{.Size}}' "${LOCAL_NAME}"))"
