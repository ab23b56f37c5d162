/*
 * test_value.c: unit tests of the runtime's arenas (runtime/arena.c) and
 * values (runtime/value.c): flat memory over many contexts, strings with
 * NUL, map order, the two equalities, numeric comparison, truthiness,
 * deep copies, static types and the byte buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <cmocka.h>

#include "flowrt.h"
#include "unit.h"

#define TWO53 9007199254740992.0
#define TWO63 9223372036854775808.0

static flow_val
S(const char *s)
{
	return flow_string(&A, s, strlen(s));
}

/* A map from alternating key strings and values, n pairs. */
static flow_val
M(int n, ...)
{
	flow_map *m = flow_map_new(&A, (size_t)n);
	va_list ap;
	int i;

	va_start(ap, n);
	for (i = 0; i < n; i++) {
		const char *k = va_arg(ap, const char *);
		flow_val v = va_arg(ap, flow_val);
		flow_map_put(m, flow_str_cstr(&A, k), v);
	}
	va_end(ap);
	return flow_mapv(m);
}

static flow_val
L(int n, ...)
{
	flow_array *arr = flow_array_new(&A, (size_t)n);
	va_list ap;
	int i;

	va_start(ap, n);
	for (i = 0; i < n; i++)
		arr->items[i] = va_arg(ap, flow_val);
	va_end(ap);
	return flow_arrayv(arr);
}

static void
test_arena_alloc(void **state)
{
	flow_arena a;
	char *p[200];
	size_t i;

	(void)state;
	flow_arena_init(&a);
	for (i = 0; i < 200; i++) {
		p[i] = flow_alloc(&a, i * 1000 + 1);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % 8, 0);
		memset(p[i], (int)(i & 0xff), i * 1000 + 1);
	}
	for (i = 0; i < 200; i++)
		assert_int_equal((unsigned char)p[i][i * 1000], i & 0xff);
	/* Far bigger than a chunk: a chunk of its own, usable in full. */
	p[0] = flow_alloc(&a, 5u << 20);
	memset(p[0], 1, 5u << 20);
	p[1] = flow_arena_strdup(&a, "ab\0cd", 5);
	assert_memory_equal(p[1], "ab\0cd", 6);
	flow_arena_reset(&a);
	p[0] = flow_alloc(&a, 16);
	memset(p[0], 0, 16);
	flow_arena_free(&a);
	flow_arena_free(&a);
}

static size_t
heap_in_use(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
	return mallinfo2().uordblks;
#else
	return 0;
#endif
}

/* One context's worth of allocations: small blocks adding up to about
 * total bytes, and now and then a block bigger than any chunk. */
static void
one_context(flow_arena *a, size_t total, int big)
{
	size_t used = 0, n;
	char *p;

	while (used < total) {
		n = 1 + (size_t)(rand() % 400);
		p = flow_alloc(a, n);
		p[0] = p[n - 1] = 'x';
		used += n;
	}
	if (big) {
		p = flow_alloc(a, 1u << 20);
		p[0] = p[(1u << 20) - 1] = 'y';
	}
}

static void
test_arena_flat(void **state)
{
	flow_arena a;
	size_t kept, chunk, heap;
	long i;

	(void)state;
#ifdef FLOW_ARENA_EXACT
	skip();         /* sanitizer builds: one malloc per allocation, no chunks */
#endif
	srand(42);
	flow_arena_init(&a);
	for (i = 0; i < 8; i++) {       /* warm up with the biggest context */
		one_context(&a, 100000, 1);
		flow_arena_reset(&a);
	}
	kept = (size_t)(a.end - a.cur);
	chunk = a.chunk_size;
	heap = heap_in_use();
	for (i = 0; i < 100000; i++) {
		one_context(&a, (size_t)(rand() % 100000), i % 997 == 0);
		flow_arena_reset(&a);
		assert_true((size_t)(a.end - a.cur) == kept);
		assert_true(a.chunk_size == chunk);
	}
	assert_true(heap_in_use() <= heap + 4096);
	flow_arena_free(&a);
}

