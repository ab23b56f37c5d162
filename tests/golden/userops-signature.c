#include <stdint.h>
#include "flowrt.h"

/* n and x are fine (long is int64_t here); word, tags and result are not. */
double
flowop_ops_scale(flow_opctx *ctx, long n, const double x, char *word, flow_val *tags, int64_t *result)
{
	(void)ctx; (void)word; (void)tags;
	*result = (int64_t)(n * x);
	return 0;
}
