#!/bin/sh
# Developer tool (not used by CI or the build): gets a newer Neovim than
# Debian 12's without installing anything. It downloads the .debs of a Debian
# suite's neovim, neovim-runtime and everything they depend on (libc6
# included: trixie's nvim needs a newer glibc than bookworm's) straight from
# the package pool, checks their SHA256, unpacks them with `dpkg -x` into a
# folder of its own and points the nvim binary at that folder's loader and
# libraries (with the suite's patchelf, run through the same loader), so that
# it runs as a plain program: v:progpath is the binary itself, and processes
# it starts inherit no library path. The system's packages and apt sources
# are left alone. Running it again does nothing but print the path.
#
# usage: sh scripts/nvim-newer.sh [SUITE] [DIR]
#   SUITE  a Debian suite: trixie (default, Neovim 0.10), sid, forky...
#   DIR    where it goes (default: ${XDG_CACHE_HOME:-~/.cache}/policylink/nvim-SUITE)
# Prints the path of a runnable nvim wrapper, e.g.
#   tests/nvim/run "$(sh scripts/nvim-newer.sh)" "$PWD" tests/nvim/test_compat.lua
#   cmake -S . -B build -DPL_NVIM_EXTRA="$(sh scripts/nvim-newer.sh)"
# Environment: PL_DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -eu
suite=${1:-trixie}
dir=${2:-${XDG_CACHE_HOME:-$HOME/.cache}/policylink/nvim-$suite}
mirror=${PL_DEBIAN_MIRROR:-http://deb.debian.org/debian}
arch=amd64
multiarch=x86_64-linux-gnu
wrapper=$dir/nvim

if [ -x "$wrapper" ] && "$wrapper" --version >/dev/null 2>&1; then
  echo "$wrapper"
  exit 0
fi

say() { echo "nvim-newer: $*" >&2; }
fetch() { # URL FILE
  if command -v curl >/dev/null 2>&1; then curl -sSfL -o "$2.part" "$1"; else wget -q -O "$2.part" "$1"; fi
  mv "$2.part" "$2"
}

mkdir -p "$dir/debs"
dir=$(cd "$dir" && pwd)
wrapper=$dir/nvim
root=$dir/root
index=$dir/Packages
if [ ! -s "$index" ]; then
  say "fetching the $suite package index"
  fetch "$mirror/dists/$suite/main/binary-$arch/Packages.xz" "$index.xz"
  xz -dc "$index.xz" >"$index.tmp"
  mv "$index.tmp" "$index"
  rm -f "$index.xz"
fi

# The dependency closure of the wanted packages, as "name filename sha256"
# lines. Depends and Pre-Depends are followed, versions are not compared (the
# suite is consistent); of alternatives the first one the suite has (as a
# package or through Provides) is taken.
closure=$(awk -v want="neovim neovim-runtime patchelf" '
  function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
  function flush() {
    if (pkg != "" && !(pkg in file)) { file[pkg] = fn; sum[pkg] = sha; deps[pkg] = dep }
    if (pkg != "") for (i = 1; i <= nprov; i++) if (!(prov[i] in provider)) provider[prov[i]] = pkg
    pkg = fn = sha = dep = ""; nprov = 0
  }
  /^$/ { flush(); next }
  /^Package: / { pkg = $2 }
  /^Filename: / { fn = $2 }
  /^SHA256: / { sha = $2 }
  /^(Pre-)?Depends: / { sub(/^[^:]*: /, ""); dep = (dep == "" ? $0 : dep ", " $0) }
  /^Provides: / {
    sub(/^Provides: /, ""); n = split($0, p, ",")
    for (i = 1; i <= n; i++) { x = trim(p[i]); sub(/[ (].*/, "", x); prov[++nprov] = x }
  }
  function resolve(name) {
    if (name in file) return name
    if (name in provider) return provider[name]
    return ""
  }
  function add(name,   n, groups, g, alts, a, x, got) {
    if (name in seen) return
    seen[name] = 1; order[++count] = name
    n = split(deps[name], groups, ",")
    for (g = 1; g <= n; g++) {
      split(groups[g], alts, "|"); got = ""
      for (a = 1; (a in alts) && got == ""; a++) {
        x = trim(alts[a]); sub(/[ (:].*/, "", x); got = resolve(x)
      }
      if (got == "") { print "unresolved: " trim(groups[g]) > "/dev/stderr"; bad = 1 }
      else add(got)
    }
  }
  END {
    flush()
    n = split(want, w, " ")
    for (i = 1; i <= n; i++) {
      if (!(w[i] in file)) { print "not in the suite: " w[i] > "/dev/stderr"; exit 1 }
      add(w[i])
    }
    if (bad) exit 1
    for (i = 1; i <= count; i++) print order[i], file[order[i]], sum[order[i]]
  }' "$index")

rm -rf "$root.tmp"
mkdir -p "$root.tmp"
echo "$closure" | while read -r name path sha; do
  deb=$dir/debs/${path##*/}
  if [ ! -s "$deb" ] || ! echo "$sha  $deb" | sha256sum -c --status; then
    say "downloading $name"
    fetch "$mirror/$path" "$deb"
    echo "$sha  $deb" | sha256sum -c --status || { say "bad checksum: $deb"; exit 1; }
  fi
  dpkg -x "$deb" "$root.tmp"
done

# Debian 13 ships the loader in /usr/lib/<triplet> and the libraries under /usr/lib.
loader=""
for l in "$root.tmp/usr/lib/$multiarch/ld-linux-x86-64.so.2" "$root.tmp/lib/$multiarch/ld-linux-x86-64.so.2" \
  "$root.tmp/usr/lib64/ld-linux-x86-64.so.2" "$root.tmp/lib64/ld-linux-x86-64.so.2"; do
  if [ -e "$l" ]; then loader=${l#"$root.tmp"}; break; fi
done
[ -n "$loader" ] || { say "no loader in the unpacked libc6"; exit 1; }
libs="$root/usr/lib/$multiarch:$root/lib/$multiarch:$root/usr/lib/$multiarch/lua/5.1"
[ -e "$root.tmp/usr/bin/nvim" ] || { say "no usr/bin/nvim in the unpacked neovim"; exit 1; }
rm -rf "$root"
mv "$root.tmp" "$root"
# The suite's patchelf, run through the suite's loader, gives nvim that
# loader and the unpacked libraries (DT_RPATH, which dlopen() of the
# plugin's core and its dependencies also searches).
"$root$loader" --library-path "$libs" "$root/usr/bin/patchelf" --set-interpreter "$root$loader" \
  --force-rpath --set-rpath "$libs" "$root/usr/bin/nvim"

cat >"$wrapper.tmp" <<EOF
#!/bin/sh
# Neovim from Debian $suite, unpacked by scripts/nvim-newer.sh.
VIMRUNTIME=$root/usr/share/nvim/runtime exec "$root/usr/bin/nvim" "\$@"
EOF
chmod +x "$wrapper.tmp"
mv "$wrapper.tmp" "$wrapper"
"$wrapper" --version | head -n 1 >&2
echo "$wrapper"
