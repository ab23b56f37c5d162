#include "flowrt.h"

/* A typo in a type name, */
int
flowop_ops_inc(flow_opctx *ctx, int64_t n, int64t *result)
{
	(void)ctx;
	*result = n + 1;
	return 0;
}

/* a missing semicolon, */
static int64_t
helper(int64_t n)
{
	return n + 1
}

/* and a main() that would clash with the flow's program. */
int
main(void)
{
	return (int)helper(0);
}
