# Thin wrapper over CMake, for plugin managers (`build = "make"`) and people.
BUILD ?= build
ASAN_BUILD ?= build-asan
CMAKE ?= cmake
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
FILE ?= examples/new-quality-productive-forces.txt

.PHONY: all build test test-asan test-valgrind demo bench format format-check clean deps

all: build

$(BUILD)/CMakeCache.txt:
	$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: $(BUILD)/CMakeCache.txt
	$(CMAKE) --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

$(ASAN_BUILD)/CMakeCache.txt:
	$(CMAKE) -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DPL_SANITIZE=ON -DPL_BUILD_LUA_MODULE=OFF

test-asan: $(ASAN_BUILD)/CMakeCache.txt
	$(CMAKE) --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)

test-valgrind: build
	@set -e; n=0; for t in $(BUILD)/test_*; do \
	  valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
	    $$t >/dev/null; n=$$((n + 1)); done; \
	echo "valgrind: $$n cmocka test programs, no errors or leaks"

demo: build
	@sh scripts/demo.sh $(BUILD)/policylink $(FILE)

bench: build
	@sh bench/run.sh $(BUILD) $(BENCH)

format:
	clang-format -i src/*.c src/*.h src/lua/*.c src/lua/*.h src/cli/*.c tests/c/*.c tests/c/*.h bench/*.c

format-check:
	clang-format --dry-run --Werror src/*.c src/*.h src/lua/*.c src/lua/*.h src/cli/*.c tests/c/*.c tests/c/*.h bench/*.c

deps:
	sh scripts/deps.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) lua/policylink/core.so

# The pandoc example (examples/pandoc/): note.md rendered to HTML with the
# policylink filter, and the glossary page it links to (read as GitHub
# Markdown, whose heading ids are the anchors the links use), into
# $(BUILD)/pandoc-example/. Needs pandoc (apt-get install pandoc).
.PHONY: pandoc-example
pandoc-example: build
	@mkdir -p $(BUILD)/pandoc-example
	cd examples/pandoc && PATH="$(abspath $(BUILD)):$$PATH" pandoc note.md -L policylink.lua -s \
	  -o "$(abspath $(BUILD))/pandoc-example/note.html"
	pandoc -f gfm -s --metadata pagetitle=Glossary examples/pandoc/glossary.md \
	  -o $(BUILD)/pandoc-example/glossary.html
	@echo "pandoc-example: open $(BUILD)/pandoc-example/note.html"

# ---- fuzz ----
# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang, ASan and UBSan
# in $(FUZZ_BUILD); each runs FUZZ_SECONDS from the seeds tests/fuzz/seeds.sh
# makes (regression inputs first). FUZZ_TARGETS picks some, FUZZ_ARGS adds
# libFuzzer options. Needs clang and libclang-rt-dev (libFuzzer).
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_TARGETS ?= html boilerplate segment document terms glossary match lua

.PHONY: fuzz
$(FUZZ_BUILD)/CMakeCache.txt:
	CC=$(FUZZ_CC) $(CMAKE) -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPL_FUZZ=ON \
	  -DPL_BUILD_LUA_MODULE=OFF

fuzz: $(FUZZ_BUILD)/CMakeCache.txt
	$(CMAKE) --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_targets
	sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)
