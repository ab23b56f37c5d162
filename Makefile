# flowc: DFFML dataflows compiled to native programs.
#
#   make            build build/flowc, build/libflowrt.a, build/include/
#   make check      every test (unit, golden, conformance, examples)
#   make example    compile and run the README's example end to end
#   make deps       install the Debian packages the build needs
#   make install    PREFIX=/usr/local DESTDIR=
#   make bench      the benchmark ladder (bench/README.md)
#   make scale-test GNU parallel and Dask over a compiled flow (also in check)
#   make fuzz       libFuzzer targets (FUZZTIME=60 seconds each)
#   make difftest   random flows through every mode (N=1000 SEED=1 JOBS=2)
#   make difftest-dffml   random flows against DFFML (DFFML_PATH=..., N=100)
#   make rtl-fpga   place and route every RTL-eligible flow on an iCE40 (flowc-rtl(7))
#   make rtl-sim    every RTL-eligible flow in Verilator and Icarus, with and without back-pressure
#   make lint       mandoc -Tlint on the man pages
#   make check SANITIZE=1   the whole suite under ASan + UBSan

PREFIX     = /usr/local
BINDIR     = $(PREFIX)/bin
LIBDIR     = $(PREFIX)/lib
INCLUDEDIR = $(PREFIX)/include
DATADIR    = $(PREFIX)/share
MANDIR     = $(PREFIX)/share/man
PKGCONFIGDIR = $(LIBDIR)/pkgconfig
DESTDIR    =

CC       = cc
OPT      = -O2 -g
WARN     = -Wall -Wextra -Wno-unused-parameter
CFLAGS   = $(OPT) $(WARN) $(SAN)
LDFLAGS  = $(SAN)
LLVM_DIR = /usr/lib/llvm-14

FORTIFY  = -D_FORTIFY_SOURCE=2

ifeq ($(SANITIZE),1)
FORTIFY =
SAN = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined \
      -DFLOW_ARENA_EXACT
OPT = -O1 -g
# Flows compiled by the tests link the instrumented runtime too.
export FLOWC_CFLAGS = -O1 -g $(SAN)
export ASAN_OPTIONS = detect_leaks=1
endif
ifeq ($(WERROR),1)
WARN += -Werror
endif

B = build
# Recursive on purpose: evaluated after `deps` has run.
DEP_CFLAGS = $(shell pkg-config --cflags yaml-0.1 jansson 2>/dev/null)
DEP_LIBS   = $(shell pkg-config --libs yaml-0.1 jansson 2>/dev/null) $(OPS_LIBS)
# what the operation library links (stdlib-ops/ops_db.c, ops_file.c, ...)
OPS_LIBS   = -lsqlite3 -larchive -llzma -lbz2 -lz
CLANG_CFLAGS = -I$(LLVM_DIR)/include
CLANG_LIBS   = -L$(LLVM_DIR)/lib -Wl,-rpath,$(LLVM_DIR)/lib -lclang

