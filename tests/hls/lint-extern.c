/* expect: which the kernel does not define */
/* A kernel that calls a function defined elsewhere (a library or a
 * system call): rejected from the call graph. */
#include <stdint.h>

extern int64_t read_sensor(int32_t channel);

void
extern_kernel(int64_t out[4])
{
	int32_t i;

	for (i = 0; i < 4; i++)
		out[i] = read_sensor(i);
}
