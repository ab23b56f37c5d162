/*
 * ops_array.c: the array and map operations (spec/stdlib-ops.md §7):
 * array_length, array_sum, array_max, array_sort, array_range,
 * array_count_values and map_merge.
 *
 * array_sort is a stable merge sort (insertion sort for short runs);
 * array_count_values and map_merge find keys through a hash index
 * (opctx.c), so both are linear in the size of their input; map_merge
 * searches a few keys linearly instead.  Results are new arrays and maps
 * that share the (immutable) items of the inputs.
 */
#include <stdlib.h>
#include <string.h>

#include "ops.h"

typedef int (*cmp_fn)(flow_val, flow_val);

/* Fail unless v is an array. */
static int
array_arg(flow_opctx *c, flow_val v, const char *param)
{
	return v.kind == FLOW_ARRAY ? 0 : flow_ops_bad(c, param, "an array", v);
}

/* array_length: the number of items. */
FLOW_STD(array_length)
{
	if (array_arg(c, args[0], "items"))
		return -1;
	*out = flow_int((int64_t)args[0].u.a->n);
	return 0;
}

/* array_sum: the sum of int items, every partial sum checked. */
FLOW_STD(array_sum)
{
	const flow_array *a;
	int64_t sum = 0;
	size_t i;
	int e;

	if (array_arg(c, args[0], "items"))
		return -1;
	a = args[0].u.a;
	for (i = 0; i < a->n; i++) {
		if (a->items[i].kind != FLOW_INT)
			return flow_fail(c, "items[%zu] must be an integer", i);
		if ((e = flow_op_add(sum, a->items[i].u.i, &sum)) != FLOW_E_OK)
			return flow_ops_err(c, e);
	}
	*out = flow_int(sum);
	return 0;
}

/* array_max: the first of the largest numbers, unchanged in type. */
FLOW_STD(array_max)
{
	const flow_array *a;
	flow_val best;
	size_t i;

	if (array_arg(c, args[0], "items"))
		return -1;
	a = args[0].u.a;
	if (a->n == 0)
		return flow_fail(c, "items must not be empty");
	for (i = 0; i < a->n; i++)
		if (!flow_ops_is_num(a->items[i]))
			return flow_fail(c, "items[%zu] must be a number", i);
	best = a->items[0];
	for (i = 1; i < a->n; i++)
		if (flow_ops_num_cmp(a->items[i], best) > 0)
			best = a->items[i];
	*out = best;
	return 0;
}

static int
cmp_str(flow_val a, flow_val b)
{
	return flow_ops_str_cmp(a.u.s, b.u.s);
}

