#!/bin/sh
# Writes data/pos-lexicon.txt, the part-of-speech lexicon of src/pos.c: each
# word form with the word classes it can take, from WordNet 3.0 (Debian's
# `wordnet-base` package: apt-get install wordnet-base). Kept: every
# single-word lemma (ASCII lower-case letters, at most 15) that can be a
# verb or an adverb; adjectives tagged in SemCor or listed in
# data/common-english.txt; nouns only where they must be told apart from a
# regular inflection of a verb or adjective ("building", "findings"), since
# the reader takes an unknown word for a noun; and the irregular forms of
# the .exc lists. Regular inflections are left to the reader (src/pos.c).
# Letters: n noun, v verb, a adjective, r adverb (lemmas); P irregular noun
# plural, D irregular past or participle, S irregular third-person present,
# G irregular -ing form, C irregular comparative or superlative. WordNet's
# licence asks that its notice travel with the data, so it heads the file.
# Run it again only to change what is kept (a developer tool, not run in CI).
set -eu
export LC_ALL=C
dir=/usr/share/wordnet
out=${1:-data/pos-lexicon.txt}
common=$(dirname "$0")/../data/common-english.txt
[ -r "$dir/index.verb" ] || { echo "no WordNet at $dir: apt-get install wordnet-base" >&2; exit 1; }
{
  cat <<'NOTICE'
# Part-of-speech lexicon (src/pos.c): word<TAB>classes, made by
# scripts/make-pos-lexicon.sh from WordNet 3.0 (Debian package wordnet-base).
# n noun, v verb, a adjective, r adverb; irregular forms: P noun plural,
# D past or participle, S third-person present, G -ing form, C comparative.
#
# WordNet Release 3.0 This software and database is being provided to you,
# the LICENSEE, by Princeton University under the following license. By
# obtaining, using and/or copying this software and database, you agree that
# you have read, understood, and will comply with these terms and conditions.:
# Permission to use, copy, modify and distribute this software and database
# and its documentation for any purpose and without fee or royalty is hereby
# granted, provided that you agree to comply with the following copyright
# notice and statements, including the disclaimer, and that the same appear
# on ALL copies of the software, database and documentation, including
# modifications that you make for internal use or for distribution. WordNet
# 3.0 Copyright 2006 by Princeton University. All rights reserved. THIS
# SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO
# REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. BY WAY OF EXAMPLE, BUT
# NOT LIMITATION, PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES
# OF MERCHANT- ABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT THE USE
# OF THE LICENSED SOFTWARE, DATABASE OR DOCUMENTATION WILL NOT INFRINGE ANY
# THIRD PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR OTHER RIGHTS. The name of
# Princeton University or Princeton may not be used in advertising or
# publicity pertaining to distribution of the software and/or database.
# Title to copyright in this software, database and any associated
# documentation shall at all times remain with Princeton University and
# LICENSEE agrees to preserve same.
NOTICE
  awk -v common="$common" '
    function lemma(f, c,    line, p, w, tag) {
      while ((getline line < f) > 0) {
        if (line ~ /^ /) continue
        split(line, p, " ")
        w = p[1]
        if (w !~ /^[a-z]+$/ || length(w) > 15) continue
        tag = p[4 + p[4] + 2] + 0
        cls[w] = cls[w] c
        if (tag > 0) tagged[w, c] = 1
      }
    }
    function has(w, c) { return (w in cls) && index(cls[w], c) > 0 }
    # Whether a regular suffix rule of src/pos.c reads w as a form of a verb
    # or adjective lemma (so an unknown noun would be misread).
    function inflected(w,    n, s) {
      n = length(w)
      if (n > 3 && w ~ /s$/ && (has(substr(w, 1, n - 1), "v") || has(substr(w, 1, n - 2), "v") || \
          (w ~ /ies$/ && has(substr(w, 1, n - 3) "y", "v")))) return 1
      if (n > 4 && w ~ /ed$/ && (has(substr(w, 1, n - 1), "v") || has(substr(w, 1, n - 2), "v") || \
          (w ~ /ied$/ && has(substr(w, 1, n - 3) "y", "v")) || \
          (substr(w, n - 2, 1) == substr(w, n - 3, 1) && has(substr(w, 1, n - 3), "v")))) return 1
      if (n > 5 && w ~ /ing$/ && (has(substr(w, 1, n - 3), "v") || has(substr(w, 1, n - 3) "e", "v") || \
          (substr(w, n - 3, 1) == substr(w, n - 4, 1) && has(substr(w, 1, n - 4), "v")))) return 1
      if (n > 4 && w ~ /er$/ && (has(substr(w, 1, n - 2), "a") || has(substr(w, 1, n - 1), "a"))) return 1
      if (n > 5 && w ~ /est$/ && (has(substr(w, 1, n - 3), "a") || has(substr(w, 1, n - 2), "a"))) return 1
      return 0
    }
    function exc(f, c,    line, p, w, k, flag) {
      while ((getline line < f) > 0) {
        split(line, p, " ")
        w = p[1]
        if (w !~ /^[a-z]+$/ || length(w) > 15) continue
        for (k = 2; k in p; k++) if (has(p[k], c)) break
        if (!(k in p)) continue
        if (c == "n") flag = "P"
        else if (c == "a" || c == "r") flag = "C"
        else if (w ~ /ing$/) flag = "G"
        else if (w == "are" || w == "am") flag = "v"
        else if (w ~ /s$/ && w != "was") flag = "S"
        else flag = "D"
        if (index(irr[w], flag) == 0) irr[w] = irr[w] flag
      }
    }
    BEGIN {
      while ((getline line < common) > 0) if (line !~ /^#/) { split(line, p, "\t"); everyday[p[1]] = 1 }
      lemma("'"$dir"'/index.noun", "n"); lemma("'"$dir"'/index.verb", "v")
      lemma("'"$dir"'/index.adj", "a"); lemma("'"$dir"'/index.adv", "r")
      exc("'"$dir"'/noun.exc", "n"); exc("'"$dir"'/verb.exc", "v")
      exc("'"$dir"'/adj.exc", "a"); exc("'"$dir"'/adv.exc", "r")
      for (w in cls) {
        keep = has(w, "v") || has(w, "r") || \
               (has(w, "a") && (tagged[w, "a"] || (w in everyday))) || \
               (has(w, "n") && inflected(w))
        if (!keep) continue
        s = ""
        if (has(w, "n")) s = s "n"
        if (has(w, "v")) s = s "v"
        if (has(w, "a") && (tagged[w, "a"] || (w in everyday) || has(w, "v") || has(w, "r"))) s = s "a"
        if (has(w, "r")) s = s "r"
        out[w] = s
      }
      for (w in irr) out[w] = out[w] irr[w]
      for (w in out) if (out[w] != "") print w "\t" out[w]
    }' | sort -t '	' -k1,1
} >"$out"