RT_SRC  = $(sort $(wildcard runtime/*.c))
OPS_SRC = $(sort $(wildcard stdlib-ops/*.c))
CC_SRC  = $(sort $(wildcard compiler/*.c))
RT_OBJ  = $(RT_SRC:%.c=$(B)/%.o) $(OPS_SRC:%.c=$(B)/%.o)
CC_OBJ  = $(CC_SRC:%.c=$(B)/%.o)
LIB_OBJ = $(filter-out $(B)/compiler/main.o,$(CC_OBJ))
HDRS    = runtime/flowrt.h runtime/flowhls.h stdlib-ops/flowops.h
PUB_HDR = $(HDRS:%=$(B)/include/%)
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

all: $(B)/.deps $(B)/flowc $(B)/libflowrt.a $(B)/include/flowrt.h $(B)/include/flowops.h \
     $(B)/include/flowhls.h $(B)/share/flowc/hls-lint.sh

$(B)/.deps: scripts/deps.sh
	@mkdir -p $(B)
	sh scripts/deps.sh
	@touch $@

# Everything is rebuilt when the flags change (e.g. SANITIZE=1 and back).
$(B)/.flags: FORCE
	@mkdir -p $(B)
	@echo '$(CC) $(CFLAGS) $(LDFLAGS) $(FORTIFY)' | cmp -s - $@ || echo '$(CC) $(CFLAGS) $(LDFLAGS) $(FORTIFY)' > $@

deps:
	sh scripts/deps.sh

$(B)/runtime/%.o $(B)/stdlib-ops/%.o: CSTD = -std=c99 -D_POSIX_C_SOURCE=200809L
# The runtime is linked into hardened (PIE) programs: hardened too.
$(B)/runtime/%.o $(B)/stdlib-ops/%.o: EXTRA = -fPIE -fstack-protector-strong $(FORTIFY)
$(B)/compiler/%.o: CSTD = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
$(B)/compiler/%.o: EXTRA = $(CLANG_CFLAGS)

$(B)/%.o: %.c $(HDRS) compiler/flowc.h stdlib-ops/ops.h $(B)/.deps $(B)/.flags
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(CFLAGS) $(EXTRA) -Iruntime -Istdlib-ops -Icompiler $(DEP_CFLAGS) -c $< -o $@

$(B)/libflowrt.a: $(RT_OBJ)
	rm -f $@
	ar rcs $@ $(RT_OBJ)

$(B)/libflowc.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

# flowc exports its runtime (flow_*) and nothing else to the user
# operations `flowc run --ops` loads (compiler/flowc.dynlist).
# flowc holds the whole runtime (for --ops shared objects) but the sandbox,
# which only compiled flows install: flowc needs no libseccomp.
FLOWC_RT = $(filter-out $(B)/runtime/sandbox.o,$(RT_OBJ))
$(B)/flowc: $(B)/compiler/main.o $(B)/libflowc.a $(B)/libflowrt.a compiler/flowc.dynlist
	$(CC) $(LDFLAGS) -Wl,--dynamic-list=compiler/flowc.dynlist -o $@ $(B)/compiler/main.o $(B)/libflowc.a \
	  $(FLOWC_RT) $(DEP_LIBS) $(CLANG_LIBS) -lm -ldl

# What flowc copies next to what it writes (the HLS lint), as installed.
$(B)/share/flowc/%: scripts/%
	@mkdir -p $(@D)
	cp $< $@

$(B)/include/%.h: runtime/%.h
	@mkdir -p $(@D)
	cp $< $@
$(B)/include/%.h: stdlib-ops/%.h
	@mkdir -p $(@D)
	cp $< $@

# ---- tests ----------------------------------------------------------

$(B)/tests/%: tests/unit/%.c tests/unit/unit.h $(B)/libflowc.a $(B)/libflowrt.a $(B)/.flags
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_DEFAULT_SOURCE $(CFLAGS) $(CLANG_CFLAGS) -Iruntime -Istdlib-ops -Icompiler $(DEP_CFLAGS) -o $@ $< \
	  $(B)/libflowc.a $(B)/libflowrt.a $(DEP_LIBS) $(CLANG_LIBS) -lcmocka -lm -ldl

unit: all $(UNIT_BIN)
	@sh tests/run-unit.sh $(UNIT_BIN)

check: all $(UNIT_BIN)
	@sh tests/check.sh

# Place and route every RTL-eligible flow (flowc-rtl(7)); not in check.
rtl-fpga: all
	@sh scripts/rtl-fpga.sh

rtl-sim: all
	@sh scripts/rtl-sim.sh

N    = 1000
SEED = 1
JOBS = 2
difftest: all
	python3 tests/randflow/difftest.py --seed $(SEED) --count $(N) --jobs $(JOBS) --keep $(B)/difftest

difftest-dffml: all
	python3 tests/randflow/difftest.py --oracle --seed $(SEED) --count $(N) --jobs $(JOBS) --keep $(B)/difftest-dffml

example: all
	sh examples/run-example.sh

bench: all
	sh bench/run.sh

scale-test: all
	sh tests/check-b.d/60-scaleout.sh

fuzz: all
	sh tests/fuzz/run.sh $(FUZZTIME)

lint:
	@for m in man/*.[0-9]; do mandoc -Tlint -W warning $$m || exit 1; done; echo "man pages: lint clean"

# ---- install --------------------------------------------------------

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR)
	mkdir -p $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	cp $(B)/flowc $(DESTDIR)$(BINDIR)/flowc
	cp $(B)/libflowrt.a $(DESTDIR)$(LIBDIR)/libflowrt.a
	cp runtime/flowrt.h runtime/flowhls.h stdlib-ops/flowops.h $(DESTDIR)$(INCLUDEDIR)/
	mkdir -p $(DESTDIR)$(DATADIR)/flowc
	cp scripts/hls-lint.sh $(DESTDIR)$(DATADIR)/flowc/hls-lint.sh
	for m in man/*.1; do cp $$m $(DESTDIR)$(MANDIR)/man1/; done
	for m in man/*.3; do cp $$m $(DESTDIR)$(MANDIR)/man3/; done
	for m in man/*.5; do cp $$m $(DESTDIR)$(MANDIR)/man5/; done
	for m in man/*.7; do cp $$m $(DESTDIR)$(MANDIR)/man7/; done
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|0.1.0|' scripts/flowrt.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/flowrt.pc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/flowc $(DESTDIR)$(LIBDIR)/libflowrt.a
	rm -f $(DESTDIR)$(INCLUDEDIR)/flowrt.h $(DESTDIR)$(INCLUDEDIR)/flowops.h $(DESTDIR)$(INCLUDEDIR)/flowhls.h
	rm -f $(DESTDIR)$(PKGCONFIGDIR)/flowrt.pc
	rm -f $(DESTDIR)$(DATADIR)/flowc/hls-lint.sh
	-rmdir $(DESTDIR)$(DATADIR)/flowc 2>/dev/null
	for m in man/*.[0-9]; do rm -f $(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/}; done

clean:
	rm -rf $(B)

.PHONY: all deps unit check rtl-fpga rtl-sim example bench scale-test fuzz difftest difftest-dffml lint install uninstall clean FORCE
FORCE:
.SUFFIXES:
