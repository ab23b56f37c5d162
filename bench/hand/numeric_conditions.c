/*
 * numeric_conditions.c: the numeric_conditions bench flow written by
 * hand.
 *
 * The flow, per context with integers x (num.x) and y (num.y):
 *   diff = x - y, sum = x + y, prod = sum * diff   (int64, overflow fails)
 *   same = sum == diff, differs = !same; label = str(sum) if differs
 *   pos = prod > 0, neg = prod < 0
 *   scaled = prod // 7 if pos; wrapped = prod % 1000 if neg (Python's)
 *   flt = float(prod), ratio = flt / 3, rounded = round(ratio, 2)
 * and get_single returns, in its spec order, product, the int_divide,
 * modulo, round_float and int_to_str results and equals, skipping those
 * that never appeared (all are nostrict).  Without x or y nothing fires
 * and the result is {}.  Only diff, sum and prod can fail, in that order
 * of firing, and at most one of them in a context.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "hand.h"

/* Python's round(d, 2): print the exact value rounded half to even,
 * read it back (what ops_float.c does). */
static double
round2(double d)
{
	char buf[64];

	snprintf(buf, sizeof buf, "%.2f", d);
	return strtod(buf, NULL);
}

static int
run(const flow_val *const *in, flow_buf *out)
{
	int64_t x, y, sum, diff, prod, q, m;
	char buf[32];
	int same, n;

	if (in[0] == NULL || in[1] == NULL) {
		PUT(out, ", \"results\": {}");
		return 0;
	}
	x = in[0]->u.i;
	y = in[1]->u.i;
	if (__builtin_sub_overflow(x, y, &diff))
		return hand_error(out, "diff", "integer overflow");
	if (__builtin_add_overflow(x, y, &sum))
		return hand_error(out, "sum", "integer overflow");
	if (__builtin_mul_overflow(sum, diff, &prod))
		return hand_error(out, "prod", "integer overflow");
	same = sum == diff;

	PUT(out, ", \"results\": {\"product\": ");
	hand_int(out, prod);
	if (prod > 0) {                 /* scaled: prod // 7, prod > 0 */
		q = prod / 7;
		PUT(out, ", \"int_divide.outputs.result\": ");
		hand_int(out, q);
	}
	if (prod < 0) {                 /* wrapped: prod % 1000, prod < 0 */
		m = prod % 1000;
		if (m != 0)
			m += 1000;
		PUT(out, ", \"modulo.outputs.result\": ");
		hand_int(out, m);
	}
	PUT(out, ", \"round_float.outputs.result\": ");
	flow_json_write(out, flow_float(round2((double)prod / 3.0)));
	if (!same) {                    /* label: str(sum) */
		n = snprintf(buf, sizeof buf, "%" PRId64, sum);
		PUT(out, ", \"int_to_str.outputs.result\": ");
		flow_json_write_str(out, buf, (size_t)n);
	}
	PUT(out, ", \"equals.outputs.result\": ");
	hand_bool(out, same);
	PUT(out, "}");
	return 0;
}

static const hand_input inputs[] = {{"num.x", HAND_INT}, {"num.y", HAND_INT}};
static const hand_flow flow = {"numeric_conditions", 2, inputs, run};

int
main(int argc, char **argv)
{
	return hand_main(argc, argv, &flow);
}