static void
test_strings(void **state)
{
	const flow_str *s;
	flow_val v;

	(void)state;
	s = flow_str_new(&A, "a\0b", 3);
	assert_int_equal(s->len, 3);
	assert_memory_equal(s->s, "a\0b\0", 4);
	s = flow_str_cstr(&A, "hello");
	assert_int_equal(s->len, 5);
	assert_string_equal(s->s, "hello");
	s = flow_str_new(&A, NULL, 0);
	assert_int_equal(s->len, 0);
	assert_int_equal(s->s[0], '\0');
	v = flow_string(&A, "\xc3\xa9", 2);
	assert_int_equal(v.kind, FLOW_STR);
	assert_int_equal(v.u.s->len, 2);
}

static void
test_map_put_order(void **state)
{
	flow_map *m = flow_map_new(&A, 4);

	(void)state;
	flow_map_put(m, flow_str_cstr(&A, "a"), flow_int(1));
	flow_map_put(m, flow_str_cstr(&A, "b"), flow_int(2));
	flow_map_put(m, flow_str_cstr(&A, "c"), flow_int(3));
	flow_map_put(m, flow_str_cstr(&A, "b"), flow_int(20));
	flow_map_put(m, flow_str_new(&A, "b\0x", 3), flow_int(4));
	assert_int_equal(m->n, 4);
	assert_string_equal(m->keys[0]->s, "a");
	assert_string_equal(m->keys[1]->s, "b");
	assert_string_equal(m->keys[2]->s, "c");
	assert_int_equal(m->vals[1].u.i, 20);
	assert_int_equal(m->vals[3].u.i, 4);
	assert_int_equal(flow_map_find(m, "a", 1), 0);
	assert_int_equal(flow_map_find(m, "c", 1), 2);
	assert_int_equal(flow_map_find(m, "b\0x", 3), 3);
	assert_int_equal(flow_map_find(m, "d", 1), -1);
	assert_int_equal(flow_map_find(m, "", 0), -1);
	m = flow_map_new(&A, 0);
	assert_int_equal(flow_map_find(m, "a", 1), -1);
}

static void
test_vec(void **state)
{
	flow_vec vec = {NULL, 0, 0};
	flow_val v;
	int64_t i;

	(void)state;
	v = flow_vec_array(&A, &vec);
	assert_int_equal(v.kind, FLOW_ARRAY);
	assert_int_equal(v.u.a->n, 0);
	for (i = 0; i < 1000; i++)
		flow_vec_push(&A, &vec, flow_int(i));
	v = flow_vec_array(&A, &vec);
	flow_vec_push(&A, &vec, flow_int(-1));
	vec.v[0] = flow_int(-2);
	assert_int_equal(v.u.a->n, 1000);
	for (i = 0; i < 1000; i++)
		assert_int_equal(v.u.a->items[i].u.i, i);
}

/* A vector that starts in one value of its owner's (compiled code's
 * slots), grown by flow_vec_add and flow_vec_reserve. */
static void
test_vec_one(void **state)
{
	flow_val one;
	flow_vec vec = {&one, 0, 1};
	int64_t i;

	(void)state;
	flow_vec_add(&A, &vec, flow_int(0));
	assert_ptr_equal(vec.v, &one);
	for (i = 1; i < 20; i++)
		flow_vec_add(&A, &vec, flow_int(i));
	assert_true(vec.v != &one);
	assert_true(vec.cap >= 20);
	flow_vec_reserve(&A, &vec, 100);
	assert_true(vec.cap >= 120);
	for (i = 0; i < 20; i++)
		assert_int_equal(vec.v[i].u.i, i);
	vec.n = 0;
	vec.v = &one;
	vec.cap = 1;
	flow_vec_reserve(&A, &vec, 1);
	assert_ptr_equal(vec.v, &one);
	flow_vec_add(&A, &vec, flow_int(7));
	flow_vec_reserve(&A, &vec, 3);
	assert_int_equal(vec.n, 1);
	assert_true(vec.cap >= 4);
	assert_int_equal(vec.v[0].u.i, 7);
}

