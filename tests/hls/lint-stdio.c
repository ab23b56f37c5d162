/* expect: attempt to use poisoned "printf" */
/* A kernel that prints: stdio is poisoned. */
#include <stdint.h>
#include <stdio.h>

void
print_kernel(const int64_t in[4], int64_t out[4])
{
	int i;

	for (i = 0; i < 4; i++) {
		out[i] = in[i];
		printf("%d\n", i);
	}
}
