/*
 * test_rtl.c: unit tests of the RTL pipeline's width analysis
 * (compiler/rtl_pipe.c, flowc-rtl(7) WIDTHS).
 *
 * rtl_bits at the edges of each width and of int64; then a small flow
 * (seeds, a context int, add, negate, less_than, get_single) is
 * checked, planned and made a pipeline from a string, and every
 * operation's range, exactness and result slot width must be what
 * interval arithmetic gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flowc.h"

/* small = five + m3 = [2, 2]; top = big + small = 2^63 - 1 exactly;
 * over = big + five overflows; neg = -x may overflow; lt = small < x. */
static const char flow[] =
    "definitions:\n"
    "  get_single_output: {primitive: map}\n"
    "  get_single_spec: {primitive: array}\n"
    "  five: {primitive: int}\n"
    "  m3: {primitive: int}\n"
    "  big: {primitive: int}\n"
    "  x: {primitive: int}\n"
    "  small: {primitive: int}\n"
    "  top: {primitive: int}\n"
    "  over: {primitive: int}\n"
    "  neg: {primitive: int}\n"
    "  lt: {primitive: bool}\n"
    "linked: true\n"
    "configs:\n"
    "  get_single: {nostrict: [small, top, over, neg, lt]}\n"
    "operations:\n"
    "  s:\n"
    "    name: add\n"
    "    inputs: {a: five, b: m3}\n"
    "    outputs: {result: small}\n"
    "  t:\n"
    "    name: add\n"
    "    inputs: {a: big, b: small}\n"
    "    outputs: {result: top}\n"
    "  o:\n"
    "    name: add\n"
    "    inputs: {a: big, b: five}\n"
    "    outputs: {result: over}\n"
    "  n:\n"
    "    name: negate\n"
    "    inputs: {a: x}\n"
    "    outputs: {result: neg}\n"
    "  c:\n"
    "    name: less_than\n"
    "    inputs: {a: small, b: x}\n"
    "    outputs: {result: lt}\n"
    "  get_single:\n"
    "    name: get_single\n"
    "    inputs: {spec: get_single_spec}\n"
    "    outputs: {output: get_single_output}\n"
    "    stage: output\n"
    "seed:\n"
    "- {definition: get_single_spec, value: [small, top, over, neg, lt]}\n"
    "- {definition: five, value: 5}\n"
    "- {definition: m3, value: -3}\n"
    "- {definition: big, value: 9223372036854775805}\n";

static void
test_bits(void **state)
{
	(void)state;
	assert_int_equal(rtl_bits(0, 0), 1);
	assert_int_equal(rtl_bits(-1, -1), 1);
	assert_int_equal(rtl_bits(-1, 0), 1);
	assert_int_equal(rtl_bits(0, 1), 2);
	assert_int_equal(rtl_bits(-2, 1), 2);
	assert_int_equal(rtl_bits(-128, 127), 8);
	assert_int_equal(rtl_bits(0, 128), 9);
	assert_int_equal(rtl_bits(-129, 0), 9);
	assert_int_equal(rtl_bits(-(INT64_C(1) << 62), (INT64_C(1) << 62) - 1), 63);
	assert_int_equal(rtl_bits(0, INT64_C(1) << 62), 64);
	assert_int_equal(rtl_bits(INT64_MIN, 0), 64);
	assert_int_equal(rtl_bits(0, INT64_MAX), 64);
	assert_int_equal(rtl_bits(INT64_MIN, INT64_MAX), 64);
}

/* The operation named inst. */
static int
op(const Graph *g, const char *inst)
{
	int i;

	for (i = 0; i < g->nops; i++)
		if (strcmp(g->ops[i].inst, inst) == 0)
			return i;
	fail_msg("no operation %s", inst);
	return -1;
}

/* Bits of the slot operation inst's result goes to. */
static int
out_bits(const RtlPipe *rp, const char *inst)
{
	int i = op(rp->g, inst);

	return rp->w[rp->pl->origin_slot[rp->g->ops[i].out[0].origin]];
}

static void
test_ranges(void **state)
{
	CheckOpts o;
	DiagSink d;
	Node *root;
	Manifest *m;
	Graph *g;
	Plan *pl;
	RtlPipe *rp;

	(void)state;
	memset(&o, 0, sizeof o);
	diag_init(&d);
	root = ld_yaml(&d, "t.yaml", flow, strlen(flow));
	assert_non_null(root);
	m = mf_read(&d, root, "t.yaml");
	assert_non_null(m);
	g = chk_flow(&d, m, &o);
	assert_non_null(g);
	pl = pass_static(g);
	assert_true(pl->ok);
	rp = rtl_pipe(&d, g, lower_prog(g), pl);
	assert_non_null(rp);

	assert_true(rp->exact[op(g, "s")]);
	assert_true(rp->olo[op(g, "s")] == 2 && rp->ohi[op(g, "s")] == 2);
	assert_int_equal(out_bits(rp, "s"), 3);
	assert_true(rp->exact[op(g, "t")]);
	assert_true(rp->olo[op(g, "t")] == INT64_MAX && rp->ohi[op(g, "t")] == INT64_MAX);
	assert_int_equal(out_bits(rp, "t"), 64);
	assert_false(rp->exact[op(g, "o")]);
	assert_true(rp->olo[op(g, "o")] == INT64_MIN && rp->ohi[op(g, "o")] == INT64_MAX);
	assert_false(rp->exact[op(g, "n")]);
	assert_int_equal(out_bits(rp, "n"), 64);
	assert_int_equal(out_bits(rp, "c"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bits),
		cmocka_unit_test(test_ranges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
