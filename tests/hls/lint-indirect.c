/* expect: indirect call */
/* A kernel that calls through a function pointer. */
#include <stdint.h>

static int64_t twice(int64_t x) { return 2 * x; }
static int64_t thrice(int64_t x) { return 3 * x; }

void
indirect_kernel(const int64_t in[4], int64_t out[4], int32_t sel)
{
	int64_t (*f)(int64_t) = sel ? twice : thrice;
	int i;

	for (i = 0; i < 4; i++)
		out[i] = f(in[i]);
}
