#!/bin/sh
# Builds teledeploy_<version>_all.deb from the fat jars and the files of the source tree, with dpkg-deb (no
# debhelper, no root: --root-owner-group). Called by the Maven build of dist/ at `package`:
#
#   sh dist/build-deb.sh VERSION TARGET_DIR "MAINTAINER <email>"
#
# Skipped, with a log line and exit 0, where dpkg-deb does not exist (a non-Debian build machine).
set -eu

version=$1
target=$2
maintainer=$3

if ! command -v dpkg-deb >/dev/null 2>&1; then
    echo "[deb] dpkg-deb not found: skipping the .deb (install dpkg to build it)"
    exit 0
fi

dist=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$dist/.." && pwd)
# Debian versions sort "~" before anything: 0.1.0~SNAPSHOT < 0.1.0.
debversion=$(printf '%s' "$version" | sed 's/-/~/g')
package=teledeploy
deb="$target/${package}_${debversion}_all.deb"
root="$target/deb/root"

for file in "$top/server/target/teledeployd.jar" "$top/admin-cli/target/teledeploy.jar"; do
    if [ ! -f "$file" ]; then
        echo "[deb] $file is missing (build the server and admin-cli modules first)" >&2
        exit 1
    fi
done

umask 022
rm -rf "$target/deb" "$target"/${package}_*_all.deb
mkdir -p "$root/DEBIAN"

# Reproducible: file times and the changelog date from SOURCE_DATE_EPOCH, else the last commit, else now.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    SOURCE_DATE_EPOCH=$(git -C "$top" log -1 --format=%ct 2>/dev/null || date +%s)
fi
export SOURCE_DATE_EPOCH

install -d "$root/usr/share/teledeploy" "$root/usr/bin" "$root/lib/systemd/system" "$root/etc/teledeploy" \
    "$root/etc/default" "$root/usr/share/doc/$package"
install -m 0644 "$top/server/target/teledeployd.jar" "$top/admin-cli/target/teledeploy.jar" \
    "$root/usr/share/teledeploy/"
install -m 0755 "$top/bin/teledeployd" "$top/bin/teledeploy" "$root/usr/bin/"
install -m 0644 "$top/systemd/teledeployd.service" "$root/lib/systemd/system/"
install -m 0644 "$dist/debian/default" "$root/etc/default/teledeployd"

# The shipped configuration, with the state where the unit and the package keep it.
sed -e 's|^#state\.dir = var$|state.dir = /var/lib/teledeploy|' \
    -e 's|^# Relative paths are relative to the working directory\. Created if missing\.$|# The Debian package keeps it in /var/lib/teledeploy (owned by the teledeploy user, mode 0750).|' \
    "$top/conf/teledeploy.properties" > "$root/etc/teledeploy/teledeploy.properties"
chmod 0644 "$root/etc/teledeploy/teledeploy.properties"
if ! grep -qx 'state.dir = /var/lib/teledeploy' "$root/etc/teledeploy/teledeploy.properties"; then
    echo "[deb] conf/teledeploy.properties has no '#state.dir = var' line to set for the package" >&2
    exit 1
fi

# Documentation: copyright, README, docs/*.md, examples; changelog for a native package.
doc="$root/usr/share/doc/$package"
install -m 0644 "$dist/debian/copyright" "$doc/copyright"
for file in "$top/README.md" "$top"/docs/*.md; do
    install -m 0644 "$file" "$doc/"
done
# The example Prometheus scrape configuration and alert rules (README, "Metrics"), ready to copy.
install -d "$doc/examples"
for file in "$top"/conf/*.yml; do
    install -m 0644 "$file" "$doc/examples/"
done
changelog_date=$(date -u -R -d "@$SOURCE_DATE_EPOCH")
printf '%s (%s) unstable; urgency=medium\n\n  * Built from the teledeploy source tree, version %s.\n\n -- %s  %s\n' \
    "$package" "$debversion" "$version" "$maintainer" "$changelog_date" | gzip -9n > "$doc/changelog.gz"
chmod 0644 "$doc/changelog.gz"
for file in "$doc"/*.md; do
    gzip -9n "$file"
done

# Manual pages, and what lintian cannot know.
install -d "$root/usr/share/man/man1" "$root/usr/share/lintian/overrides"
for page in teledeployd.1 teledeploy.1; do
    gzip -9n < "$dist/debian/$page" > "$root/usr/share/man/man1/$page.gz"
    chmod 0644 "$root/usr/share/man/man1/$page.gz"
done
install -m 0644 "$dist/debian/lintian-overrides" "$root/usr/share/lintian/overrides/$package"

# Control files.
install -m 0755 "$dist/debian/postinst" "$dist/debian/prerm" "$dist/debian/postrm" "$root/DEBIAN/"
printf '/etc/teledeploy/teledeploy.properties\n/etc/default/teledeployd\n' > "$root/DEBIAN/conffiles"
installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<EOF
Package: $package
Version: $debversion
Architecture: all
Maintainer: $maintainer
Installed-Size: $installed_size
Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless, adduser, procps
Section: net
Priority: optional
Description: OCS Inventory NG compatible software deployment server
 teledeploy replaces the communication and deployment server of OCS Inventory
 NG: unmodified OCS agents (Unix and Windows) send it their inventories, get
 their deployment orders, fetch packages over HTTP and HTTPS and report
 results, as they do with OCS.
 .
 One Java daemon, teledeployd, with its state in an embedded SQLite database
 and a private certificate authority generated at its first start, run by
 systemd as the teledeploy user; and teledeploy, the command line that builds,
 activates and deploys packages through its admin API.
EOF
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' | LC_ALL=C sort \
    | xargs md5sum) > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"

find "$root" -newermt "@$SOURCE_DATE_EPOCH" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
# The jars are compressed already: gzip costs little and packs as well as xz here.
dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null
echo "[deb] built $deb"
