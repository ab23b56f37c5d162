/*
 * test_orch.c: unit tests of the dynamic orchestrator (runtime/orch.c)
 * and the JSON Lines driver (runtime/stream.c) through the public API.
 *
 * Flows are compiled from YAML strings with the compiler's own front end
 * (ld_yaml -> mf_read -> chk_flow -> lower_prog), or, once, built by hand
 * as flow_prog tables, and run one context at a time with flow_orch_run.
 * Results are compared as typed JSON (flow_same) with the result DFFML
 * gives for the same flow (the flows are small versions of cases in
 * tests/cases).  The last test streams 100,000 contexts through
 * flow_stream and checks that peak RSS does not grow after a warm-up:
 * each context's arena is reset, so memory must stay flat.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <cmocka.h>

#include "flowc.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static flow_arena A;

/* Compile a flow from YAML text; fails the test on any error. */
static flow_prog *
compile(const char *yaml)
{
	CheckOpts co = {0, NULL, 0};
	DiagSink d;
	Node *root;
	Manifest *m;
	Graph *g;

	diag_init(&d);
	root = ld_yaml(&d, "t.yaml", yaml, strlen(yaml));
	assert_non_null(root);
	m = mf_read(&d, root, "t.yaml");
	assert_non_null(m);
	g = chk_flow(&d, m, &co);
	if (g == NULL || d.nerrors > 0) {
		diag_print(&d, stderr, 0);
		fail();
	}
	return lower_prog(g);
}

static int
def_id(const flow_prog *p, const char *name)
{
	int d;

	for (d = 0; d < p->ndefs; d++)
		if (strcmp(p->defs[d].name, name) == 0)
			return d;
	fprintf(stderr, "no definition '%s'\n", name);
	fail();
	return -1;
}

static flow_val
json(const char *text)
{
	flow_val v;
	flow_jerr err;

	if (flow_json_parse(&A, text, strlen(text), &v, &err) != 0) {
		fprintf(stderr, "bad JSON in test: %s: %s\n", text, err.text);
		fail();
	}
	return v;
}

/* Run one context whose inputs are given as "def", "json value" pairs
 * (terminated by NULL) and return its outcome. */
static flow_result
run_ctx(const flow_prog *p, const flow_opts *o, const char *ctx, ...)
{
	flow_cinput in[16];
	flow_result r;
	va_list ap;
	const char *def;
	int n = 0;

	va_start(ap, ctx);
	while ((def = va_arg(ap, const char *)) != NULL) {
		assert_true(n < (int)NELEM(in));
		in[n].def = def_id(p, def);
		in[n].origin = p->seed_origin;
		in[n].value = json(va_arg(ap, const char *));
		n++;
	}
	va_end(ap);
	memset(&r, 0, sizeof r);
	flow_orch_run(p, o, &A, ctx, in, n, &r);
	return r;
}

static void
expect_results(flow_result r, const char *want)
{
	if (!r.ok) {
		fprintf(stderr, "context failed in %s: %s\n", r.err_op ? r.err_op : "?",
		    r.err_msg ? r.err_msg : "?");
		fail();
	}
	if (!flow_same(r.results, json(want))) {
		flow_buf b = {0, 0, 0};
		flow_json_write(&b, r.results);
		flow_buf_putc(&b, 0);
		fprintf(stderr, "expected %s\n     got %s\n", want, b.p);
		flow_buf_free(&b);
		fail();
	}
}

static void
expect_error(flow_result r, const char *op)
{
	if (r.ok) {
		fprintf(stderr, "expected an error in %s, got results\n", op);
		fail();
	}
	assert_non_null(r.err_op);
	assert_string_equal(r.err_op, op);
}

static const flow_opts OPTS = {0, 0, 0};

/* ---- flows --------------------------------------------------------- */

#define OUTPUT_DEFS \
	"  get_multi_spec: {name: get_multi_spec, primitive: array}\n" \
	"  get_multi_output: {name: get_multi_output, primitive: map}\n" \
	"  get_single_spec: {name: get_single_spec, primitive: array}\n" \
	"  get_single_output: {name: get_single_output, primitive: map}\n"
#define GET_MULTI \
	"  get_multi: {name: get_multi, inputs: {spec: get_multi_spec},\n" \
	"              outputs: {output: get_multi_output}, stage: output}\n"

