#include "flowrt.h"

static int
flowop_ops_hidden(flow_opctx *ctx, int64_t n, int64_t *result)
{
	(void)ctx;
	*result = n;
	return 0;
}

int
flowop_ops_old_style()
{
	return 1;
}

int
flowop_ops_varargs(flow_opctx *ctx, ...)
{
	(void)ctx;
	return 1;
}
