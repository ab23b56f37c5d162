/* expect: not a documented form for NONE */
/* A kernel that writes a vendor pragma itself instead of using the
 * FLOW_HLS_ macros: every vendor (and none) would see it. */
#include <stdint.h>

void
pragma_kernel(const int64_t in[4], int64_t out[4])
{
	int i;

	for (i = 0; i < 4; i++) {
#pragma HLS unroll
		out[i] = in[i] + 1;
	}
}