/* add.b (default 100) comes from the end of a two-step chain. */
static const char DEFAULT_THEN_REAL[] =
	"definitions:\n"
	"  a: {name: a, primitive: int}\n"
	"  b: {name: b, primitive: int, default: 100}\n"
	"  x: {name: x, primitive: int}\n"
	"  m: {name: m, primitive: int}\n"
	"  r: {name: r, primitive: int}\n"
	OUTPUT_DEFS
	"flow:\n"
	"  add: {inputs: {a: [seed], b: [{n2: result}]}}\n"
	"  n1: {inputs: {a: [seed]}}\n"
	"  n2: {inputs: {a: [{n1: result}]}}\n"
	"  get_multi: {inputs: {spec: [seed]}}\n"
	"linked: true\n"
	"operations:\n"
	"  add: {name: add, inputs: {a: a, b: b}, outputs: {result: r}}\n"
	"  n1: {name: negate, inputs: {a: x}, outputs: {result: m}}\n"
	"  n2: {name: negate, inputs: {a: m}, outputs: {result: b}}\n"
	GET_MULTI
	"seed:\n"
	"- {definition: get_multi_spec, origin: seed, value: [r]}\n";

static void
test_default_then_real(void **state)
{
	flow_prog *p = compile(DEFAULT_THEN_REAL);

	(void)state;
	/* Gathered with b empty: the default; then again with n2's 5. */
	expect_results(run_ctx(p, &OPTS, "c1", "a", "1", "x", "5", NULL), "{\"r\": [101, 6]}");
	expect_results(run_ctx(p, &OPTS, "c2", "a", "1", NULL), "{\"r\": [101]}");
	/* A given b has origin seed, and b is wired to n2 only: not taken. */
	expect_results(run_ctx(p, &OPTS, "c3", "a", "1", "b", "2", NULL), "{\"r\": [101]}");
	flow_arena_reset(&A);
}

/* The default's source Input is the last input the gather looked at:
 * p2's a value arrives one set after p1's, and the pair (p1's a,
 * default) gets a new redundancy key then (DFFML fires it twice). */
static const char DEFAULT_SOURCE[] =
	"definitions:\n"
	"  a: {name: a, primitive: int}\n"
	"  b: {name: b, primitive: int, default: 100}\n"
	"  x: {name: x, primitive: int}\n"
	"  z: {name: z, primitive: int}\n"
	"  zmid: {name: zmid, primitive: int}\n"
	"  r: {name: r, primitive: int}\n"
	OUTPUT_DEFS
	"flow:\n"
	"  add: {inputs: {a: [{p1: result}, {p2: result}], b: [{never: result}]}}\n"
	"  p1: {inputs: {a: [seed]}}\n"
	"  q1: {inputs: {a: [later]}}\n"
	"  p2: {inputs: {a: [{q1: result}]}}\n"
	"  never: {inputs: {a: [seed]}}\n"
	"  get_multi: {inputs: {spec: [seed]}}\n"
	"linked: true\n"
	"operations:\n"
	"  add: {name: add, inputs: {a: a, b: b}, outputs: {result: r}}\n"
	"  p1: {name: negate, inputs: {a: x}, outputs: {result: a}}\n"
	"  q1: {name: negate, inputs: {a: z}, outputs: {result: zmid}}\n"
	"  p2: {name: negate, inputs: {a: zmid}, outputs: {result: a}}\n"
	"  never: {name: negate, inputs: {a: r}, outputs: {result: b}}\n"
	GET_MULTI
	"seed:\n"
	"- {definition: get_multi_spec, origin: seed, value: [r]}\n"
	"- {definition: z, origin: later, value: 2}\n";

static void
test_default_source_input(void **state)
{
	flow_prog *p = compile(DEFAULT_SOURCE);

	(void)state;
	expect_results(run_ctx(p, &OPTS, "two_sets", "x", "1", NULL), "{\"r\": [99, 99, 102]}");
	expect_results(run_ctx(p, &OPTS, "one_set", NULL), "{\"r\": [102]}");
	flow_arena_reset(&A);
}

/* Conditions: the first existing-and-true entry wins; a missing origin
 * stops the walk; the last value of a definition wins. */
