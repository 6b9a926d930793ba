#!/bin/sh
# Builds the seed corpora of the fuzz targets from examples/ and
# tests/fixtures/ at run time (nothing big is committed):
#   sh tests/fuzz/seeds.sh OUT_DIR   ->  OUT_DIR/<target>/<seed files>
# A seed may end in the trailer that fuzz.h describes (0xFA, options byte,
# two bytes of allocation count) to start a target in one of its modes; the
# matcher and Lua seeds start with the bytes their targets read first.
set -eu
cd "$(dirname "$0")/../.."
out=${1:?usage: seeds.sh OUT_DIR}
fx=tests/fixtures

rm -rf "$out"
for t in html boilerplate segment document terms glossary match lua; do
  mkdir -p "$out/$t"
done

# Copies each existing file to dir/prefix-name (the globs may match nothing).
put() {
  dir=$1 prefix=$2
  shift 2
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "$dir/$prefix-$(basename "$f")"
  done
  return 0
}

# Appends the trailer (options byte in octal) to a copy of file.
with_trailer() {
  dest=$1 file=$2 options=$3
  [ -f "$file" ] || return 0
  { cat "$file"; printf "\372\\$options\000\000"; } >"$dest"
}

texts="$fx/text/*.txt examples/*.txt"
htmls="$fx/html/*.html"
notes="examples/notes/*.md $fx/notes/*.md $fx/wiki/*.md"
glossaries="$fx/glossary/*.md $fx/wiki/glossary.md"

# Small hand-written cases: what the fixtures lack.
printf 'Mr. Smith met Dr. J. R. Jones at 3.5 p.m. on Jan. 5. "Is it done?" he asked... Yes! It was. 新质生产力。这是第二句。U.S. policy, e.g. the O.E.C.D., changed.\n' \
  >"$out/segment/abbreviations.txt"
printf '<!DOCTYPE html><html><head><meta charset="windows-1252"><title>T \223q\224</title>\n<meta name="author" content="A. Writer"></head><body><nav><a href="/">Home</a></nav>\n<article><h1>Heading</h1><p>The first paragraph&nbsp;has an entity &amp; a <a href="x">link</a>.</p>\n<ul><li>one</li><li>two</li></ul><table><tr><td>cell</td></tr></table><pre>  keep\n  lines</pre></article>\n<footer>Copyright</footer><script>var x = "<p>";</script></body></html>\n' \
  >"$out/html/hand.html"
printf '\377\376T\000h\000e\000 \000p\000l\000a\000n\000.\000\n\000' >"$out/document/utf16le.txt"

put "$out/html" fx $htmls
put "$out/boilerplate" fx $texts $notes
put "$out/segment" fx $texts
put "$out/document" fx $texts $htmls $notes
put "$out/terms" fx $texts $htmls
put "$out/glossary" fx $glossaries

for f in $htmls; do
  # boilerplate: read as HTML (bit 0)
  with_trailer "$out/boilerplate/html-$(basename "$f")" "$f" 001
done
for f in $texts $htmls; do
  b=$(basename "$f")
  # document: summarize, explain and score definitions (bits 3, 4, 6)
  with_trailer "$out/document/all-$b" "$f" 130
  # terms: top 5, determinism (bits 0-2, 5)
  with_trailer "$out/terms/top-$b" "$f" 045
done
for f in $texts; do
  # segment: preformatted (bit 0)
  with_trailer "$out/segment/pre-$(basename "$f")" "$f" 001
done

# glossary: pairs of a user's and an extracted glossary, split at 0xFE.
if [ -f $fx/glossary/user.md ] && [ -f $fx/glossary/extracted.md ]; then
  { cat $fx/glossary/user.md; printf '\376'; cat $fx/glossary/extracted.md; } >"$out/glossary/pair-user-extracted"
  { cat $fx/glossary/messy.md; printf '\376'; cat $fx/glossary/glossary.md; } >"$out/glossary/pair-messy-glossary"
fi

# match: mode byte (0 raw, 1 reference, 2 Markdown) and options byte.
for f in $notes; do
  [ -f "$f" ] || continue
  b=$(basename "$f")
  { printf '\000\000'; cat "$f"; } >"$out/match/raw-$b"
  { printf '\000\002'; cat "$f"; } >"$out/match/raw-once-$b"
  # The glossary's headings as terms, then the note.
  if [ -f $fx/glossary/glossary.md ]; then
    { printf '\000\000'; sed -n 's/^## //p' $fx/glossary/glossary.md; printf '\376'; cat "$f"; } \
      >"$out/match/gloss-$b"
  fi
done
for f in $texts $glossaries; do
  [ -f "$f" ] || continue
  b=$(basename "$f")
  # Any bytes decode in the reference and Markdown modes.
  { printf '\001\000'; head -c 600 "$f"; } >"$out/match/ref-$b"
  { printf '\002\000'; head -c 600 "$f"; } >"$out/match/md-$b"
done

# lua: flags and a two-byte count, then the program (any bytes decode).
for f in $texts $glossaries $notes; do
  [ -f "$f" ] || continue
  { printf '\000\000\000'; head -c 400 "$f"; } >"$out/lua/$(basename "$f")"
done

n=$(find "$out" -type f | wc -l)
echo "seeds: $n files in $out"
