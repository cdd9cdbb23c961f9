#!/usr/bin/env bash
# Assembles the root filesystem of a stand-in for the JVM base image (registry.access.redhat.com/ubi9/openjdk-21-runtime),
# which cannot be pulled here: this machine's JDK where the real image keeps its JRE (/usr/lib/jvm/jre-21, `java` on
# the PATH), the few tools the Dockerfile's RUN uses (bash as sh, mkdir, chown, chmod) and the shared libraries all of
# them load, a sticky /tmp and a passwd with the image's user 185. Used by JvmImageIT.
#
#   stand-in-base.sh <java.home> <empty rootfs directory>
set -euo pipefail
java_home="$1"
rootfs="$2"

mkdir -p "$rootfs/usr/lib/jvm/jre-21" "$rootfs/usr/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/home/jboss"
for part in bin lib conf release; do
    cp -a "$java_home/$part" "$rootfs/usr/lib/jvm/jre-21/"
done
ln -s /usr/lib/jvm/jre-21/bin/java "$rootfs/usr/bin/java"
for tool in bash mkdir chown chmod; do
    cp -L "$(command -v "$tool")" "$rootfs/usr/bin/"
done
ln -s bash "$rootfs/usr/bin/sh"
ln -s usr/bin "$rootfs/bin"

# Every shared library outside the JDK that the tools, the launcher or the JDK's libraries load.
{
    ldd "$rootfs"/usr/bin/bash "$rootfs"/usr/bin/mkdir "$rootfs"/usr/bin/chown "$rootfs"/usr/bin/chmod "$java_home/bin/java"
    find "$java_home/lib" -name '*.so' -exec ldd {} \;
} 2>/dev/null | grep -o '/[^ ]*\.so[^ ]*' | grep -v "^$java_home" | sort -u | while read -r library; do
    cp -L --parents "$library" "$rootfs/"
done

chmod 1777 "$rootfs/tmp"
printf 'root:x:0:0:root:/root:/bin/bash\njboss:x:185:0:JBoss user:/home/jboss:/bin/bash\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\n' > "$rootfs/etc/group"
chown 185:0 "$rootfs/home/jboss"