static const char CONDITIONS[] =
	"definitions:\n"
	"  n: {name: n, primitive: int}\n"
	"  f1: {name: f1, primitive: bool}\n"
	"  f2: {name: f2, primitive: bool}\n"
	"  t: {name: t, primitive: bool}\n"
	"  r: {name: r, primitive: int}\n"
	OUTPUT_DEFS
	"flow:\n"
	"  t1: {inputs: {a: [seed]}}\n"
	"  t2: {inputs: {a: [seed]}}\n"
	"  either: {inputs: {a: [seed]}, conditions: [{t1: result}, {t2: result}]}\n"
	"  get_multi: {inputs: {spec: [seed]}}\n"
	"linked: true\n"
	"operations:\n"
	"  t1: {name: logical_not, inputs: {a: f1}, outputs: {result: t}}\n"
	"  t2: {name: logical_not, inputs: {a: f2}, outputs: {result: t}}\n"
	"  either: {name: negate, inputs: {a: n}, outputs: {result: r}, conditions: [t, t]}\n"
	GET_MULTI
	"configs:\n"
	"  get_multi: {nostrict: [r]}\n"
	"seed:\n"
	"- {definition: get_multi_spec, origin: seed, value: [r]}\n";

static void
test_conditions(void **state)
{
	flow_prog *p = compile(CONDITIONS);

	(void)state;
	/* t1 = !f1, t2 = !f2. */
	expect_results(run_ctx(p, &OPTS, "F_T", "n", "4", "f1", "true", "f2", "false", NULL),
	    "{\"r\": [-4]}");
	expect_results(run_ctx(p, &OPTS, "F_F", "n", "4", "f1", "true", "f2", "true", NULL), "{}");
	expect_results(run_ctx(p, &OPTS, "T_none", "n", "4", "f1", "false", NULL), "{\"r\": [-4]}");
	expect_results(run_ctx(p, &OPTS, "none_T", "n", "4", "f2", "false", NULL), "{}");
	/* Two f1 inputs: t1 runs twice, the last result (false) decides. */
	expect_results(run_ctx(p, &OPTS, "last_wins", "n", "4", "f1", "false", "f1", "true", NULL),
	    "{}");
	flow_arena_reset(&A);
}

/* Output assembly: {} when no output op ran, unwrapped for one, keyed
 * by instance for several; an output-stage op's runs merge. */
static const char OUTPUTS[] =
	"definitions:\n"
	"  emit: {name: emit, primitive: bool}\n"
	"  label: {name: label, primitive: str}\n"
	"  n: {name: n, primitive: int}\n"
	"  r: {name: r, primitive: int}\n"
	OUTPUT_DEFS
	"flow:\n"
	"  gs: {inputs: {spec: [seed]}, conditions: [seed]}\n"
	"  neg_out: {inputs: {a: [seed]}}\n"
	"linked: true\n"
	"operations:\n"
	"  gs: {name: get_single, inputs: {spec: get_single_spec},\n"
	"       outputs: {output: get_single_output}, stage: output, conditions: [emit]}\n"
	"  neg_out: {name: negate, inputs: {a: n}, outputs: {result: r}, stage: output}\n"
	"seed:\n"
	"- {definition: get_single_spec, origin: seed, value: [label]}\n"
	"- {definition: label, origin: seed, value: L}\n";

static void
test_output_shapes(void **state)
{
	flow_prog *p = compile(OUTPUTS);

	(void)state;
	expect_results(run_ctx(p, &OPTS, "none", NULL), "{}");
	expect_results(run_ctx(p, &OPTS, "gs", "emit", "true", NULL), "{\"label\": \"L\"}");
	expect_results(run_ctx(p, &OPTS, "neg", "n", "3", NULL), "{\"result\": -3}");
	expect_results(run_ctx(p, &OPTS, "both", "emit", "true", "n", "3", "n", "4", NULL),
	    "{\"gs\": {\"label\": \"L\"}, \"neg_out\": {\"result\": -4}}");
	flow_arena_reset(&A);
}

/* An operation failure is the context's outcome, naming the instance;
 * get_single of a definition that never appeared fails without nostrict. */
