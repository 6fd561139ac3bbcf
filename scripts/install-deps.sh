#!/bin/sh
# Installs the Debian packages listed in packages.txt that are missing.
# Runs `apt-get update` once, only when something has to be installed.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
missing=""
for pkg in $(grep -v '^#' "$here/packages.txt" | grep -v '^[[:space:]]*$'); do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $pkg" ;;
    esac
done
[ -z "$missing" ] && exit 0
echo "installing Debian packages:$missing"
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing
