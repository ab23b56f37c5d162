/*
 * ops_dffml.c: three of DFFML's own processing operations (spec
 * stdlib-ops.md §8): dffml.mapping.extract, dffml.mapping.create and
 * multiply.
 *
 * extract follows DFFML's traverse_get: a lone key is split on dots,
 * quote-aware (split_dot_seperated); each key then indexes the current
 * value, a string key a map and an int key an array (Python indexing).
 * multiply is Python's * restricted to the contract: numbers, or an array
 * of numbers times a number, through the typed versions of flowops.h.
 */
#include <string.h>

#include "ops.h"

/* s[0..n) without its ' and " characters, as a string value. */
static flow_val
unquote(flow_arena *a, const char *s, size_t n)
{
	flow_str *r = flow_ops_str_alloc(a, n);
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (s[i] != '\'' && s[i] != '"')
			r->s[k++] = s[i];
	r->len = k;
	r->s[k] = '\0';
	return flow_strv(r);
}

/* DFFML's split_dot_seperated: split on '.', then pieces from one with a
 * quote up to the next with a quote become one key, quotes removed;
 * pieces still held at the end are dropped. */
static void
split_dots(flow_arena *a, const flow_str *s, flow_vec *keys)
{
	const char *p = s->s, *end = s->s + s->len, *held = NULL, *q;

	for (;; p = q + 1) {
		q = memchr(p, '.', (size_t)(end - p));
		if (q == NULL)
			q = end;
		if (memchr(p, '\'', (size_t)(q - p)) || memchr(p, '"', (size_t)(q - p))) {
			if (held == NULL)
				held = p;
			else {
				flow_vec_push(a, keys, unquote(a, held, (size_t)(q - held)));
				held = NULL;
			}
		} else if (held == NULL) {
			flow_vec_push(a, keys, flow_string(a, p, (size_t)(q - p)));
		}
		if (q == end)
			break;
	}
}

/* The keys that traverse stands for, or fail. */
static int
traverse_keys(flow_opctx *c, flow_val tr, flow_vec *keys)
{
	if (tr.kind == FLOW_STR) {
		split_dots(c->arena, tr.u.s, keys);
		return 0;
	}
	if (tr.kind != FLOW_ARRAY)
		return flow_ops_bad(c, "traverse", "a list of keys or a string", tr);
	if (tr.u.a->n == 1) {
		if (tr.u.a->items[0].kind != FLOW_STR)
			return flow_ops_bad(c, "a single traverse key", "a string", tr.u.a->items[0]);
		split_dots(c->arena, tr.u.a->items[0].u.s, keys);
		return 0;
	}
	keys->v = tr.u.a->items;
	keys->n = keys->cap = tr.u.a->n;
	return 0;
}

/* The keys extract walks for traverse (see flowrt.h). */
int
flow_map_walk_keys(flow_arena *a, flow_val traverse, flow_vec *keys)
{
	flow_opctx c;

	memset(&c, 0, sizeof c);
	c.arena = a;
	keys->v = NULL;
	keys->n = keys->cap = 0;
	return traverse_keys(&c, traverse, keys) ? -1 : 0;
}

/* cur[key] for an int key: Python list indexing (negative from the end). */
static int
index_array(flow_opctx *c, flow_val *cur, int64_t i)
{
	int64_t n = (int64_t)cur->u.a->n;

	if (i < 0)
		i += n;
	if (i < 0 || i >= n)
		return flow_fail(c, "list index out of range");
	*cur = cur->u.a->items[i];
	return 0;
}

/* Replace *cur by cur[key], or fail. */
static int
step(flow_opctx *c, flow_val *cur, flow_val key)
{
	long j;

	if (key.kind == FLOW_INT && cur->kind == FLOW_ARRAY)
		return index_array(c, cur, key.u.i);
	if (key.kind != FLOW_STR)
		return flow_fail(c, "cannot index %s with %s",
		                 flow_kind_name(cur->kind), flow_kind_name(key.kind));
	if (cur->kind != FLOW_MAP)
		return flow_fail(c, "cannot index %s with key '%.*s'",
		                 flow_kind_name(cur->kind), flow_utf8_cut(key.u.s->s, 60), key.u.s->s);
	j = flow_map_find(cur->u.m, key.u.s->s, key.u.s->len);
	if (j < 0)
		return flow_fail(c, "key '%.*s' not found", flow_utf8_cut(key.u.s->s, 60), key.u.s->s);
	*cur = cur->u.m->vals[j];
	return 0;
}

