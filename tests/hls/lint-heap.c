/* expect: attempt to use poisoned "malloc" */
/* A kernel that allocates: rejected by the lint's poisoned heap. */
#include <stdint.h>
#include <stdlib.h>

void
heap_kernel(const int64_t in[4], int64_t out[4])
{
	int64_t *tmp = malloc(4 * sizeof *tmp);
	int i;

	for (i = 0; i < 4; i++)
		tmp[i] = in[i] * 2;
	for (i = 0; i < 4; i++)
		out[i] = tmp[i];
	free(tmp);
}
