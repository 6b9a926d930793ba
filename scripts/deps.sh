#!/bin/sh
# Installs the Debian 12 packages policylink needs to build and test, when
# they are missing. Runs apt-get as root, or through sudo.
set -eu
packages="build-essential cmake pkg-config git liblua5.4-dev lua5.4 libluajit-5.1-dev \
libcurl4-openssl-dev libcmocka-dev libutf8proc-dev libxml2-dev libstemmer-dev neovim \
python3 openssl ca-certificates"
[ "${PL_DEPS_EXTRA:-}" ] && packages="$packages $PL_DEPS_EXTRA"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
echo "policylink: installing:$missing" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