/* mapping_extract's common case, a dotted string of plain keys (no
 * quotes) walked through maps, without splitting it: 1 with *out, 0 when
 * the general path must run (it also gives the messages). */
static int
extract_plain(flow_val cur, const flow_str *tr, flow_val *out)
{
	const char *p = tr->s, *end = tr->s + tr->len, *q;
	long j;

	if (memchr(p, '\'', tr->len) || memchr(p, '"', tr->len))
		return 0;
	for (;; p = q + 1) {
		q = memchr(p, '.', (size_t)(end - p));
		if (q == NULL)
			q = end;
		if (cur.kind != FLOW_MAP || (j = flow_map_find(cur.u.m, p, (size_t)(q - p))) < 0)
			return 0;
		cur = cur.u.m->vals[j];
		if (q == end)
			break;
	}
	*out = cur;
	return 1;
}

/* dffml.mapping.extract: mapping walked along the keys of traverse. */
FLOW_STD(mapping_extract)
{
	flow_vec keys = {NULL, 0, 0};
	flow_val cur = args[0], tr = args[1];
	size_t i;

	if (tr.kind == FLOW_ARRAY && tr.u.a->n == 1)
		tr = tr.u.a->items[0];
	if (tr.kind == FLOW_STR && extract_plain(cur, tr.u.s, out))
		return 0;
	if (traverse_keys(c, args[1], &keys))
		return -1;
	for (i = 0; i < keys.n; i++)
		if (step(c, &cur, keys.v[i]))
			return -1;
	*out = cur;
	return 0;
}

/* dffml.mapping.create: {key: value}. */
FLOW_STD(mapping_create)
{
	flow_map *m;

	if (args[0].kind != FLOW_STR)
		return flow_ops_bad(c, "key", "a string", args[0]);
	m = flow_map_new(c->arena, 1);
	flow_map_append(m, args[0].u.s, args[1]);
	*out = flow_mapv(m);
	return 0;
}

/* a * b for two numbers: int if both are ints, else float. */
static int
mul(flow_opctx *c, flow_val a, flow_val b, flow_val *out)
{
	int64_t i;
	double f;
	int e;

	if (!flow_ops_is_num(a))
		return flow_ops_bad(c, "multiplicand",
		                    "a number or an array of numbers", a);
	if (a.kind == FLOW_INT && b.kind == FLOW_INT) {
		if ((e = flow_op_multiply_ii(a.u.i, b.u.i, &i)) != FLOW_E_OK)
			return flow_ops_err(c, e);
		*out = flow_int(i);
		return 0;
	}
	if (a.kind == FLOW_INT)
		e = flow_op_multiply_if(a.u.i, b.u.f, &f);
	else if (b.kind == FLOW_INT)
		e = flow_op_multiply_fi(a.u.f, b.u.i, &f);
	else
		e = flow_op_multiply_ff(a.u.f, b.u.f, &f);
	if (e != FLOW_E_OK)
		return flow_ops_err(c, e);
	*out = flow_float(f);
	return 0;
}

/* multiply: multiplicand * multiplier, element-wise for an array. */
FLOW_STD(multiply)
{
	const flow_array *a;
	flow_array *r;
	size_t i;

	if (!flow_ops_is_num(args[1]))
		return flow_ops_bad(c, "multiplier", "a number", args[1]);
	if (args[0].kind != FLOW_ARRAY)
		return mul(c, args[0], args[1], out);
	a = args[0].u.a;
	r = flow_array_new(c->arena, a->n);
	for (i = 0; i < a->n; i++)
		if (mul(c, a->items[i], args[1], &r->items[i]))
			return -1;
	*out = flow_arrayv(r);
	return 0;
}
