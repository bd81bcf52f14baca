#!/bin/sh
# Runs a command in a mounted image's root filesystem the way a restricted pod runs a container:
# the root filesystem read-only, a fresh tmpfs on each writable folder (an emptyDir), a minimal
# /dev, no capabilities, as SANDBOX_USER, in SANDBOX_WORKDIR, with only the environment given.
# Meant for `unshare --mount --propagation private sh image-sandbox.sh NAME=VALUE... COMMAND...`
# (the mounts vanish with the process); everything ends in exec, so the command keeps this pid and
# gets the signals sent to it. Network: the host's (only loopback addresses are used).
set -eu
root="${SANDBOX_ROOT:?}"
user="${SANDBOX_USER:?}"
workdir="${SANDBOX_WORKDIR:-/}"
writable="${SANDBOX_WRITABLE:-/tmp}"

mount --bind "${root}" "${root}"
mount -o remount,bind,ro "${root}"
mount -t proc -o nosuid,nodev,noexec proc "${root}/proc"
mount -t tmpfs -o nosuid,noexec,mode=755,size=1m tmpfs "${root}/dev"
for device in null zero full random urandom; do
  touch "${root}/dev/${device}"
  mount --bind "/dev/${device}" "${root}/dev/${device}"
done
mount -o remount,bind,ro "${root}/dev"
old_ifs="${IFS}"
IFS=:
for folder in ${writable}; do
  if [ ! -d "${root}${folder}" ]; then
    echo "image-sandbox: ${folder} is not a folder of the image, so it cannot be mounted writable" >&2
    exit 125
  fi
  mount -t tmpfs -o nosuid,nodev,mode=1777,size=256m tmpfs "${root}${folder}"
done
IFS="${old_ifs}"
gid="${user#*:}"
exec chroot --userspec="${user}" --groups="${gid}" "${root}" /usr/bin/env -i -C "${workdir}" "$@"
