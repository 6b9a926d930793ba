# Turns data/pos-lexicon.txt (word<TAB>class letters, sorted bytewise, '#'
# comments) into a C header for src/pos.c: fixed-width word records searched
# in place, and each word's classes as an OR of PL_POS_* bits (the letters
# become "1|2|", which the compiler folds). Whole-file regex passes: a
# loop over the 22,000 lines would take CMake seconds.
# Run as: cmake -DIN=... -DOUT=... -P pos-lexicon.cmake
file(READ "${IN}" text)
string(REGEX REPLACE "#[^\n]*\n" "" text "${text}")
string(REGEX MATCHALL "\n" lines "${text}")
list(LENGTH lines count)
string(REGEX REPLACE "([a-z]+)\t[A-Za-z]+\n" "    \"\\1\",\n" words "${text}")
string(REGEX REPLACE "[a-z]+\t([A-Za-z]+)\n" "\\1," classes "${text}")
# The bits of src/pos.h: n PL_POS_NOUN, v VERB, a ADJ, r ADV, P PLURAL, D PAST,
# S THIRD, G ING, C COMPARATIVE.
foreach(pair "n;1" "v;2" "a;4" "r;8" "P;16" "D;32" "S;64" "G;128" "C;256")
  list(GET pair 0 letter)
  list(GET pair 1 bit)
  string(REPLACE "${letter}" "${bit}|" classes "${classes}")
endforeach()
string(REPLACE "|," "," classes "${classes}")
file(WRITE "${OUT}.tmp"
"/* Generated from data/pos-lexicon.txt by cmake/pos-lexicon.cmake. */\n"
"#define PL_POS_COUNT ${count}\n"
"#define PL_POS_WIDTH 16\n"
"static const char pos_words[PL_POS_COUNT][PL_POS_WIDTH] = {\n${words}};\n"
"static const unsigned short pos_classes[PL_POS_COUNT] = {${classes}};\n")
file(RENAME "${OUT}.tmp" "${OUT}")
