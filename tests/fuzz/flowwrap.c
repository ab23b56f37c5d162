/*
 * flowwrap.c: one flow compiled by `flowc build -S -O2`, linked into the
 * stream fuzzer.  Built by fuzz.mk with -DFLOW_ID=N -DFLOW_C='"flowN.c"'.
 *
 * The generated file ends in a main() that sets up its constants and
 * operation table and hands its flow_prog and runner to flow_main.  Both
 * names are renamed here: main becomes fuzz_flow_main_N, and flow_main
 * becomes fuzz_flow_capture_N, which gives the program and runner to the
 * fuzzer instead of reading standard input.  The macros come before the
 * first inclusion of flowrt.h so its prototype is renamed too.
 */
#define FUZZ_CAT2(a, b) a##b
#define FUZZ_CAT(a, b) FUZZ_CAT2(a, b)
#define main FUZZ_CAT(fuzz_flow_main_, FLOW_ID)
#define flow_main FUZZ_CAT(fuzz_flow_capture_, FLOW_ID)

#include FLOW_C

#undef main
#undef flow_main

void fuzz_register(int id, const flow_prog *p, flow_runner run);

int
FUZZ_CAT(fuzz_flow_capture_, FLOW_ID)(int argc, char **argv, const flow_prog *p, flow_runner r)
{
	(void)argc;
	(void)argv;
	fuzz_register(FLOW_ID, p, r);
	return 0;
}
