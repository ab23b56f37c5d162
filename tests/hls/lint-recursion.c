/* expect: recursion: */
/* A kernel that recurses (through a helper): rejected from the call graph. */
#include <stdint.h>

static int64_t odd(int64_t n);

static int64_t
even(int64_t n)
{
	return n == 0 ? 1 : odd(n - 1);
}

static int64_t
odd(int64_t n)
{
	return n == 0 ? 0 : even(n - 1);
}

void
parity_kernel(const int64_t in[4], int64_t out[4])
{
	int i;

	for (i = 0; i < 4; i++)
		out[i] = even(in[i] < 0 ? -in[i] : in[i]);
}
