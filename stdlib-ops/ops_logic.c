/*
 * ops_logic.c: comparisons and logic: less_than, greater_than, equals,
 * logical_not, logical_and (spec/stdlib-ops.md §5).
 *
 * Ordering is defined between two strings (code point order) or two
 * numbers (exact mathematical value, int against float included, through
 * flowops.h); anything else raises.  equals is deep JSON equality and
 * never raises: numbers by value, bool only equal to bool, maps ignoring
 * key order.
 */
#include <string.h>

#include "ops.h"

/* The order of a and b (-1, 0, 1), or fail when they are not comparable. */
static int
order(flow_opctx *c, const flow_val *args, int *cmp)
{
	flow_val a = args[0], b = args[1];

	if (a.kind == FLOW_STR && b.kind == FLOW_STR)
		*cmp = flow_ops_str_cmp(a.u.s, b.u.s);
	else if (flow_ops_is_num(a) && flow_ops_is_num(b))
		*cmp = flow_ops_num_cmp(a, b);
	else
		return flow_fail(c, "a and b must be two numbers or two strings"
		                 " (got %s and %s)", flow_kind_name(a.kind),
		                 flow_kind_name(b.kind));
	return 0;
}

/* less_than: a < b. */
FLOW_STD(less_than)
{
	int cmp;

	if (order(c, args, &cmp))
		return -1;
	*out = flow_bool(cmp < 0);
	return 0;
}

/* greater_than: a > b. */
FLOW_STD(greater_than)
{
	int cmp;

	if (order(c, args, &cmp))
		return -1;
	*out = flow_bool(cmp > 0);
	return 0;
}

static int deep_eq(flow_val a, flow_val b);

static int
array_eq(const flow_array *a, const flow_array *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (!deep_eq(a->items[i], b->items[i]))
			return 0;
	return 1;
}

/* Same keys and equal values in any order; fast when the order agrees. */
static int
map_eq(const flow_map *a, const flow_map *b)
{
	size_t i;
	long j;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++) {
		const flow_str *k = a->keys[i];

		if (k->len == b->keys[i]->len &&
		    memcmp(k->s, b->keys[i]->s, k->len) == 0)
			j = (long)i;
		else if ((j = flow_map_find(b, k->s, k->len)) < 0)
			return 0;
		if (!deep_eq(a->vals[i], b->vals[j]))
			return 0;
	}
	return 1;
}

/* Deep equality as the equals operation defines it. */
static int
deep_eq(flow_val a, flow_val b)
{
	int r = 0;

	if (flow_ops_is_num(a) && flow_ops_is_num(b))
		return flow_ops_num_cmp(a, b) == 0;
	if (a.kind != b.kind)
		return 0;
	switch (a.kind) {
	case FLOW_NULL:
		return 1;
	case FLOW_BOOL:
		flow_op_equals_bb(a.u.b, b.u.b, &r);
		return r;
	case FLOW_STR:
		return a.u.s->len == b.u.s->len &&
		       memcmp(a.u.s->s, b.u.s->s, a.u.s->len) == 0;
	case FLOW_ARRAY:
		return array_eq(a.u.a, b.u.a);
	case FLOW_MAP:
		return map_eq(a.u.m, b.u.m);
	default:
		return 0;
	}
}

/* equals: deep JSON equality; never fails. */
FLOW_STD(equals)
{
	(void)c;
	*out = flow_bool(deep_eq(args[0], args[1]));
	return 0;
}

/* logical_not: !a for a bool a. */
FLOW_STD(logical_not)
{
	int r;

	if (args[0].kind != FLOW_BOOL)
		return flow_ops_bad(c, "a", "a bool", args[0]);
	flow_op_logical_not(args[0].u.b, &r);
	*out = flow_bool(r);
	return 0;
}

/* logical_and: a && b, both checked to be bools (a first). */
FLOW_STD(logical_and)
{
	int r;

	if (args[0].kind != FLOW_BOOL)
		return flow_ops_bad(c, "a", "a bool", args[0]);
	if (args[1].kind != FLOW_BOOL)
		return flow_ops_bad(c, "b", "a bool", args[1]);
	flow_op_logical_and(args[0].u.b, args[1].u.b, &r);
	*out = flow_bool(r);
	return 0;
}
