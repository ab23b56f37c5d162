/* expect: variable length array */
/* A kernel with a variable-length array: rejected by -Werror=vla. */
#include <stdint.h>

void
vla_kernel(const int64_t in[64], int64_t out[64], int32_t n)
{
	int64_t tmp[n];
	int32_t i;

	for (i = 0; i < n && i < 64; i++)
		tmp[i] = in[i];
	for (i = 0; i < n && i < 64; i++)
		out[i] = tmp[n - 1 - i];
}