/* flow_equal must be symmetric: check both ways. */
static void
eq(flow_val a, flow_val b, int want)
{
	assert_int_equal(flow_equal(a, b), want);
	assert_int_equal(flow_equal(b, a), want);
}

static void
same(flow_val a, flow_val b, int want)
{
	assert_int_equal(flow_same(a, b), want);
	assert_int_equal(flow_same(b, a), want);
}

static void
test_equal_numbers(void **state)
{
	(void)state;
	eq(flow_int(1), flow_float(1.0), 1);
	eq(flow_int(0), flow_float(-0.0), 1);
	eq(flow_float(0.0), flow_float(-0.0), 1);
	eq(flow_int(9007199254740993LL), flow_float(TWO53), 0);
	eq(flow_int(9007199254740992LL), flow_float(TWO53), 1);
	eq(flow_int(INT64_MAX), flow_float(TWO63), 0);
	eq(flow_int(INT64_MIN), flow_float(-TWO63), 1);
	eq(flow_int(INT64_MAX), flow_int(INT64_MAX), 1);
	eq(flow_int(INT64_MIN), flow_int(INT64_MAX), 0);
	eq(flow_int(INT64_MIN), flow_int(INT64_MIN), 1);
	eq(flow_int(1), flow_float(1.0000000000000002), 0);
	eq(flow_float(0.1), flow_float(0.1), 1);
	eq(flow_int(3), flow_float(2.9999999999999996), 0);
}

static void
test_equal_kinds(void **state)
{
	(void)state;
	eq(flow_bool(1), flow_int(1), 0);
	eq(flow_bool(0), flow_int(0), 0);
	eq(flow_bool(1), flow_float(1.0), 0);
	eq(flow_bool(1), flow_bool(1), 1);
	eq(flow_bool(0), flow_bool(1), 0);
	eq(flow_null(), flow_null(), 1);
	eq(flow_null(), flow_bool(0), 0);
	eq(flow_null(), flow_int(0), 0);
	eq(S(""), flow_null(), 0);
	eq(S("abc"), S("abc"), 1);
	eq(S("abc"), S("abd"), 0);
	eq(S("ab"), S("abc"), 0);
	eq(flow_string(&A, "a\0b", 3), flow_string(&A, "a\0c", 3), 0);
	eq(S("e\xcc\x81"), S("\xc3\xa9"), 0);
	eq(L(0), M(0), 0);
	eq(L(0), L(0), 1);
	eq(L(2, flow_int(1), S("x")), L(2, flow_float(1.0), S("x")), 1);
	eq(L(2, flow_int(1), flow_int(2)), L(2, flow_int(2), flow_int(1)), 0);
	eq(L(1, flow_int(1)), L(2, flow_int(1), flow_int(1)), 0);
}

static void
test_equal_maps(void **state)
{
	flow_val a, b;

	(void)state;
	a = M(2, "x", M(2, "p", flow_int(1), "q", L(1, flow_float(-0.0))),
	      "y", S("s"));
	b = M(2, "y", S("s"),
	      "x", M(2, "q", L(1, flow_int(0)), "p", flow_float(1.0)));
	eq(a, b, 1);
	same(a, b, 0);
	b = M(2, "y", S("s"),
	      "x", M(2, "q", L(1, flow_float(-0.0)), "p", flow_int(1)));
	eq(a, b, 1);
	same(a, b, 1);
	eq(M(1, "a", flow_int(1)), M(1, "b", flow_int(1)), 0);
	eq(M(1, "a", flow_int(1)), M(1, "a", flow_int(2)), 0);
	eq(M(1, "a", flow_int(1)), M(2, "a", flow_int(1), "b", flow_null()), 0);
	eq(M(2, "a", flow_bool(1), "b", flow_null()),
	   M(2, "b", flow_null(), "a", flow_int(1)), 0);
}

