/*
 * test_sched.c: unit tests of the schedule IR (compiler/sched.c).
 *
 * A small flow (add, then abs_int, a condition, get_single) is checked,
 * lowered and planned from a string; its schedule must have the shape
 * sched.c documents and pass sched_verify.  Then copies of it are broken
 * one way each (a slot out of range, a block without its end, a second
 * call, loops out of order, a step of an operation the plan dropped) and
 * the verifier must name the step and the problem.  sched_update must
 * drop the blocks of dropped operations and write folded constants.
 * plan.c's answers on the same flow: where origins are, the condition
 * walk, the trigger's origins, plan_any's simplification, the slots of
 * inputs and seeds, the output operation's spec seed.
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

static const char flow[] =
    "definitions:\n"
    "  get_single_output: {primitive: map}\n"
    "  get_single_spec: {primitive: array}\n"
    "  add.inputs.a: {primitive: int}\n"
    "  add.inputs.b: {primitive: int}\n"
    "  add.outputs.result: {primitive: int}\n"
    "  abs_int.outputs.result: {primitive: int}\n"
    "  go: {primitive: bool}\n"
    "linked: true\n"
    "operations:\n"
    "  sum:\n"
    "    name: add\n"
    "    inputs: {a: add.inputs.a, b: add.inputs.b}\n"
    "    outputs: {result: add.outputs.result}\n"
    "  mag:\n"
    "    name: abs_int\n"
    "    inputs: {a: add.outputs.result}\n"
    "    outputs: {result: abs_int.outputs.result}\n"
    "    conditions: [go]\n"
    "  get_single:\n"
    "    name: get_single\n"
    "    inputs: {spec: get_single_spec}\n"
    "    outputs: {output: get_single_output}\n"
    "    stage: output\n"
    "seed:\n"
    "- {definition: get_single_spec, value: [abs_int.outputs.result]}\n";

static Graph *G;
static Plan *P;
static Sched *S;

/* Check, lower and plan the flow; its schedule in S. */
static void
setup(void)
{
	CheckOpts o;
	DiagSink d;
	Node *root;
	Manifest *m;

	memset(&o, 0, sizeof o);
	diag_init(&d);
	root = ld_yaml(&d, "t.yaml", flow, strlen(flow));
	assert_non_null(root);
	m = mf_read(&d, root, "t.yaml");
	assert_non_null(m);
	G = chk_flow(&d, m, &o);
	assert_non_null(G);
	P = pass_static(G);
	assert_true(P->ok);
	S = sched_lower(G, lower_prog(G), P);
}

/* sched_verify's report on s, as text. */
static char *
verify_text(const Sched *s, int *n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*n = sched_verify(s, G, P, f);
	fclose(f);
	return buf;
}

/* A copy of S to break. */
static Sched *
copy(void)
{
	Sched *c = xalloc(sizeof *c);

	c->v = xalloc(sizeof *c->v * (size_t)(S->n + 1));
	memcpy(c->v, S->v, sizeof *c->v * (size_t)S->n);
	c->n = c->cap = S->n;
	return c;
}

/* Index of the first step of kind k, or -1. */
static int
find(const Sched *s, SchedKind k)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].k == k)
			return i;
	return -1;
}

static void
test_shape(void **state)
{
	int n, i, begins = 0, calls = 0;
	char *text;

	(void)state;
	setup();
	text = verify_text(S, &n);
	assert_int_equal(n, 0);
	free(text);
	for (i = 0; i < S->n; i++) {
		begins += S->v[i].k == SC_BEGIN;
		calls += S->v[i].k == SC_CALL;
	}
	assert_int_equal(begins, 3);
	assert_int_equal(calls, 3);
	assert_true(find(S, SC_INPUT) == 0);
	assert_true(find(S, SC_COND) > find(S, SC_BEGIN));
	assert_true(find(S, SC_FEED) > 0);
	i = find(S, SC_CALL);           /* sum: add on two ints, typed */
	assert_non_null(S->v[i].sig);
	assert_string_equal(S->v[i].sig->fn, "flow_op_add");
}

/* Break a copy with f; the verifier must say what at step `at`. */
static void
expect(void (*f)(Sched *), const char *what)
{
	Sched *c = copy();
	char *text;
	int n;

	f(c);
	text = verify_text(c, &n);
	assert_true(n >= 1);
	assert_non_null(strstr(text, "sched_verify: step "));
	if (!strstr(text, what))
		fail_msg("wanted '%s' in: %s", what, text);
	free(text);
}

