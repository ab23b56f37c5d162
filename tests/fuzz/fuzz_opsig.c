/*
 * fuzz_opsig.c: libFuzzer target for --ops C files (compiler/opsig.c,
 * userops.c): the input is the text of a user's C file.
 *
 * Each input is written to a private temporary file (libclang and the
 * diagnostics read it from disk, as for `flowc build --ops FILE.c`) and
 * goes through what main.c does with it: ops_load (libclang parse,
 * compile errors as diagnostics, flowop_* functions collected), then
 * against the manifest of examples/user-op/flow.yaml (it uses
 * geo:haversine_km; the dictionary and seeds name it) ops_bind,
 * chk_flow with the user's implementations, ops_check, and when all is
 * well lower_prog and emit_c at -O0 and -O2 with the wrappers
 * (ops_emit).  Diagnostics are printed (text and JSON) to /dev/null.
 * Checks: nothing crashes or trips a sanitizer; a graph passes
 * ir_verify.  Runs from the top of the tree (run.sh); FLOWC_HOME is set
 * to build/ so that flowrt.h is found.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flowc.h"

#define FLOW "examples/user-op/flow.yaml"

static FILE *devnull;
static char *flow_text;
static size_t flow_len;
static char cfile[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE *f = fopen(FLOW, "r");
	static char buf[1 << 16];

	(void)argc;
	(void)argv;
	if (!f || !(devnull = fopen("/dev/null", "w")))
		abort();
	flow_len = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	flow_text = buf;
	snprintf(cfile, sizeof cfile, "/tmp/fuzz_opsig.%ld.c", (long)getpid());
	setenv("FLOWC_HOME", "build", 0);
	/* libclang parses on a new thread with an 8 MB stack unless told
	 * not to; under ASan that thread costs a quarter of the time per
	 * input. */
	setenv("LIBCLANG_NOTHREADS", "1", 0);
	return 0;
}

/* The front end of main.c with u's operations; NULL after errors. */
static Graph *
front(DiagSink *d, UserOps *u)
{
	CheckOpts co = {0, NULL, 0};
	Node *root;
	Manifest *m;
	Graph *g;

	diag_source(FLOW, flow_text, flow_len);
	if (!(root = ld_yaml(d, FLOW, flow_text, flow_len)) || !(m = mf_read(d, root, FLOW)))
		return NULL;
	ops_bind(d, m, u);
	co.user = u->impls;
	co.nuser = u->n;
	if (!(g = chk_flow(d, m, &co)))
		return NULL;
	ops_check(d, g, u);
	return d->nerrors > 0 ? NULL : g;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *files[1] = {cfile};
	DiagSink d;
	EmitOpts eo;
	UserOps *u;
	Graph *g;
	flow_prog *p;
	FILE *f = fopen(cfile, "w");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	diag_init(&d);
	u = xalloc(sizeof *u);
	if (ops_load(&d, files, 1, u) == 0 && (g = front(&d, u)) != NULL) {
		if (ir_verify(g, stderr) > 0)
			abort();
		p = lower_prog(g);
		memset(&eo, 0, sizeof eo);
		eo.source = FLOW;
		eo.user = u;
		emit_c(g, p, NULL, &eo, devnull);
		eo.opt = 2;
		emit_c(g, p, pass_static(g), &eo, devnull);
	}
	diag_print(&d, devnull, 0);
	diag_print(&d, devnull, 1);
	flow_arena_reset(cc_arena);
	unlink(cfile);
	return 0;
}