static void
test_same(void **state)
{
	(void)state;
	same(flow_int(1), flow_float(1.0), 0);
	same(flow_float(1.0), flow_float(1.0), 1);
	same(flow_float(0.0), flow_float(-0.0), 0);
	same(flow_float(-0.0), flow_float(-0.0), 1);
	same(flow_int(INT64_MIN), flow_int(INT64_MIN), 1);
	same(flow_int(INT64_MIN), flow_float(-TWO63), 0);
	same(flow_bool(0), flow_int(0), 0);
	same(flow_null(), flow_null(), 1);
	same(S("a"), S("a"), 1);
	same(L(1, flow_int(2)), L(1, flow_float(2.0)), 0);
	same(M(2, "a", flow_int(1), "b", flow_int(2)),
	     M(2, "b", flow_int(2), "a", flow_int(1)), 1);
}

static void
cmp(flow_val a, flow_val b, int want)
{
	int got = flow_num_cmp(a, b);

	assert_int_equal((got > 0) - (got < 0), want);
	got = flow_num_cmp(b, a);
	assert_int_equal((got > 0) - (got < 0), -want);
}

static void
test_num_cmp(void **state)
{
	(void)state;
	cmp(flow_int(1), flow_int(2), -1);
	cmp(flow_int(INT64_MIN), flow_int(INT64_MAX), -1);
	cmp(flow_int(5), flow_int(5), 0);
	cmp(flow_float(-0.0), flow_float(0.0), 0);
	cmp(flow_int(0), flow_float(-0.0), 0);
	cmp(flow_float(1.5), flow_float(2.5), -1);
	cmp(flow_int(9007199254740993LL), flow_float(TWO53), 1);
	cmp(flow_int(9007199254740991LL), flow_float(TWO53), -1);
	cmp(flow_int(INT64_MAX), flow_float(TWO63), -1);
	cmp(flow_int(INT64_MAX), flow_float(9223372036854774784.0), 1);
	cmp(flow_int(INT64_MIN), flow_float(-TWO63), 0);
	cmp(flow_int(INT64_MIN), flow_float(-9223372036854777856.0), 1);
	cmp(flow_int(INT64_MIN), flow_float(-1e300), 1);
	cmp(flow_int(INT64_MAX), flow_float(1e300), -1);
	cmp(flow_int(1), flow_float(0.5), 1);
	cmp(flow_int(0), flow_float(0.5), -1);
	cmp(flow_int(-1), flow_float(-0.5), -1);
	cmp(flow_int(-1), flow_float(-1.5), 1);
	cmp(flow_int(3), flow_float(2.9999999999999996), 1);
	cmp(flow_int(2), flow_float(2.0000000000000004), -1);
	cmp(flow_int(0), flow_float(5e-324), -1);
	cmp(flow_int(0), flow_float(-5e-324), 1);
}

static void
test_truthy(void **state)
{
	(void)state;
	assert_false(flow_truthy(flow_null()));
	assert_false(flow_truthy(flow_bool(0)));
	assert_true(flow_truthy(flow_bool(1)));
	assert_false(flow_truthy(flow_int(0)));
	assert_true(flow_truthy(flow_int(-1)));
	assert_true(flow_truthy(flow_int(INT64_MIN)));
	assert_false(flow_truthy(flow_float(0.0)));
	assert_false(flow_truthy(flow_float(-0.0)));
	assert_true(flow_truthy(flow_float(5e-324)));
	assert_false(flow_truthy(S("")));
	assert_true(flow_truthy(S(" ")));
	assert_true(flow_truthy(flow_string(&A, "\0", 1)));
	assert_false(flow_truthy(L(0)));
	assert_true(flow_truthy(L(1, flow_null())));
	assert_false(flow_truthy(M(0)));
	assert_true(flow_truthy(M(1, "", flow_bool(0))));
}