static const char ERRORS[] =
	"definitions:\n"
	"  a: {name: a, primitive: int}\n"
	"  b: {name: b, primitive: int}\n"
	"  q: {name: q, primitive: int}\n"
	OUTPUT_DEFS
	"flow:\n"
	"  div: {inputs: {a: [seed], b: [seed]}}\n"
	"  get_single: {inputs: {spec: [seed]}}\n"
	"linked: true\n"
	"operations:\n"
	"  div: {name: int_divide, inputs: {a: a, b: b}, outputs: {result: q}, retry: 3}\n"
	"  get_single: {name: get_single, inputs: {spec: get_single_spec},\n"
	"               outputs: {output: get_single_output}, stage: output}\n"
	"seed:\n"
	"- {definition: get_single_spec, origin: seed, value: [q]}\n";

static void
test_errors(void **state)
{
	flow_prog *p = compile(ERRORS);
	flow_result r;

	(void)state;
	expect_results(run_ctx(p, &OPTS, "ok", "a", "7", "b", "2", NULL), "{\"q\": 3}");
	r = run_ctx(p, &OPTS, "zero", "a", "7", "b", "0", NULL);
	expect_error(r, "div");
	assert_non_null(r.err_msg);
	expect_error(run_ctx(p, &OPTS, "missing", "a", "7", NULL), "get_single");
	flow_arena_reset(&A);
}

/* A cycle that never stops (its gate stays open) is cut by max_firings,
 * as an error of the looping instance, instead of hanging. */
static const char LOOP[] =
	"definitions:\n"
	"  v: {name: v, primitive: int}\n"
	"  go: {name: go, primitive: bool}\n"
	"flow:\n"
	"  flip: {inputs: {a: [seed, {flip: result}]}, conditions: [seed]}\n"
	"linked: true\n"
	"operations:\n"
	"  flip: {name: negate, inputs: {a: v}, outputs: {result: v}, conditions: [go]}\n";

static void
test_max_firings(void **state)
{
	flow_prog *p = compile(LOOP);
	flow_opts o = {500, 0, 0, 0, 0, 0};

	(void)state;
	expect_error(run_ctx(p, &o, "loop", "v", "1", "go", "true", NULL), "flip");
	/* Gate closed: nothing runs, nothing to report. */
	expect_results(run_ctx(p, &o, "closed", "v", "1", "go", "false", NULL), "{}");
	flow_arena_reset(&A);
}

/* ---- a flow_prog built by hand ------------------------------------- */

/* seed n -> negate (instance "neg", output definition "m") -> get_single
 * with the seeded spec ["m"]. */
