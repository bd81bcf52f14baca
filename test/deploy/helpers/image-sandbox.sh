#!/bin/sh
# Runs a command in a mounted image's root filesystem the way a restricted pod runs a container:
# the root filesystem read-only, a fresh tmpfs on each writable folder (an emptyDir), a minimal
# /dev, no capabilities, as SANDBOX_USER, in SANDBOX_WORKDIR, with only the environment given.
# Meant for `unshare --mount --propagation private sh image-sandbox.sh NAME=VALUE... COMMAND...`
# (the mounts vanish with the process); everything ends in exec, so the command keeps this pid and
# gets the signals sent to it. Network: whatever namespace it starts in (the host's, or a pod's
# when started under `nsenter --net=...`).
# Optional: SANDBOX_HOSTS, a file bind-mounted read-only on /etc/hosts (cluster DNS names);
# SANDBOX_EMPTY_RO, folders mounted empty and read-only (an optional Secret that does not exist;
# created in the working container first, as a runtime creates mount points);
# SANDBOX_READONLY=0, a writable root (readOnlyRootFilesystem: false).
set -eu
root="${SANDBOX_ROOT:?}"
user="${SANDBOX_USER:?}"
workdir="${SANDBOX_WORKDIR:-/}"
writable="${SANDBOX_WRITABLE:-/tmp}"
empty_ro="${SANDBOX_EMPTY_RO:-}"
hosts="${SANDBOX_HOSTS:-}"

old_ifs="${IFS}"
IFS=:
for folder in ${empty_ro}; do mkdir -p "${root}${folder}"; done
IFS="${old_ifs}"
mount --bind "${root}" "${root}"
if [ "${SANDBOX_READONLY:-1}" != 0 ]; then mount -o remount,bind,ro "${root}"; fi
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
for folder in ${empty_ro}; do
  mount -t tmpfs -o nosuid,nodev,noexec,mode=755,size=1m tmpfs "${root}${folder}"
  mount -o remount,bind,ro "${root}${folder}"
done
IFS="${old_ifs}"
if [ -n "${hosts}" ]; then
  mount --bind "${hosts}" "${root}/etc/hosts"
  mount -o remount,bind,ro "${root}/etc/hosts"
fi
gid="${user#*:}"
# The kernel kills the command when the test process dies, however it dies (set after chroot's
# change of user, which clears it; setpriv of the image's util-linux, when it has one).
die_with_parent=""
if [ -x "${root}/usr/bin/setpriv" ]; then die_with_parent="/usr/bin/setpriv --pdeathsig KILL --"; fi
# shellcheck disable=SC2086 # die_with_parent is a command prefix, split on purpose
exec chroot --userspec="${user}" --groups="${gid}" "${root}" ${die_with_parent} /usr/bin/env -i -C "${workdir}" "$@"
