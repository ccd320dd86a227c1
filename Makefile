# hvsim - one entry point: deps, build, test, conform, bench, clean.
# `make V=1` shows full commands; `make WERROR=0` keeps warnings non-fatal.

.DEFAULT_GOAL := all
.SUFFIXES:

BUILD   := build
CC      ?= cc
GUEST_CC := aarch64-linux-gnu-gcc
PKGS    := unicorn libcjson cunit capstone libpcre2-8 libelf
VERSION := 0.1.0

WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
WERROR  ?= 1
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE -I. $(WARNINGS) $(CFLAGS) $(PKG_CFLAGS) -DHVSIM_VERSION=\"$(VERSION)\"
# EXTRA_LIBS: what sanitizer and coverage builds add.  They pass it, not
# LDLIBS, to their sub-make, which runs after `deps` and so asks pkg-config
# again (on a fresh machine the parent's PKG_LIBS was read before deps ran).
LDLIBS  := $(PKG_LIBS) -lm $(EXTRA_LIBS)

ifneq ($(V),1)
Q := @
quiet = @printf '  %-7s %s\n' $(1) $(2);
else
Q :=
quiet =
endif

# The library: every module of the floors vdev/, sim/, conformance/ and
# reports/ (docs/architecture.md; `make layers` checks their includes).
LIB_SRCS  := $(sort $(wildcard vdev/*.c sim/*.c conformance/*.c reports/*.c))
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB       := $(BUILD)/libhvsim.a
TEST_SRCS := $(sort $(filter-out tests/fuzz/%,$(wildcard tests/*.c tests/*/*.c)))
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD)/%.o)
BENCH_SRCS := $(sort $(wildcard bench/*.c))
BENCH_BINS := $(BENCH_SRCS:bench/%.c=$(BUILD)/bench/%)

# Guests: every scenarios/guests/NAME.{c,S} becomes build/guests/NAME.elf,
# linked with the runtime in scenarios/guests/rt/ (ARCHITECTURE: guest flags).
GUEST_DIR   := scenarios/guests
# GUEST_FLAGS and GUEST_LDBASE are what every guest needs; hvsim-cc (below)
# is made from them too, so users' drivers are built the way the suite's are.
GUEST_FLAGS := -ffreestanding -nostdlib -static -fno-pic -no-pie \
		-mno-outline-atomics -mgeneral-regs-only -fno-stack-protector
GUEST_CFLAGS := -O2 -g $(GUEST_FLAGS) -Wall -Wextra -Werror -I$(GUEST_DIR)/rt
GUEST_LDBASE := -nostdlib -static -no-pie -Wl,--build-id=none
GUEST_LDFLAGS := $(GUEST_LDBASE) -T $(GUEST_DIR)/rt/link.ld
RT_SRCS   := $(sort $(wildcard $(GUEST_DIR)/rt/*.c $(GUEST_DIR)/rt/*.S))
RT_OBJS   := $(patsubst $(GUEST_DIR)/rt/%,$(BUILD)/guests/rt/%.o,$(RT_SRCS))
GUEST_SRCS := $(sort $(wildcard $(GUEST_DIR)/*.c $(GUEST_DIR)/*.S))
GUESTS    := $(patsubst $(GUEST_DIR)/%,$(BUILD)/guests/%,$(basename $(GUEST_SRCS)))
GUESTS    := $(GUESTS:%=%.elf)

# The guest runtime as users link it (make install): crt0.o first, the rest
# as librt-hvsim.a, the headers with their register maps beside them.
RT_CRT0   := $(BUILD)/guests/rt/crt0.S.o
RT_LIB    := $(BUILD)/guests/rt/librt-hvsim.a
RT_HDRS   := $(sort $(wildcard $(GUEST_DIR)/rt/*.h))
RT_REGS   := sim/gicv2_regs.h vdev/shmem_regs.h
RT_INC    := $(patsubst %,$(BUILD)/guests/rt/include/%,$(notdir $(RT_HDRS) $(RT_REGS)))

.PHONY: all deps test unit conform compat bench bench-qemu bench-report sanitize fuzz fuzz-build clean help layers coverage mutants matrix install uninstall
.SECONDARY: $(RT_OBJS)
all: $(BUILD)/hvsim $(BUILD)/unit-tests $(GUESTS) $(BUILD)/hvsim-cc $(RT_CRT0) $(RT_LIB) $(RT_INC)

help:
	@echo "make conform   install deps if missing, build, run the suite, write reports/"
	@echo "make test      install deps if missing, build, unit tests + conformance suite"
	@echo "make all       build build/hvsim, build/unit-tests, build/guests/*.elf, hvsim-cc"
	@echo "make bench     benchmarks (alternating rounds, min and median, ratios of medians)"
	@echo "make bench-qemu  the ALU loop under qemu-system-aarch64 (TCG, -icount), if installed"
	@echo "make bench-report  report sizes; a 1000-scenario report opened by headless Chromium, if installed"
	@echo "make sanitize  unit tests, the suite and the hostile-input corpus (tests/hostile-e2e.sh)"
	@echo "               under AddressSanitizer + UBSan (build/asan)"
	@echo "make coverage  the suite with gcov (build/cov): line and branch coverage of vdev/ and"
	@echo "               sim/gic.c, HTML in reports/coverage/, summary printed"
	@echo "make compat    the client-style scenarios under every profile reading: reports/compat.html"
	@echo "make mutants   apply each tests/mutants/*.patch, run the suite, count the mutants killed"
	@echo "make matrix    rewrite scenarios/matrix/ (and the tables of named scenarios) from tools/gen-matrix.py"
	@echo "make fuzz      build the libFuzzer harnesses (clang) and run each FUZZ_S seconds (default 60)"
	@echo "make layers    the include graph by folder and module; fails on an upward edge or a cycle"
	@echo "make deps      install the Debian packages (tools/install-deps.sh)"
	@echo "make clean     remove build/ and generated reports"
	@echo "make install   install hvsim, hvsim-cc, the suite, guests, runtime, man page"
	@echo "               (PREFIX=/usr/local, DESTDIR= for staging); make uninstall"

deps:
	@tools/install-deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(call quiet,CC,$<)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJS)
	$(call quiet,AR,$@)rm -f $@ && ar rcs $@ $^

$(BUILD)/hvsim: $(BUILD)/tools/hvsim.o $(LIB)
	$(call quiet,LINK,$@)$(CC) -o $@ $^ $(LDLIBS)

$(BUILD)/unit-tests: $(TEST_OBJS) $(LIB)
	$(call quiet,LINK,$@)$(CC) -o $@ $^ $(LDLIBS)

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIB)
	$(call quiet,LINK,$@)$(CC) -o $@ $^ $(LDLIBS)

$(BUILD)/guests/rt/%.c.o: $(GUEST_DIR)/rt/%.c
	@mkdir -p $(dir $@)
	$(call quiet,GCC-A64,$<)$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -c -o $@ $<
$(BUILD)/guests/rt/%.S.o: $(GUEST_DIR)/rt/%.S
	@mkdir -p $(dir $@)
	$(call quiet,AS-A64,$<)$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -c -o $@ $<
$(BUILD)/guests/%.elf: $(GUEST_DIR)/%.c $(RT_OBJS) $(GUEST_DIR)/rt/link.ld
	@mkdir -p $(dir $@)
	$(call quiet,GCC-A64,$<)$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -MF $@.d $(GUEST_LDFLAGS) -o $@ $< $(RT_OBJS)
$(BUILD)/guests/%.elf: $(GUEST_DIR)/%.S $(RT_OBJS) $(GUEST_DIR)/rt/link.ld
	@mkdir -p $(dir $@)
	$(call quiet,AS-A64,$<)$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -MF $@.d $(GUEST_LDFLAGS) -o $@ $< $(RT_OBJS)

$(RT_LIB): $(filter-out $(RT_CRT0),$(RT_OBJS))
	$(call quiet,AR,$@)rm -f $@ && ar rcs $@ $^
# Installed headers include their register maps from beside them, not from
# the tree ("../../../sim/gicv2_regs.h" becomes "gicv2_regs.h").
$(BUILD)/guests/rt/include/%.h: $(GUEST_DIR)/rt/%.h
	@mkdir -p $(dir $@)
	$(call quiet,GEN,$@)sed 's|^\(#include "\)\(\.\./\)*[a-z]*/\([a-z0-9_]*\.h"\)|\1\3|' $< > $@
$(BUILD)/guests/rt/include/%.h: sim/%.h
	@mkdir -p $(dir $@)
	$(call quiet,GEN,$@)cp $< $@
$(BUILD)/guests/rt/include/%.h: vdev/%.h
	@mkdir -p $(dir $@)
	$(call quiet,GEN,$@)cp $< $@
$(BUILD)/hvsim-cc: tools/hvsim-cc.in Makefile
	$(call quiet,GEN,$@)sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@GUEST_CC@|$(GUEST_CC)|g' \
		-e 's|@GUEST_FLAGS@|$(strip $(GUEST_FLAGS))|g' \
		-e 's|@GUEST_LDBASE@|$(strip $(GUEST_LDBASE))|g' $< > $@.tmp && chmod 755 $@.tmp && mv $@.tmp $@

# make install [PREFIX=/usr/local] [DESTDIR=stage]: the layout of
# docs/architecture.md ("Installed"). hvsim and hvsim-cc find share/hvsim/
# from their own real path (bin/../share/hvsim), so the installed tree works
# wherever it is moved or staged; that is why BINDIR and DATADIR follow PREFIX.
PREFIX  ?= /usr/local
BINDIR  := $(PREFIX)/bin
DATADIR := $(PREFIX)/share
MANDIR  ?= $(DATADIR)/man
HVSIM_DATA := $(DATADIR)/hvsim
INSTALL ?= install
SUITE_FILES := $(sort $(wildcard scenarios/*/*.json))
SUITE_AREAS := $(sort $(patsubst scenarios/%/,%,$(dir $(SUITE_FILES))))

install: $(BUILD)/hvsim $(BUILD)/hvsim-cc $(GUESTS) $(RT_CRT0) $(RT_LIB) $(RT_INC)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(HVSIM_DATA)/guests $(DESTDIR)$(HVSIM_DATA)/rt/include \
		$(SUITE_AREAS:%=$(DESTDIR)$(HVSIM_DATA)/scenarios/%)
	$(INSTALL) -m 755 $(BUILD)/hvsim $(BUILD)/hvsim-cc $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 644 man/hvsim.1 $(DESTDIR)$(MANDIR)/man1/hvsim.1
	$(INSTALL) -m 644 scenarios/scenario.schema.json $(DESTDIR)$(HVSIM_DATA)/
	$(INSTALL) -m 644 $(GUESTS) $(DESTDIR)$(HVSIM_DATA)/guests/
	$(INSTALL) -m 644 $(RT_INC) $(DESTDIR)$(HVSIM_DATA)/rt/include/
	$(INSTALL) -m 644 $(RT_CRT0) $(DESTDIR)$(HVSIM_DATA)/rt/crt0.o
	$(INSTALL) -m 644 $(RT_LIB) $(GUEST_DIR)/rt/link.ld $(DESTDIR)$(HVSIM_DATA)/rt/
	@for a in $(SUITE_AREAS); do \
		echo "$(INSTALL) -m 644 scenarios/$$a/*.json $(DESTDIR)$(HVSIM_DATA)/scenarios/$$a/"; \
		$(INSTALL) -m 644 scenarios/$$a/*.json $(DESTDIR)$(HVSIM_DATA)/scenarios/$$a/ || exit 1; \
	done

# Everything install put there and nothing else: share/hvsim is hvsim's own;
# bin/, share/man/man1 and the prefix itself stay (other programs use them).
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/hvsim $(DESTDIR)$(BINDIR)/hvsim-cc $(DESTDIR)$(MANDIR)/man1/hvsim.1
	rm -rf $(DESTDIR)$(HVSIM_DATA)

# The main job: the whole conformance suite with HTML and JUnit reports.
# hvsim itself prints the failures and the report paths before its closing
# "N passed, M failed" line, so they show even when it exits non-zero.
conform: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p reports
	$(BUILD)/hvsim conform -j 2 --compat --html reports/conformance.html --junit reports/junit.xml \
		--json reports/results.json

# The client compatibility matrix alone (docs/clients.md); `make conform`
# puts the same table in reports/conformance.html.
compat: all
	@mkdir -p reports
	$(BUILD)/hvsim compat -j 2 -q --html reports/compat.html

unit: all
	$(BUILD)/unit-tests

# The floors of docs/architecture.md, checked from the #include lines.
layers:
	@tools/include-graph.sh

# The layering check, unit tests, the GDB stub against gdb-multiarch, a
# scripted prompt session (tests/debug-prompt-e2e.sh), the command line (tests/cli-e2e.sh), make install/uninstall and the installed
# tools (tests/install-e2e.sh), the scenario JSON Schema against the loader
# (tests/schema-check.py), the CI recipes of ci/ run locally with their shards
# merged (tests/ci-recipes.py), README.md's tutorial as written, in a temporary
# home (tests/readme-tutorial.py), race mode over the suite with no report
# outside scenarios/datarace/ (tests/races-suite.sh), then the suite; the JUnit file must be
# valid against the common JUnit schema (tests/schemas/junit.xsd), and the
# HTML report small per scenario with a failure's register traffic in it
# (tests/report-check.sh).
test: deps
	@$(MAKE) --no-print-directory all
	@tools/include-graph.sh --check
	@tools/gen-matrix.py --check
	@tools/gen-scenario-schema.py --check
	$(BUILD)/unit-tests
	tests/gdb-e2e.sh
	tests/debug-prompt-e2e.sh
	tests/cli-e2e.sh
	tests/install-e2e.sh
	tests/schema-check.py $(BUILD)/hvsim
	tests/ci-recipes.py
	tests/readme-tutorial.py
	tests/races-suite.sh $(BUILD)/hvsim
	@mkdir -p reports
	$(BUILD)/hvsim conform -j 2 --junit reports/junit.xml --html reports/conformance.html \
		--json reports/conformance.json
	@xmllint --noout --schema tests/schemas/junit.xsd reports/junit.xml
	tests/report-check.sh $(BUILD)/hvsim reports/conformance.html
	tests/clause-check.py reports/conformance.json > reports/clauses.txt || \
		{ cat reports/clauses.txt; exit 1; }
	@tail -1 reports/clauses.txt

# The same tests with AddressSanitizer and UndefinedBehaviorSanitizer: any
# report fails the target (halt_on_error, leaks included), except the one
# libunicorn 2.0.1 leak named in tests/fuzz/lsan.supp (upstream, not ours):
# warm VMs rerun the same engine, so their guests' stores to a page holding
# code pass the threshold where Unicorn builds the bitmap it never frees.
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
sanitize: export LSAN_OPTIONS = suppressions=$(CURDIR)/tests/fuzz/lsan.supp:print_suppressions=0
sanitize: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan CFLAGS="-O1 -g $(SAN)" \
		EXTRA_LIBS="$(SAN)" $(BUILD)/asan/hvsim $(BUILD)/asan/unit-tests
	$(BUILD)/asan/unit-tests
	$(BUILD)/asan/hvsim conform -j 2 --suite scenarios --guests $(BUILD)/guests -q
	tests/hostile-e2e.sh $(BUILD)/asan/hvsim $(BUILD)/guests

# Coverage of the device models by the conformance suite alone: a --coverage
# build in build/cov whose workers write their counters at _exit
# (tools/cov_exit.c), then gcovr over vdev/ and sim/gic.c.
COV := $(BUILD)/cov
COV_FLAGS := -O0 -g --coverage
$(BUILD)/hvsim-cov: $(BUILD)/tools/hvsim.o $(BUILD)/tools/cov_exit.o $(LIB)
	$(call quiet,LINK,$@)$(CC) -Wl,--wrap=_exit -o $@ $^ $(LDLIBS)

coverage: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p $(COV) reports/coverage
	@find $(COV) -name '*.gcda' -delete
	@$(MAKE) --no-print-directory BUILD=$(COV) CFLAGS="$(COV_FLAGS)" \
		EXTRA_LIBS="--coverage" $(COV)/hvsim-cov
	$(COV)/hvsim-cov conform -j 2 -q --suite scenarios --guests $(BUILD)/guests
	gcovr --root . --object-directory $(COV) --filter 'vdev/' --filter 'sim/gic\.c' \
		--exclude-unreachable-branches --html-details reports/coverage/index.html \
		--txt - --print-summary $(COV)
	@echo "report: reports/coverage/index.html"

mutants: all
	tools/mutants.sh

matrix:
	tools/gen-matrix.py

# Fuzzing (docs/fuzzing.md): every tests/fuzz/fuzz_NAME.c is a libFuzzer
# harness, built with clang against a copy of the library compiled with
# coverage, ASan and UBSan in build/fuzz/lib (the gcc build is untouched),
# and run FUZZ_S seconds on tests/fuzz/corpus/NAME by tests/fuzz/run.sh.
FUZZ_CC    ?= clang
FUZZ_S     ?= 60
FUZZ_SAN   := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS := -O1 -g -Wno-unknown-warning-option $(FUZZ_SAN)
FUZZ_SRCS  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS  := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_LIB   := $(BUILD)/fuzz/lib/libhvsim.a

fuzz-build: deps
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/fuzz/lib CC=$(FUZZ_CC) \
		CFLAGS="$(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link" $(FUZZ_LIB)
	@$(MAKE) --no-print-directory $(FUZZ_BINS)

# The harness itself is not coverage-instrumented: the fuzzer is guided by
# the code under test (the harness's own checks would only slow it down).
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(call quiet,FUZZ-CC,$<)$(FUZZ_CC) -std=c11 -D_GNU_SOURCE -I. $(WARNINGS) $(FUZZ_CFLAGS) \
		$(PKG_CFLAGS) -c -o $@.o $<
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $@.o $(FUZZ_LIB) $(LDLIBS)

fuzz: fuzz-build
	@tests/fuzz/run.sh $(FUZZ_S) $(FUZZ_BINS)

bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_BINS)
	@for b in $(BENCH_BINS); do echo "== $$b"; $$b || exit 1; done

# The ALU loop under Debian's qemu-system-aarch64 (plain TCG and -icount),
# when it is installed: not a dependency, not part of `make test`.
bench-qemu:
	@$(MAKE) --no-print-directory all $(BUILD)/bench/mips
	@bench/qemu.sh

# The HTML report's size for the suite and for 1000 scenarios (the example that
# fails, pingpong-wrong-count, exits 1 and so does the merge), and how long
# headless Chromium takes to open the latter, when it is installed (Debian
# chromium: not a dependency, not part of `make test`).
BIGREP := $(BUILD)/bench/report
bench-report:
	@$(MAKE) --no-print-directory all
	@mkdir -p $(BIGREP)
	@$(BUILD)/hvsim run scenarios -j 2 -q --json $(BIGREP)/suite.json --html $(BIGREP)/suite.html > /dev/null
	@rc=0; $(BUILD)/hvsim run examples/pingpong-wrong-count.json -q --json $(BIGREP)/failing.json > /dev/null || rc=$$?; [ $$rc = 1 ]
	@bench/big-report.py $(BIGREP)/suite.json $(BIGREP)/failing.json 1000 $(BIGREP)/big1000.json
	@rc=0; $(BUILD)/hvsim merge $(BIGREP)/big1000.json --html $(BIGREP)/big1000.html > /dev/null || rc=$$?; [ $$rc = 1 ]
	@for f in suite big1000; do n=$$(python3 -c "import json,sys;print(len(json.load(open(sys.argv[1]))['results']))" $(BIGREP)/$$f.json); \
		s=$$(stat -c %s $(BIGREP)/$$f.html); echo "$$f.html: $$n scenarios, $$s bytes, $$((s / n)) bytes a scenario"; done
	@if command -v chromium > /dev/null; then bench/report-open.sh $(BIGREP)/big1000.html 7; \
	else echo "bench-report: chromium not installed (apt-get install chromium): opening time not measured"; fi

clean:
	rm -rf $(BUILD) reports/*.html reports/*.xml reports/*.json reports/*.tap

-include $(LIB_OBJS:.o=.d) $(TEST_OBJS:.o=.d) $(BUILD)/tools/hvsim.d
-include $(RT_OBJS:.o=.d) $(GUESTS:%=%.d) $(BENCH_BINS:%=%.d)
