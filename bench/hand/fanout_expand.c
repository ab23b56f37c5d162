/*
 * fanout_expand.c: the fanout_expand bench flow written by hand.
 *
 * The flow, per context with an integer n (array_range.inputs.n):
 *   range = [0, n) expanded into n inputs i; per element
 *     shift = i + 3, mod = shift % 7, zero = mod == 0, text = str(shift);
 *   whole = [0, n) as one array; total = sum(whole);
 * and two output operations: elements = get_multi(mod, zero, text) (each
 * list in element order, as DFFML's sequential schedule adds them) and
 * sum = get_single(total).  range fires before whole, so n outside
 * [0, 1000000] fails `range`; n == 0 (or no n) leaves get_multi without
 * any modulo result, which fails `elements`.
 *
 * With 0 <= i < 1000000 neither i + 3 nor the running sum can overflow,
 * so they are not checked.  The lists are written straight to the output
 * in three passes, one per get_multi entry; nothing is stored.
 */
#include <inttypes.h>
#include <stdio.h>

#include "hand.h"

static int
run(const flow_val *const *in, flow_buf *out)
{
	int64_t n, i, total = 0;
	char buf[24];
	int len;

	n = in[0] ? in[0]->u.i : 0;
	if (n < 0 || n > 1000000)
		return hand_error(out, "range", "n must be between 0 and 1000000");
	if (n == 0)
		return hand_error(out, "elements", "definition "
		    "'modulo.outputs.result' never appeared in the context");
	PUT(out, ", \"results\": {\"elements\": {\"modulo.outputs.result\": [");
	for (i = 0; i < n; i++) {
		if (i > 0)
			PUT(out, ", ");
		hand_int(out, (i + 3) % 7);
	}
	PUT(out, "], \"equals.outputs.result\": [");
	for (i = 0; i < n; i++) {
		if (i > 0)
			PUT(out, ", ");
		hand_bool(out, (i + 3) % 7 == 0);
	}
	PUT(out, "], \"int_to_str.outputs.result\": [");
	for (i = 0; i < n; i++) {
		if (i > 0)
			PUT(out, ", ");
		len = snprintf(buf, sizeof buf, "%" PRId64, i + 3);
		flow_json_write_str(out, buf, (size_t)len);
	}
	for (i = 0; i < n; i++)                         /* total */
		total += i;
	PUT(out, "]}, \"sum\": {\"array_sum.outputs.result\": ");
	hand_int(out, total);
	PUT(out, "}}");
	return 0;
}

static const hand_input inputs[] = {{"array_range.inputs.n", HAND_INT}};
static const hand_flow flow = {"fanout_expand", 1, inputs, run};

int
main(int argc, char **argv)
{
	return hand_main(argc, argv, &flow);
}
