/*
 * test_flowops.c: the portable overflow checks of flowops.h (what old
 * compilers and HLS tools without __builtin_*_overflow compile), forced
 * with FLOW_OPS_NO_BUILTINS and compared with 128-bit arithmetic over
 * int64 edge values and pseudo-random pairs.  test_ops.c covers the
 * builtin path and the other typed functions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define FLOW_OPS_NO_BUILTINS 1
#include "flowops.h"

#ifdef FLOW_OPS_BUILTIN_OVERFLOW
#error "FLOW_OPS_NO_BUILTINS did not select the portable checks"
#endif

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const int64_t edges[] = {
	INT64_MIN, INT64_MIN + 1, INT64_MIN / 2, INT64_MIN / 3, -4294967296,
	-3037000500, -3037000499, -65536, -7, -2, -1, 0, 1, 2, 7, 65536,
	3037000499, 3037000500, 4294967296, INT64_MAX / 3, INT64_MAX / 2,
	INT64_MAX - 1, INT64_MAX,
};

static int
fits(__int128 x)
{
	return x >= INT64_MIN && x <= INT64_MAX;
}

/* add, subtract and multiply of one pair against exact arithmetic. */
static void
check(int64_t a, int64_t b)
{
	__int128 x = a, y = b;
	int64_t r;

	assert_int_equal(flow_op_add(a, b, &r) == FLOW_E_OK, fits(x + y));
	if (fits(x + y))
		assert_true(r == (int64_t)(x + y));
	assert_int_equal(flow_op_subtract(a, b, &r) == FLOW_E_OK, fits(x - y));
	if (fits(x - y))
		assert_true(r == (int64_t)(x - y));
	assert_int_equal(flow_op_multiply_ii(a, b, &r) == FLOW_E_OK, fits(x * y));
	if (fits(x * y))
		assert_true(r == (int64_t)(x * y));
}

static void
test_edges(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < NELEM(edges); i++)
		for (j = 0; j < NELEM(edges); j++)
			check(edges[i], edges[j]);
}

/* xorshift64*, so runs are reproducible. */
static uint64_t
next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717u;
}

static void
test_random(void **state)
{
	uint64_t s = 88172645463325252u;
	int i;

	(void)state;
	for (i = 0; i < 200000; i++) {
		uint64_t u = next(&s), v = next(&s);
		/* full-width values against ones of every magnitude */
		int64_t w = (int64_t)(v >> (next(&s) % 64));

		if ((v & 1) && w != INT64_MIN)
			w = -w;
		check((int64_t)u, w);
		check(w, (int64_t)(u >> (u % 64)));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
