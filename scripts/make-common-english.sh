#!/bin/sh
# Writes data/common-english.txt, the general-English background the term
# extractor measures domain specificity against: the words of SCOWL's two
# most common size levels (10: the ~1,000 most common English words with
# their inflections; 20: the next frequency classes), ASCII lower case, each
# with its level. SCOWL is Debian's `scowl` package (apt-get install scowl);
# its permissive licence asks that the notice travel with the words, so the
# notice heads the file. Run it again only to change the levels kept.
set -eu
export LC_ALL=C
dir=/usr/share/dict/scowl
out=${1:-data/common-english.txt}
[ -r "$dir/english-words.10" ] || { echo "no SCOWL at $dir: apt-get install scowl" >&2; exit 1; }
{
  cat <<'NOTICE'
# General-English background for term extraction (src/common.c): word<TAB>level,
# level 10 = most common English words, 20 = common ones (SCOWL size levels).
# Made by scripts/make-common-english.sh from SCOWL (Debian package scowl).
#
# Copyright 2000-2011 by Kevin Atkinson
#
# Permission to use, copy, modify, distribute and sell these word
# lists, the associated scripts, the output created from the scripts,
# and its documentation for any purpose is hereby granted without fee,
# provided that the above copyright notice appears in all copies and
# that both that copyright notice and this permission notice appear in
# supporting documentation. Kevin Atkinson makes no representations
# about the suitability of this array for any purpose. It is provided
# "as is" without express or implied warranty.
#
# The level-10 and level-20 lists come from the public-domain Moby Words II
# and Brian Kelk's public-domain "UK English Wordlist with Frequency
# Classification" (see /usr/share/doc/scowl/copyright).
NOTICE
  for level in 10 20; do
    cat "$dir/english-words.$level" "$dir/american-words.$level" |
      iconv -f latin1 -t utf-8 | grep -E '^[a-z]{1,17}$' | sed "s/\$/	$level/"
  done | sort -t '	' -k1,1 -k2,2n | awk -F '\t' '!seen[$1]++'
} >"$out"
