# Turns data/common-english.txt (word<TAB>level lines, sorted bytewise, '#'
# comments) into a C header for src/common.c: fixed-width records, so the
# table needs no relocations and is searched in place.
# Run as: cmake -DIN=... -DOUT=... -P common-english.cmake
file(STRINGS "${IN}" lines)
set(words "")
set(levels "")
set(count 0)
foreach(line IN LISTS lines)
  if(line MATCHES "^([a-z]+)\t([0-9]+)$")
    string(APPEND words "    \"${CMAKE_MATCH_1}\",\n")
    string(APPEND levels "${CMAKE_MATCH_2},")
    math(EXPR count "${count} + 1")
  endif()
endforeach()
file(WRITE "${OUT}.tmp"
"/* Generated from data/common-english.txt by cmake/common-english.cmake. */\n"
"#define PL_COMMON_COUNT ${count}\n"
"#define PL_COMMON_WIDTH 18\n"
"static const char common_words[PL_COMMON_COUNT][PL_COMMON_WIDTH] = {\n${words}};\n"
"static const unsigned char common_levels[PL_COMMON_COUNT] = {${levels}};\n")
file(RENAME "${OUT}.tmp" "${OUT}")