static void
test_copy(void **state)
{
	flow_arena b;
	flow_val v, c, w;

	(void)state;
	flow_arena_init(&b);
	v = M(3, "a", L(3, flow_int(1), flow_float(-0.0), S("s\xc3\xa9")),
	      "b", M(1, "k", flow_null()), "c", flow_bool(1));
	c = flow_copy(&b, v);
	assert_true(flow_same(v, c));
	assert_true(c.u.m != v.u.m);
	assert_true(c.u.m->keys[0] != v.u.m->keys[0]);
	assert_true(c.u.m->vals[0].u.a->items[2].u.s != v.u.m->vals[0].u.a->items[2].u.s);
	flow_arena_reset(&A);           /* the copy must not depend on A */
	if (A.cur)
		memset(A.cur, 0xa5, (size_t)(A.end - A.cur));
	w = M(3, "a", L(3, flow_int(1), flow_float(-0.0), S("s\xc3\xa9")),
	      "b", M(1, "k", flow_null()), "c", flow_bool(1));
	assert_true(flow_same(w, c));
	assert_true(flow_same(flow_copy(&b, flow_int(7)), flow_int(7)));
	flow_arena_free(&b);
}

static void
test_types(void **state)
{
	static const flow_kind kinds[] = {FLOW_NULL, FLOW_BOOL, FLOW_INT,
	    FLOW_FLOAT, FLOW_STR, FLOW_ARRAY, FLOW_MAP};
	/* accepts[t][k] for t in ANY, NULL, BOOL, INT, FLOAT, STR, ARRAY, MAP */
	static const char *accepts[] = {"1111111", "1000000", "0100000",
	    "0010000", "0011000", "0000100", "0000010", "0000001"};
	int t, k;

	(void)state;
	for (t = FLOW_T_ANY; t <= FLOW_T_MAP; t++)
		for (k = 0; k < 7; k++)
			assert_int_equal(flow_type_accepts((flow_type)t, kinds[k]),
			                 accepts[t][k] == '1');
	assert_string_equal(flow_type_name(FLOW_T_ANY), "any");
	assert_string_equal(flow_type_name(FLOW_T_FLOAT), "float");
	assert_string_equal(flow_type_name(FLOW_T_MAP), "map");
	assert_string_equal(flow_kind_name(FLOW_NULL), "null");
	assert_string_equal(flow_kind_name(FLOW_INT), "int");
	assert_string_equal(flow_kind_name(FLOW_STR), "str");
	assert_string_equal(flow_kind_name(FLOW_ARRAY), "array");
}

static void
test_buf(void **state)
{
	flow_buf b = {NULL, 0, 0};
	int i;

	(void)state;
	flow_buf_puts(&b, "ab");
	flow_buf_putc(&b, 'c');
	flow_buf_put(&b, "d\0e", 3);
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.p, "abcd\0e\0", 7);
	for (i = 0; i < 100; i++)
		flow_buf_printf(&b, "[%d:%s]", i, "0123456789012345678901234567890123456789");
	assert_int_equal(b.len, 6 + 10 * 44 + 90 * 45);
	assert_int_equal(b.p[b.len], '\0');
	assert_memory_equal(b.p + 6, "[0:0123", 7);
	flow_buf_free(&b);
	assert_null(b.p);
	flow_buf_printf(&b, "%s", "");
	assert_int_equal(b.len, 0);
	assert_string_equal(b.p, "");
	flow_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_alloc),
		cmocka_unit_test(test_arena_flat),
		cmocka_unit_test_setup_teardown(test_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_put_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vec_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_equal_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_equal_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_equal_maps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same, setup, teardown),
		cmocka_unit_test_setup_teardown(test_num_cmp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truthy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy, setup, teardown),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_buf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
