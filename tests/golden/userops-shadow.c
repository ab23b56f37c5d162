#include "flowrt.h"

int
flowop_add(flow_opctx *ctx, int64_t a, int64_t b, int64_t *result)
{
	(void)ctx;
	*result = a + b + 1;
	return 0;
}