static void
slot_out_of_range(Sched *s)
{
	s->v[find(s, SC_STORE)].b = 9999;
}

static void
no_end(Sched *s)
{
	s->n = find(s, SC_FEED) - 1;    /* cut before cleanup's last end */
}

static void
two_calls(Sched *s)
{
	s->v[find(s, SC_STORE)].k = SC_CALL;
}

static void
loops_swapped(Sched *s)
{
	int i = find(s, SC_LOOP);

	s->v[i].a = 1;
	s->v[i + 1].a = 0;
}

static void
gone_op(Sched *s)
{
	P->op_gone[s->v[find(s, SC_BEGIN)].op] = 1;
}

static void
feed_in_block(Sched *s)
{
	s->v[find(s, SC_CALL) - 1].k = SC_FEED;
}

static void
test_broken(void **state)
{
	(void)state;
	setup();
	expect(slot_out_of_range, "(store): no such slot");
	expect(no_end, "has no end");
	expect(two_calls, "a block needs exactly one call");
	expect(loops_swapped, "loops out of parameter order");
	expect(feed_in_block, "(feed): inside a block");
	expect(gone_op, "the operation was removed from the plan");
}

static void
test_update(void **state)
{
	int before, dropped, n;
	char *text;

	(void)state;
	setup();
	before = S->n;
	P->op_gone[S->v[find(S, SC_BEGIN)].op] = 1;
	P->slots[0].has_const = 1;
	dropped = sched_update(S, P);
	assert_true(dropped > 0);
	assert_int_equal(S->n, before - dropped + 1);
	assert_true(find(S, SC_CONST) >= 0 && find(S, SC_CONST) < find(S, SC_BEGIN));
	text = verify_text(S, &n);
	assert_int_equal(n, 0);
	free(text);
}

static void
test_plan(void **state)
{
	int mag, sum, out, n, *v, any[5];
	const PlanCond *w;

	(void)state;
	setup();
	assert_int_equal(P->norder, 2);                 /* sum, then mag */
	sum = P->order[0];
	mag = P->order[1];
	assert_string_equal(G->ops[mag].inst, "mag");
	for (out = 0; G->ops[out].stage != FLOW_STAGE_OUTPUT; out++)
		;
	w = plan_conds(G, P, mag, &n);
	assert_int_equal(n, 1);
	assert_int_equal(w[0].exists, PLAN_ALWAYS);     /* go's origin: seeds have it */
	assert_int_equal(w[0].slot, P->cond_slot[mag][0]);
	assert_true(w[0].opens && w[0].closes);
	plan_conds(G, P, sum, &n);
	assert_int_equal(n, 0);
	v = plan_sources(G, P, &G->ops[mag], 0, &n);    /* sum's result, then go */
	assert_int_equal(n, 2);
	assert_true(v[0] >= 0 && P->slots[v[0]].producer == sum);
	assert_int_equal(v[1], PLAN_ALWAYS);
	assert_null(plan_sources(G, P, &G->ops[mag], 1, &n)); /* no default */
	v = plan_sources(G, P, &G->ops[out], 0, &n);
	assert_int_equal(n, 1);
	assert_int_equal(v[0], PLAN_ALWAYS);            /* the spec is a seed */
	assert_true(plan_spec_seed(G, &G->ops[out], 0));
	assert_int_equal(plan_seed_slot(G, P, 0), -1); /* read by the output stage only */
	assert_true(plan_input_slot(G, P, G->ops[sum].params[0].def) >= 0);
	any[0] = PLAN_NEVER, any[1] = 3, any[2] = PLAN_INPUT, any[3] = 3, any[4] = PLAN_NEVER;
	assert_int_equal(plan_any(any, 5, 1), 2);
	assert_int_equal(any[0], 3);
	assert_int_equal(any[1], PLAN_INPUT);
	any[0] = PLAN_NEVER, any[1] = 3, any[2] = PLAN_INPUT, any[3] = 3;
	assert_int_equal(plan_any(any, 4, 0), 3);
	any[0] = PLAN_NEVER, any[1] = PLAN_ALWAYS;
	assert_int_equal(plan_any(any, 2, 0), PLAN_ALWAYS);
	any[0] = PLAN_NEVER;
	assert_int_equal(plan_any(any, 1, 1), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_update),
		cmocka_unit_test(test_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
