/* expect: clean */
/* A hand-written kernel that uses the pragma layer as documented:
 * accepted. */
#include <stdint.h>
#include "flowhls.h"
#include "flowops.h"

FLOW_HLS_COMPONENT void
scale_kernel(const int64_t in[16], int64_t out[16], int32_t n)
{
	int32_t i;
	int64_t r = 0;

	FLOW_HLS_TOP(scale_kernel)
	FLOW_HLS_INTERFACE_AXIS(in)
	FLOW_HLS_INTERFACE_AXIS(out)
	FLOW_HLS_INTERFACE_AXILITE(n)
	FLOW_HLS_INTERFACE_CONTROL
	FLOW_HLS_LOOP_II1
	for (i = 0; i < 16; i++) {
		FLOW_HLS_PIPELINE_II1
		if (i < n)
			out[i] = flow_op_add(in[i], in[i], &r) == FLOW_E_OK ? r : 0;
	}
}
