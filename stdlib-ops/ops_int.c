/*
 * ops_int.c: the integer operations add, subtract, int_divide, modulo,
 * negate (spec/stdlib-ops.md §3) and abs_int.
 *
 * Each checks that its arguments are JSON integers (bools are not) and
 * calls the typed version in flowops.h, which owns the arithmetic:
 * overflow checks, floor division and Python's modulo.
 */
#include "ops.h"

typedef int (*int2_fn)(int64_t, int64_t, int64_t *);

/* Check a and b, apply f, box the int result. */
static int
int2(flow_opctx *c, const flow_val *args, flow_val *out, int2_fn f)
{
	int64_t r;
	int e;

	if (args[0].kind != FLOW_INT)
		return flow_ops_bad(c, "a", "an integer", args[0]);
	if (args[1].kind != FLOW_INT)
		return flow_ops_bad(c, "b", "an integer", args[1]);
	if ((e = f(args[0].u.i, args[1].u.i, &r)) != FLOW_E_OK)
		return flow_ops_err(c, e);
	*out = flow_int(r);
	return 0;
}

/* add: a + b. */
FLOW_STD(add)
{
	return int2(c, args, out, flow_op_add);
}

/* subtract: a - b. */
FLOW_STD(subtract)
{
	return int2(c, args, out, flow_op_subtract);
}

/* int_divide: a // b (floor). */
FLOW_STD(int_divide)
{
	return int2(c, args, out, flow_op_int_divide);
}

/* modulo: a % b with the sign of b. */
FLOW_STD(modulo)
{
	return int2(c, args, out, flow_op_modulo);
}

typedef int (*int1_fn)(int64_t, int64_t *);

/* Check a, apply f, box the int result. */
static int
int1(flow_opctx *c, const flow_val *args, flow_val *out, int1_fn f)
{
	int64_t r;
	int e;

	if (args[0].kind != FLOW_INT)
		return flow_ops_bad(c, "a", "an integer", args[0]);
	if ((e = f(args[0].u.i, &r)) != FLOW_E_OK)
		return flow_ops_err(c, e);
	*out = flow_int(r);
	return 0;
}

/* negate: -a. */
FLOW_STD(negate)
{
	return int1(c, args, out, flow_op_negate);
}

/* abs_int: |a| (flowc's own, not in DFFML). */
FLOW_STD(abs_int)
{
	return int1(c, args, out, flow_op_abs_int);
}
