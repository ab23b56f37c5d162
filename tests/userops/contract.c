/*
 * contract.c: a user operation that breaks the convention on demand
 * (see contract.yaml).
 */
#include <stdio.h>
#include "flowrt.h"

int
flowop_contract_check(flow_opctx *ctx, int64_t mode, double x, double *twice,
    const flow_str **label, flow_val *parts)
{
	char buf[64];
	flow_array *a;

	*twice = 2 * x;
	switch (mode) {
	case 0:
		snprintf(buf, sizeof buf, "x=%.2f", x);
		*label = flow_str_cstr(ctx->arena, buf);
		a = flow_array_new(ctx->arena, 1);
		a->items[0] = flow_float(x);
		*parts = flow_arrayv(a);
		return 0;
	case 1:                 /* label unset */
		*parts = flow_null();
		return 0;
	case 2:
		return 7;
	case 3:                 /* parts must be an array */
		*label = flow_str_cstr(ctx->arena, "map");
		*parts = flow_mapv(flow_map_new(ctx->arena, 0));
		return 0;
	case 4:
		return 1;       /* no output */
	default:
		return flow_fail(ctx, "unknown mode %lld", (long long)mode);
	}
}
