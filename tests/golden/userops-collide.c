#include "flowrt.h"

int
flowop_ops_fn(flow_opctx *ctx, int64_t n, int64_t *result)
{
	(void)ctx;
	*result = n;
	return 0;
}
