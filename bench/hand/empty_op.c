/*
 * empty_op.c: the empty_op bench flow (bench/flows/empty_op) written by
 * hand: the floor of the ladder, where the flow does almost nothing.
 *
 * The flow is a chain of ten `negate` instances n01..n10 from the
 * context's v00 to v10, and get_single(v10).  Ten negations give x back;
 * only the first can overflow (x == INT64_MIN fails n01, and -x of any
 * other int64 is not INT64_MIN).  Without v00 get_single fails on v10.
 * What is left is the JSON Lines I/O that every rung of the ladder does.
 */
#include <stdint.h>

#include "hand.h"

static int
run(const flow_val *const *in, flow_buf *out)
{
	int64_t x;

	if (in[0] == NULL)
		return hand_error(out, "get_single",
		    "definition 'v10' never appeared in the context");
	x = in[0]->u.i;
	if (x == INT64_MIN)
		return hand_error(out, "n01", "integer overflow");
	PUT(out, ", \"results\": {\"v10\": ");
	hand_int(out, x);
	PUT(out, "}");
	return 0;
}

static const hand_input inputs[] = {{"v00", HAND_INT}};
static const hand_flow flow = {"empty_op", 1, inputs, run};

int
main(int argc, char **argv)
{
	return hand_main(argc, argv, &flow);
}