/* Stable insertion sort, for short runs. */
static void
insertion_sort(flow_val *v, size_t n, cmp_fn cmp)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		flow_val x = v[i];

		for (j = i; j > 0 && cmp(v[j - 1], x) > 0; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Stable merge sort of v[0..n) with scratch tmp of n items. */
static void
merge_sort(flow_val *v, flow_val *tmp, size_t n, cmp_fn cmp)
{
	size_t h = n / 2, i = 0, j = h, k = 0;

	if (n <= 16) {
		insertion_sort(v, n, cmp);
		return;
	}
	merge_sort(v, tmp, h, cmp);
	merge_sort(v + h, tmp, n - h, cmp);
	if (cmp(v[h - 1], v[h]) <= 0)
		return;
	memcpy(tmp, v, n * sizeof *v);
	while (i < h && j < n)
		v[k++] = cmp(tmp[j], tmp[i]) < 0 ? tmp[j++] : tmp[i++];
	while (i < h)
		v[k++] = tmp[i++];
	while (j < n)
		v[k++] = tmp[j++];
}

/* How to sort a: strings if all are strings, else all must be numbers. */
static int
sort_order(flow_opctx *c, const flow_array *a, cmp_fn *cmp)
{
	size_t i, nstr = 0;

	for (i = 0; i < a->n; i++)
		nstr += a->items[i].kind == FLOW_STR;
	*cmp = cmp_str;
	if (nstr == a->n)
		return 0;
	if (nstr > 0)
		return flow_fail(c, "items mixes strings with other values");
	*cmp = flow_ops_num_cmp;
	for (i = 0; i < a->n; i++)
		if (!flow_ops_is_num(a->items[i]))
			return flow_fail(c, "items[%zu] must be a number or a string", i);
	return 0;
}

/* array_sort: stable ascending sort of all-string or all-number items. */
FLOW_STD(array_sort)
{
	const flow_array *a;
	flow_array *r;
	flow_val *tmp;
	cmp_fn cmp;

	if (array_arg(c, args[0], "items"))
		return -1;
	a = args[0].u.a;
	if (sort_order(c, a, &cmp))
		return -1;
	r = flow_array_new(c->arena, a->n);
	if (a->n > 0)
		memcpy(r->items, a->items, a->n * sizeof *a->items);
	tmp = flow_ops_xmalloc(a->n, sizeof *tmp);
	merge_sort(r->items, tmp, a->n, cmp);
	free(tmp);
	*out = flow_arrayv(r);
	return 0;
}

/* array_range: [0, 1, ..., n-1] for 0 <= n <= 1000000. */
FLOW_STD(array_range)
{
	flow_array *r;
	int64_t i;

	if (args[0].kind != FLOW_INT)
		return flow_ops_bad(c, "n", "an integer", args[0]);
	if (args[0].u.i < 0 || args[0].u.i > 1000000)
		return flow_ops_bad(c, "n", "between 0 and 1000000", args[0]);
	r = flow_array_new(c->arena, (size_t)args[0].u.i);
	for (i = 0; i < args[0].u.i; i++)
		r->items[i] = flow_int(i);
	*out = flow_arrayv(r);
	return 0;
}

/* Count the distinct strings of a into keys[]/counts[]; returns how many. */
static size_t
count_distinct(const flow_array *a, const flow_str **keys, int64_t *counts)
{
	flow_ops_strtab t;
	size_t i, k = 0;
	long j;

	flow_ops_strtab_init(&t, a->n);
	for (i = 0; i < a->n; i++) {
		j = flow_ops_strtab_get(&t, keys, a->items[i].u.s, k);
		if (j >= 0) {
			counts[j]++;
		} else {
			keys[k] = a->items[i].u.s;
			counts[k++] = 1;
		}
	}
	flow_ops_strtab_free(&t);
	return k;
}

/* array_count_values: {item: occurrences} for string items, keys in
 * order of first occurrence. */
FLOW_STD(array_count_values)
{
	const flow_array *a;
	const flow_str **keys;
	int64_t *counts;
	flow_map *m;
	size_t i, k;

	if (array_arg(c, args[0], "items"))
		return -1;
	a = args[0].u.a;
	for (i = 0; i < a->n; i++)
		if (a->items[i].kind != FLOW_STR)
			return flow_fail(c, "items[%zu] must be a string", i);
	keys = flow_ops_xmalloc(a->n, sizeof *keys);
	counts = flow_ops_xmalloc(a->n, sizeof *counts);
	k = count_distinct(a, keys, counts);
	m = flow_map_new(c->arena, k);
	for (i = 0; i < k; i++) {
		m->keys[i] = keys[i];
		m->vals[i] = flow_int(counts[i]);
	}
	m->n = k;
	free(keys);
	free(counts);
	*out = flow_mapv(m);
	return 0;
}

enum { SMALL_MERGE = 16 };      /* merged keys searched linearly, no index */

/* map_merge: a's entries then b's; b wins a shared key, which keeps a's
 * position (Python's dict.update). */
FLOW_STD(map_merge)
{
	const flow_map *a, *b;
	flow_ops_strtab t;
	flow_map *m;
	size_t i;

	if (args[0].kind != FLOW_MAP)
		return flow_ops_bad(c, "a", "a map", args[0]);
	if (args[1].kind != FLOW_MAP)
		return flow_ops_bad(c, "b", "a map", args[1]);
	a = args[0].u.m;
	b = args[1].u.m;
	m = flow_map_new(c->arena, a->n + b->n);
	if (a->n + b->n <= SMALL_MERGE) {
		/* a's keys are unique (flowrt.h): copy them, then look each
		 * of b's up among them; a linear search costs less than the
		 * index on a few keys */
		if (a->n > 0) {
			memcpy(m->keys, a->keys, a->n * sizeof *m->keys);
			memcpy(m->vals, a->vals, a->n * sizeof *m->vals);
		}
		m->n = a->n;
		for (i = 0; i < b->n; i++) {
			long j = flow_map_find(a, b->keys[i]->s, b->keys[i]->len);
			if (j >= 0)
				m->vals[j] = b->vals[i];
			else
				flow_map_append(m, b->keys[i], b->vals[i]);
		}
		*out = flow_mapv(m);
		return 0;
	}
	flow_ops_strtab_init(&t, a->n + b->n);
	for (i = 0; i < a->n; i++)
		flow_ops_map_put(m, &t, a->keys[i], a->vals[i]);
	for (i = 0; i < b->n; i++)
		flow_ops_map_put(m, &t, b->keys[i], b->vals[i]);
	flow_ops_strtab_free(&t);
	*out = flow_mapv(m);
	return 0;
}
