/*
 * unit.h: what the unit tests of values and operations share (included
 * after <cmocka.h> and "flowrt.h"): the arena A that a test's values
 * live in, made before each test and freed after it (setup,
 * teardown), a value from JSON text (J), identity of two values
 * (exact) and a value's JSON text (dump).
 */

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static flow_arena A;

static int
setup(void **state)
{
	(void)state;
	flow_arena_init(&A);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	flow_arena_free(&A);
	return 0;
}

/* The value of a JSON text written in a test. */
static inline flow_val
J(const char *text)
{
	flow_jerr e;
	flow_val v;

	if (flow_json_parse(&A, text, strlen(text), &v, &e) != 0)
		fail_msg("bad JSON in a test: %s (%s)", text, e.text);
	return v;
}

static inline int
same_text(const flow_str *a, const flow_str *b)
{
	return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

/* Identity with kinds, float bits and map key order. */
static inline int
exact(flow_val a, flow_val b)
{
	size_t i;

	if (a.kind != b.kind)
		return 0;
	switch (a.kind) {
	case FLOW_NULL: return 1;
	case FLOW_BOOL: return a.u.b == b.u.b;
	case FLOW_INT: return a.u.i == b.u.i;
	case FLOW_FLOAT: return memcmp(&a.u.f, &b.u.f, sizeof(double)) == 0;
	case FLOW_STR: return same_text(a.u.s, b.u.s);
	case FLOW_ARRAY:
		if (a.u.a->n != b.u.a->n)
			return 0;
		for (i = 0; i < a.u.a->n; i++)
			if (!exact(a.u.a->items[i], b.u.a->items[i]))
				return 0;
		return 1;
	case FLOW_MAP:
		if (a.u.m->n != b.u.m->n)
			return 0;
		for (i = 0; i < a.u.m->n; i++)
			if (!same_text(a.u.m->keys[i], b.u.m->keys[i]) ||
			    !exact(a.u.m->vals[i], b.u.m->vals[i]))
				return 0;
		return 1;
	}
	return 0;
}

/* JSON text of v, in A. */
static inline const char *
dump(flow_val v)
{
	flow_buf b = {NULL, 0, 0};
	const char *r;

	flow_json_write(&b, v);
	r = flow_arena_strdup(&A, b.p, b.len);
	flow_buf_free(&b);
	return r;
}
