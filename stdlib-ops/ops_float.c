/*
 * ops_float.c: the float operations float_divide, to_float and
 * round_float (spec/stdlib-ops.md §4), and flowc's own float_add and
 * float_subtract.
 *
 * A float parameter accepts any JSON number; an int is converted with
 * (double), to nearest, ties to even.  Results are always floats and
 * must be finite.  round_float rounds the exact binary value in decimal,
 * half to even, by printing with "%.*f" (exact in glibc) and reading the
 * text back with strtod, which is what Python's round() computes.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ops.h"

/* The number in v as a double, or fail naming the parameter. */
static int
num_arg(flow_opctx *c, flow_val v, const char *param, double *d)
{
	*d = 0.0;
	if (v.kind == FLOW_INT)
		flow_op_to_float_i(v.u.i, d);
	else if (v.kind == FLOW_FLOAT)
		flow_op_to_float(v.u.f, d);
	else
		return flow_ops_bad(c, param, "a number", v);
	return 0;
}

/* Two numbers through f, a flowops.h float operation. */
static int
float2(flow_opctx *c, const flow_val *args, flow_val *out,
    int (*f)(double, double, double *))
{
	double a, b, r;
	int e;

	if (num_arg(c, args[0], "a", &a) || num_arg(c, args[1], "b", &b))
		return -1;
	if ((e = f(a, b, &r)) != FLOW_E_OK)
		return flow_ops_err(c, e);
	*out = flow_float(r);
	return 0;
}

/* float_divide: (double)a / (double)b. */
FLOW_STD(float_divide)
{
	return float2(c, args, out, flow_op_float_divide);
}

/* float_add: (double)a + (double)b (flowc's own, not in DFFML). */
FLOW_STD(float_add)
{
	return float2(c, args, out, flow_op_float_add);
}

/* float_subtract: (double)a - (double)b (flowc's own, not in DFFML). */
FLOW_STD(float_subtract)
{
	return float2(c, args, out, flow_op_float_subtract);
}

/* to_float: the number as a float. */
FLOW_STD(to_float)
{
	double a;

	if (num_arg(c, args[0], "a", &a))
		return -1;
	*out = flow_float(a);
	return 0;
}

/* round_float: Python's round(float(a), digits), 0 <= digits <= 15. */
FLOW_STD(round_float)
{
	/* |a| < 2^1024 has at most 309 integer digits. */
	char buf[400];
	double a, r;

	if (num_arg(c, args[0], "a", &a))
		return -1;
	if (args[1].kind != FLOW_INT)
		return flow_ops_bad(c, "digits", "an integer", args[1]);
	if (args[1].u.i < 0 || args[1].u.i > 15)
		return flow_ops_bad(c, "digits", "between 0 and 15", args[1]);
	snprintf(buf, sizeof buf, "%.*f", (int)args[1].u.i, a);
	r = strtod(buf, NULL);
	if (!isfinite(r))
		return flow_ops_err(c, FLOW_E_NOTFINITE);
	*out = flow_float(r);
	return 0;
}
