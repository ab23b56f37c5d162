/*
 * fuzz_manifest.c: libFuzzer target for the front end and everything
 * behind it that needs no C compiler.
 *
 * The input is one manifest, YAML (built as fuzz_manifest_yaml) or JSON
 * (built with -DFUZZ_JSON as fuzz_manifest_json).  It goes through the
 * pipeline of compiler/main.c:
 *
 *   ld_yaml/ld_json -> ld_merge -> mf_read -> chk_flow (+ chk_graph)
 *   -> ir_verify -> lower_prog -> pass_static -> ir_verify
 *   -> emit_c at -O0 and -O2, emit_dot, emit_mermaid, diag_print
 *
 * and, when it checks, one empty context is run through the dynamic
 * orchestrator with small --max-firings/--max-permutations bounds.
 * Whatever the input, nothing may crash, trip a sanitizer, abort in
 * flow_die, or leave the IR failing ir_verify (that would be exit 3, "a
 * flowc bug").  Output goes to /dev/null; everything lives in cc_arena,
 * which is reset after each input (tests/fuzz/asan_arena.c makes that a
 * real free, so stale pointers show up).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flowc.h"

#ifdef FUZZ_JSON
#define FILE_NAME "fuzz.json"
#define LOAD ld_json
#else
#define FILE_NAME "fuzz.yaml"
#define LOAD ld_yaml
#endif

static FILE *devnull;

/* The whole front end on text, as front_end() in main.c: NULL when the
 * manifest has errors (chk_flow may return a graph after mf_read's
 * errors; main.c drops it). */
static Graph *
front(DiagSink *d, const char *text, size_t len, int graph_only)
{
	CheckOpts co = {graph_only, NULL, 0};
	Node *root;
	Manifest *m;
	Graph *g;

	diag_init(d);
	diag_source(FILE_NAME, text, len);
	if ((root = LOAD(d, FILE_NAME, text, len)) == NULL)
		return NULL;
	(void)ld_merge(root, root);
	if ((m = mf_read(d, root, FILE_NAME)) == NULL)
		return NULL;
	g = chk_flow(d, m, &co);
	return d->nerrors > 0 ? NULL : g;
}

static void
verify(const Graph *g, const char *when)
{
	if (ir_verify(g, stderr) > 0) {
		fprintf(stderr, "fuzz_manifest: ir_verify failed %s\n", when);
		abort();
	}
}

/* One context with no inputs (seeds only), as `flowc run` would. */
static void
run_empty(const flow_prog *p)
{
	flow_opts o = {2000, 2000, 0, 0, 0, 0};
	flow_arena a;
	flow_result r;
	flow_buf b = {0, 0, 0};

	flow_arena_init(&a);
	flow_orch_run(p, &o, &a, "fuzz", NULL, 0, &r);
	if (r.ok)
		flow_json_write(&b, r.results);
	flow_buf_free(&b);
	flow_arena_free(&a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	DiagSink d;
	EmitOpts eo = {0, FILE_NAME};
	Graph *g;
	flow_prog *p;
	Plan *plan;
	char *text;

	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	text = xstrndup((const char *)data, size);      /* NUL-terminated, like read_file */

	/* flowc graph: unknown operations allowed. */
	if ((g = front(&d, text, size, 1)) != NULL) {
		verify(g, "after checking (graph)");
		emit_dot(g, devnull);
		emit_mermaid(g, devnull);
	}
	diag_print(&d, devnull, 0);

	/* flowc build / run. */
	if ((g = front(&d, text, size, 0)) != NULL) {
		verify(g, "after checking");
		p = lower_prog(g);
		eo.opt = 0;
		emit_c(g, p, NULL, &eo, devnull);
		plan = pass_static(g);
		verify(g, "after pass_static");
		eo.opt = 2;
		emit_c(g, p, plan, &eo, devnull);
		run_empty(p);
	}
	diag_print(&d, devnull, 0);
	diag_print(&d, devnull, 1);

	flow_arena_reset(cc_arena);
	return 0;
}
