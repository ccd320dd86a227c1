# hvsim - one entry point: deps, build, test, conform, bench, clean.
# `make V=1` shows full commands; `make WERROR=0` keeps warnings non-fatal.

.DEFAULT_GOAL := all
.SUFFIXES:

BUILD   := build
CC      ?= cc
GUEST_CC := aarch64-linux-gnu-gcc
PKGS    := unicorn libcjson cunit capstone
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
LDLIBS  := $(PKG_LIBS) -lm

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
GUEST_CFLAGS := -O2 -g -ffreestanding -nostdlib -static -fno-pic -no-pie \
		-mno-outline-atomics -mgeneral-regs-only -fno-stack-protector \
		-Wall -Wextra -Werror -I$(GUEST_DIR)/rt
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -T $(GUEST_DIR)/rt/link.ld
RT_SRCS   := $(sort $(wildcard $(GUEST_DIR)/rt/*.c $(GUEST_DIR)/rt/*.S))
RT_OBJS   := $(patsubst $(GUEST_DIR)/rt/%,$(BUILD)/guests/rt/%.o,$(RT_SRCS))
GUEST_SRCS := $(sort $(wildcard $(GUEST_DIR)/*.c $(GUEST_DIR)/*.S))
GUESTS    := $(patsubst $(GUEST_DIR)/%,$(BUILD)/guests/%,$(basename $(GUEST_SRCS)))
GUESTS    := $(GUESTS:%=%.elf)

.PHONY: all deps test unit conform bench sanitize fuzz fuzz-build clean help layers
.SECONDARY: $(RT_OBJS)
all: $(BUILD)/hvsim $(BUILD)/unit-tests $(GUESTS)

help:
	@echo "make conform   install deps if missing, build, run the suite, write reports/"
	@echo "make test      install deps if missing, build, unit tests + conformance suite"
	@echo "make all       build build/hvsim, build/unit-tests, build/guests/*.elf"
	@echo "make bench     benchmarks (ratios measured in one run)"
	@echo "make sanitize  unit tests and the suite under AddressSanitizer + UBSan (build/asan)"
	@echo "make fuzz      build the libFuzzer harnesses (clang) and run each FUZZ_S seconds (default 60)"
	@echo "make layers    the include graph by folder and module; fails on an upward edge or a cycle"
	@echo "make deps      install the Debian packages (tools/install-deps.sh)"
	@echo "make clean     remove build/ and generated reports"

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

# The main job: the whole conformance suite with HTML and JUnit reports.
conform: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p reports
	$(BUILD)/hvsim conform -j 2 --html reports/conformance.html --junit reports/junit.xml \
		--json reports/results.json
	@echo "report: reports/conformance.html"

unit: all
	$(BUILD)/unit-tests

# The floors of docs/architecture.md, checked from the #include lines.
layers:
	@tools/include-graph.sh

# The layering check, unit tests, the GDB stub against gdb-multiarch, then
# the suite; the JUnit file must be well-formed XML.
test: deps
	@$(MAKE) --no-print-directory all
	@tools/include-graph.sh --check
	$(BUILD)/unit-tests
	tests/gdb-e2e.sh
	@mkdir -p reports
	$(BUILD)/hvsim conform -j 2 --junit reports/junit.xml --html reports/conformance.html
	@xmllint --noout reports/junit.xml

# The same tests with AddressSanitizer and UndefinedBehaviorSanitizer: any
# report fails the target (halt_on_error, leaks included).
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
sanitize: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan CFLAGS="-O1 -g $(SAN)" \
		LDLIBS="$(PKG_LIBS) -lm $(SAN)" $(BUILD)/asan/hvsim $(BUILD)/asan/unit-tests
	$(BUILD)/asan/unit-tests
	$(BUILD)/asan/hvsim conform -j 2 --suite scenarios --guests $(BUILD)/guests -q

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

clean:
	rm -rf $(BUILD) reports/*.html reports/*.xml reports/*.json

-include $(LIB_OBJS:.o=.d) $(TEST_OBJS:.o=.d) $(BUILD)/tools/hvsim.d
-include $(RT_OBJS:.o=.d) $(GUESTS:%=%.d) $(BENCH_BINS:%=%.d)
