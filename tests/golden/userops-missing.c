#include "flowrt.h"

int
flowop_ops_double(flow_opctx *ctx, int64_t n, int64_t *result)
{
	(void)ctx;
	*result = 2 * n;
	return 0;
}
