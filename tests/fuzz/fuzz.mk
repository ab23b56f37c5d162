# fuzz.mk: builds the libFuzzer targets into build/fuzz/ (GNU make, run
# from the top of the tree by tests/fuzz/run.sh: make -f tests/fuzz/fuzz.mk).
#
#   fuzz_manifest_yaml  ld_yaml -> mf_read -> chk_flow -> lower/emit/run
#   fuzz_manifest_json  the same with ld_json
#   fuzz_stream         flow_stream over JSON Lines, interpreter vs compiled
#   fuzz_compiled       the compiled (-O2) runner alone, input through a pipe
#   fuzz_opsig          an --ops C file through libclang (ops_load, ops_check)
#
# Every compiler, runtime and stdlib source is compiled again with clang
# and -fsanitize=fuzzer-no-link,address,undefined (UBSan aborts: any
# report is a crash); runtime/arena.c is replaced by asan_arena.c so that
# ASan sees each arena object.  run.sh's FUZZSAN=ub build sets
# B=build/fuzz-ub, SAN to UBSan alone and ARENA=runtime/arena.c.  The stream target links the flows of
# stream-flows.txt, compiled to C by build/flowc (make all first).

CLANG    = clang-14
SHARED  ?= ../shared
B       ?= build/fuzz
SAN     ?= -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FCFLAGS  = -g -O1 $(SAN) -fsanitize=fuzzer-no-link -Wall -Wno-unused-parameter
LLVM_DIR = /usr/lib/llvm-14
DEP_CFLAGS = $(shell pkg-config --cflags yaml-0.1 jansson)
DEP_LIBS   = $(shell pkg-config --libs yaml-0.1 jansson)
INC      = -Iruntime -Istdlib-ops -Icompiler -I$(LLVM_DIR)/include $(DEP_CFLAGS)
LIBS     = $(DEP_LIBS) -L$(LLVM_DIR)/lib -Wl,-rpath,$(LLVM_DIR)/lib -lclang -lseccomp -lm -ldl \
           -lsqlite3 -larchive -llzma -lbz2 -lz

ARENA  ?= tests/fuzz/asan_arena.c
RT_SRC = $(filter-out runtime/arena.c,$(sort $(wildcard runtime/*.c))) \
         $(sort $(wildcard stdlib-ops/*.c)) $(ARENA)
CC_SRC = $(filter-out compiler/main.c,$(sort $(wildcard compiler/*.c)))
RT_OBJ = $(RT_SRC:%.c=$(B)/obj/%.o)
CC_OBJ = $(CC_SRC:%.c=$(B)/obj/%.o)
HDRS   = $(wildcard runtime/*.h stdlib-ops/*.h compiler/*.h)

# The stream target's flows: one generated C file and wrapper each.
FLOWS  = $(subst @SHARED@,$(SHARED),$(shell grep -v '^\#' tests/fuzz/stream-flows.txt))
NFLOWS = $(words $(FLOWS))
IDS    = $(shell seq 0 $$(($(NFLOWS) - 1)))
GEN_OBJ = $(IDS:%=$(B)/gen/flow%.o)

all: $(B)/fuzz_manifest_yaml $(B)/fuzz_manifest_json $(B)/fuzz_stream $(B)/fuzz_compiled \
     $(B)/fuzz_opsig

$(B)/obj/runtime/%.o $(B)/obj/stdlib-ops/%.o $(B)/obj/tests/fuzz/%.o: CSTD = -std=c99 -D_POSIX_C_SOURCE=200809L
$(B)/obj/compiler/%.o: CSTD = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE

$(B)/obj/%.o: %.c $(HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(CSTD) $(FCFLAGS) $(INC) -c $< -o $@

$(B)/fuzz_manifest_yaml: tests/fuzz/fuzz_manifest.c $(CC_OBJ) $(RT_OBJ)
	$(CLANG) -std=c11 -D_DEFAULT_SOURCE $(FCFLAGS) -fsanitize=fuzzer $(INC) -o $@ $^ $(LIBS)

$(B)/fuzz_manifest_json: tests/fuzz/fuzz_manifest.c $(CC_OBJ) $(RT_OBJ)
	$(CLANG) -std=c11 -D_DEFAULT_SOURCE -DFUZZ_JSON $(FCFLAGS) -fsanitize=fuzzer $(INC) -o $@ $^ $(LIBS)

# flowN.c: `flowc build -S -O2` of the N-th flow (the static fast path
# where the flow has one).
$(B)/gen/flow%.c: tests/fuzz/stream-flows.txt build/flowc
	@mkdir -p $(@D)
	build/flowc build -S -O2 $(word $(shell echo $$(($* + 1))),$(FLOWS)) -o $@

$(B)/gen/flow%.o: $(B)/gen/flow%.c tests/fuzz/flowwrap.c $(HDRS)
	$(CLANG) -std=c99 -D_POSIX_C_SOURCE=200809L $(FCFLAGS) -Wno-unused-function $(INC) -I$(B)/gen \
	  -DFLOW_ID=$* -DFLOW_C='"flow$*.c"' -c tests/fuzz/flowwrap.c -o $@

$(B)/gen/flows.c: tests/fuzz/stream-flows.txt
	@mkdir -p $(@D)
	{ for i in $(IDS); do echo "int fuzz_flow_main_$$i(int, char **);"; done; \
	  echo "int (*const fuzz_flow_mains[])(int, char **) = {"; \
	  for i in $(IDS); do echo "	fuzz_flow_main_$$i,"; done; \
	  echo "};"; echo "const char *const fuzz_flow_names[] = {"; \
	  for f in $(FLOWS); do echo "	\"$$f\","; done; \
	  echo "};"; echo "const int fuzz_nflows = $(NFLOWS);"; } >$@

$(B)/fuzz_stream: tests/fuzz/fuzz_stream.c $(B)/gen/flows.c $(GEN_OBJ) $(RT_OBJ)
	$(CLANG) -std=c99 -D_POSIX_C_SOURCE=200809L $(FCFLAGS) -fsanitize=fuzzer $(INC) -o $@ $^ $(LIBS)

$(B)/fuzz_compiled: tests/fuzz/fuzz_stream.c $(B)/gen/flows.c $(GEN_OBJ) $(RT_OBJ)
	$(CLANG) -std=c99 -D_POSIX_C_SOURCE=200809L -DFUZZ_COMPILED $(FCFLAGS) -Wno-unused-function -fsanitize=fuzzer $(INC) -o $@ $^ $(LIBS)

$(B)/fuzz_opsig: tests/fuzz/fuzz_opsig.c $(CC_OBJ) $(RT_OBJ)
	$(CLANG) -std=c11 -D_DEFAULT_SOURCE $(FCFLAGS) -fsanitize=fuzzer $(INC) -o $@ $^ $(LIBS)

.PHONY: all
.SECONDARY:
