#!/usr/bin/env bash
# Assembles the root filesystem of a stand-in for the native base image (quay.io/quarkus/ubi9-quarkus-micro-image),
# which cannot be pulled here: the shared libraries the native executable loads (glibc, zlib), the few tools the
# Dockerfile's RUN uses (bash as sh, mkdir, chown, chmod, test) and their libraries, a sticky /tmp and a passwd with
# root. The real micro image has these and little more. Used by NativeImageIT.
#
#   stand-in-micro.sh <native executable> <empty rootfs directory>
set -euo pipefail
executable="$1"
rootfs="$2"

mkdir -p "$rootfs/usr/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/work"
for tool in bash mkdir chown chmod; do
    cp -L "$(command -v "$tool")" "$rootfs/usr/bin/"
done
ln -s bash "$rootfs/usr/bin/sh"
ln -s usr/bin "$rootfs/bin"

# Every shared library the tools and the executable load.
ldd "$rootfs"/usr/bin/bash "$rootfs"/usr/bin/mkdir "$rootfs"/usr/bin/chown "$rootfs"/usr/bin/chmod "$executable" \
    2>/dev/null | grep -o '/[^ ]*\.so[^ ]*' | sort -u | while read -r library; do
    cp -L --parents "$library" "$rootfs/"
done

chmod 1777 "$rootfs/tmp"
printf 'root:x:0:0:root:/root:/bin/bash\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\n' > "$rootfs/etc/group"
