# The two commands that matter: `make run` and `make test` (see README.md).
.PHONY: all deps build run test unit format format-check fuzz fuzz-smoke tidy bench install deb clean demo static

JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 300
CLANG_FORMAT ?= clang-format-14
SOURCES = $(shell git ls-files 'src/*.cc' 'src/*.h' 'bench/*.cc' 2>/dev/null)

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

run: build
	./build/irk status

# The five-minute tour (root): a break-in staged in the lab's network
# namespaces and irk respond run on it; prints where the report is.
demo: build
	tests/lab/demo --irk build/irk

# static comes before unit: tests/static checks build-static/irk against the test build.
test: deps format-check static unit fuzz-smoke

unit:
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	ctest --preset asan -j $(JOBS)

format:
	$(CLANG_FORMAT) -i $(SOURCES)

format-check:
	@$(CLANG_FORMAT) --dry-run --Werror $(SOURCES)
	@echo "format: clean"

# build-static/irk: one statically linked binary to carry on clean media into
# a compromised host; docs/static.md says what it lacks and what to do instead.
static: deps
	@cmake --preset static >/dev/null
	@cmake --build --preset static -j $(JOBS)

# Builds every fuzz target with clang 14 (which also proves the tree builds
# with clang) and replays the seed corpora: a regression check for CI.
fuzz-smoke: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)
	@scripts/run-fuzzers --replay

# Runs every fuzz target for FUZZ_SECONDS each, growing the corpora in build-fuzz/.
fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)
	@scripts/run-fuzzers --seconds $(FUZZ_SECONDS)

# irk side by side with fail2ban-regex, sshguard's parser and grep on the same
# generated auth.log, and with AIDE on a copy of /usr; prints times, peak
# memory and ratios (docs/benchmarks.md). `bench/run integrity` runs one part.
# The static binary is timed beside build/irk: it is what a responder carries.
bench: build static
	@bench/run

# /usr/local/bin/irk, its man page and bash completion, and /etc/irk/irk.toml
# (an existing one is kept). PREFIX=/usr for a system-wide install.
PREFIX ?= /usr/local
install: build
	cmake --install build --strip --prefix $(PREFIX)

# build/irk_VERSION_ARCH.deb: the same files under /usr, irk.toml a conffile.
deb: build
	cd build && cpack -G DEB

tidy: deps
	@cmake --preset asan >/dev/null
	run-clang-tidy-14 -p build-asan -quiet 'src/.*\.cc$$'

clean:
	rm -rf build build-asan build-fuzz build-static