static void
test_hand_built(void **state)
{
	static const int names_n[] = {0}, names_spec[] = {2};
	static const flow_src src_n[] = {{0, 1, names_n, 0, NULL, 0}};
	static const flow_src src_spec[] = {{0, 1, names_spec, 0, NULL, 0}};
	static const flow_param par_neg[] = {{0, 0, 1, src_n}};
	static const flow_param par_gs[] = {{0, 2, 1, src_spec}};
	static const char *const out_neg[] = {"result"}, *const out_gs[] = {"output"};
	static const int odef_neg[] = {1}, odef_gs[] = {3};
	static const int oorg_neg[] = {1}, oorg_gs[] = {2};
	static const unsigned char noexp[] = {0};
	static const char *const origins[] = {"seed", "neg.result", "get_single.output"};
	static const int cons_neg[] = {0}, cons_gs[] = {1};
	static const flow_consumers bo_proc[] = {{1, cons_neg}, {0, NULL}, {0, NULL}};
	static const flow_consumers bo_none[] = {{0, NULL}, {0, NULL}, {0, NULL}};
	static const flow_consumers bo_out[] = {{1, cons_gs}, {0, NULL}, {0, NULL}};
	const flow_impl *impls[2];
	flow_def defs[4];
	flow_op ops[2];
	flow_seed seeds[1];
	flow_prog p;

	(void)state;
	impls[0] = flow_stdlib_find("negate");
	impls[1] = flow_stdlib_find("get_single");
	assert_non_null(impls[0]);
	assert_non_null(impls[1]);
	memset(defs, 0, sizeof defs);
	defs[0].name = "n";
	defs[0].type = FLOW_T_INT;
	defs[1].name = "m";
	defs[1].type = FLOW_T_INT;
	defs[2].name = "get_single_spec";
	defs[2].type = FLOW_T_ARRAY;
	defs[3].name = "get_single_output";
	defs[3].type = FLOW_T_MAP;
	defs[0].validate = defs[1].validate = defs[2].validate = defs[3].validate = -1;
	memset(ops, 0, sizeof ops);
	ops[0].instance = "neg";
	ops[0].impl = 0;
	ops[0].stage = FLOW_STAGE_PROCESSING;
	ops[0].nparam = 1;
	ops[0].params = par_neg;
	ops[0].nargs = 1;
	ops[0].nout = 1;
	ops[0].out_name = out_neg;
	ops[0].out_def = odef_neg;
	ops[0].out_origin = oorg_neg;
	ops[0].out_expand = noexp;
	ops[1] = ops[0];
	ops[1].instance = "get_single";
	ops[1].impl = 1;
	ops[1].stage = FLOW_STAGE_OUTPUT;
	ops[1].params = par_gs;
	ops[1].out_name = out_gs;
	ops[1].out_def = odef_gs;
	ops[1].out_origin = oorg_gs;
	seeds[0].def = 2;
	seeds[0].origin = 0;
	seeds[0].value = json("[\"m\"]");
	memset(&p, 0, sizeof p);
	p.name = "hand";
	p.ndefs = 4;
	p.defs = defs;
	p.norigins = 3;
	p.origin_names = origins;
	p.nstr_origins = 1;
	p.seed_origin = 0;
	p.nops = 2;
	p.ops = ops;
	p.nseeds = 1;
	p.seeds = seeds;
	p.by_origin[FLOW_STAGE_PROCESSING] = bo_proc;
	p.by_origin[FLOW_STAGE_CLEANUP] = bo_none;
	p.by_origin[FLOW_STAGE_OUTPUT] = bo_out;
	p.stage_order[FLOW_STAGE_PROCESSING] = cons_neg;
	p.nstage[FLOW_STAGE_PROCESSING] = 1;
	p.stage_order[FLOW_STAGE_OUTPUT] = cons_gs;
	p.nstage[FLOW_STAGE_OUTPUT] = 1;
	p.nimpls = 2;
	p.impls = impls;
	/* get_single gives the last value: two n inputs, -2 is last. */
	expect_results(run_ctx(&p, &OPTS, "hand", "n", "1", "n", "2", NULL), "{\"m\": -2}");
	/* No n: get_single raises (no nostrict config). */
	expect_error(run_ctx(&p, &OPTS, "hand_empty", NULL), "get_single");
	flow_arena_reset(&A);
}

/* ---- memory stays flat over a long stream -------------------------- */

static long
peak_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Stream n contexts (each running the default-then-real flow) through
 * flow_stream, output discarded; returns its exit status. */
static int
stream(const flow_prog *p, long first, long n)
{
	FILE *in = tmpfile(), *out = fopen("/dev/null", "w");
	long i;
	int status;

	assert_non_null(in);
	assert_non_null(out);
	for (i = first; i < first + n; i++)
		fprintf(in, "{\"context\": \"c%ld\", \"inputs\": [{\"definition\": \"a\", \"value\": %ld}, "
		    "{\"definition\": \"x\", \"value\": %ld}, {\"definition\": \"x\", \"value\": %ld}]}\n",
		    i, i, i % 97, -(i % 89));
	rewind(in);
	status = flow_stream(p, &OPTS, flow_orch_run, in, out, "memtest");
	fclose(in);
	fclose(out);
	return status;
}

static void
test_stream_memory_flat(void **state)
{
	flow_prog *p;
	long before, after;

	(void)state;
#ifdef FLOW_ARENA_EXACT
	skip();         /* sanitizer builds: ASan's quarantine holds freed memory */
#endif
	p = compile(DEFAULT_THEN_REAL);
	assert_int_equal(stream(p, 0, 5000), 0);       /* warm-up */
	before = peak_rss_kb();
	assert_int_equal(stream(p, 5000, 100000), 0);
	after = peak_rss_kb();
	if (getenv("TEST_ORCH_VERBOSE"))
		fprintf(stderr, "peak RSS %ld kB after warm-up, %ld kB after 100000 contexts\n", before, after);
	if (after - before > 2048) {
		fprintf(stderr, "peak RSS grew from %ld kB to %ld kB over 100000 contexts\n",
		    before, after);
		fail();
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_then_real),
		cmocka_unit_test(test_default_source_input),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_output_shapes),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_max_firings),
		cmocka_unit_test(test_hand_built),
		cmocka_unit_test(test_stream_memory_flat),
	};

	flow_arena_init(&A);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
