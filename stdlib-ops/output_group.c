/*
 * output_group.c: DFFML's output operations group_by and remap
 * (dffml/operation/output.py), measured on DFFML 0.4.0.
 *
 * group_by takes a spec {output_name: {group: def, by: def, nostrict}}.
 * For each entry, taken literally from GroupBy.run: the inputs of `by`
 * become a dict keyed by value (a repeated value keeps its first key and
 * its last input), sorted by key; each input of `group` is appended to
 * every `by` entry whose input is among its ancestors (by identity);
 * then, group after group in key order, each value is inserted into the
 * output list at position = the key with Python's list.insert.  So keys
 * must be ints (or bools), values of one group come out reversed, and a
 * string key raises once it has a value.  A definition that never
 * appeared raises, unless nostrict is truthy: then the entry is left out.
 *
 * remap's config holds a dataflow whose output operations it runs over
 * this context's network; each spec entry {name: [keys]} is that result
 * walked along the keys (DFFML's traverse_get, as dffml.mapping.extract).
 * DFFML 0.4.0 never returns from remap (it waits for a context that is
 * already running), so its result is that of the intended code: the
 * sub-flow may hold output operations of the catalogue whose spec is a
 * seed of the sub-flow.
 */
#include <string.h>

#include "ops.h"

/* One distinct `by` value: its first key, its last input, its group. */
typedef struct gb_entry {
	flow_val key;
	int k;
	flow_vec vals;
} gb_entry;

/* Python's hash equality of two hashable values (1 == 1.0 == True). */
static int
py_key_eq(flow_val a, flow_val b)
{
	if (a.kind == FLOW_BOOL)
		a = flow_int(a.u.b);
	if (b.kind == FLOW_BOOL)
		b = flow_int(b.u.b);
	if (flow_ops_is_num(a) && flow_ops_is_num(b))
		return flow_ops_num_cmp(a, b) == 0;
	if (a.kind != b.kind)
		return 0;
	if (a.kind == FLOW_STR)
		return flow_ops_str_cmp(a.u.s, b.u.s) == 0;
	return a.kind == FLOW_NULL;
}

/* The value of key `name` in map m, or NULL. */
static const flow_val *
field(const flow_map *m, const char *name)
{
	long j = flow_map_find(m, name, strlen(name));

	return j < 0 ? NULL : &m->vals[j];
}

/* The definition id the spec field names, or -1 (missing, not a string,
 * or never in the context: DFFML's DefinitionNotInContext). */
static int
spec_def(flow_opctx *c, const flow_map *m, const char *name)
{
	const flow_val *v = field(m, name);
	int d;

	if (v == NULL || v->kind != FLOW_STR)
		return -1;
	d = flow_net_def_by_name(c->net, v->u.s->s, v->u.s->len);
	return d >= 0 && flow_net_count(c->net, d) > 0 ? d : -1;
}

/* The distinct `by` values of definition bd, first key, last input. */
static int
gb_keys(flow_opctx *c, int bd, gb_entry *e, size_t *ne)
{
	int k, cnt = flow_net_count(c->net, bd);
	size_t i;

	*ne = 0;
	for (k = 0; k < cnt; k++) {
		flow_val v = flow_net_value(c->net, bd, k);
		if (v.kind == FLOW_ARRAY || v.kind == FLOW_MAP)
			return flow_fail(c, "group_by: unhashable type: '%s'",
			                 v.kind == FLOW_ARRAY ? "list" : "dict");
		for (i = 0; i < *ne && !py_key_eq(e[i].key, v); i++)
			;
		if (i == *ne) {
			e[i].key = v;
			e[i].vals.v = NULL;
			e[i].vals.n = e[i].vals.cap = 0;
			(*ne)++;
		}
		e[i].k = k;
	}
	return 0;
}

/* Python's < between two keys: 1 if a < b, 0 if not, -1 if the types
 * cannot be ordered (TypeError). */
static int
py_less(flow_val a, flow_val b)
{
	if (a.kind == FLOW_BOOL)
		a = flow_int(a.u.b);
	if (b.kind == FLOW_BOOL)
		b = flow_int(b.u.b);
	if (flow_ops_is_num(a) && flow_ops_is_num(b))
		return flow_ops_num_cmp(a, b) < 0;
	if (a.kind == FLOW_STR && b.kind == FLOW_STR)
		return flow_ops_str_cmp(a.u.s, b.u.s) < 0;
	return -1;
}

/* sorted() of the distinct keys (insertion sort; keys are unique). */
static int
gb_sort(flow_opctx *c, gb_entry *e, size_t ne)
{
	size_t i, j;
	int lt;

	for (i = 1; i < ne; i++)
		for (j = i; j > 0; j--) {
			gb_entry t;
			if ((lt = py_less(e[j].key, e[j - 1].key)) < 0)
				return flow_fail(c, "group_by: '<' not supported between "
				                 "%s and %s", flow_kind_name(e[j].key.kind),
				                 flow_kind_name(e[j - 1].key.kind));
			if (!lt)
				break;
			t = e[j], e[j] = e[j - 1], e[j - 1] = t;
		}
	return 0;
}

/* Python's list.insert(index, v) on vec. */
static void
py_insert(flow_arena *a, flow_vec *vec, int64_t index, flow_val v)
{
	size_t at, i;

	if (index < 0)
		index += (int64_t)vec->n;
	if (index < 0)
		index = 0;
	at = (uint64_t)index > vec->n ? vec->n : (size_t)index;
	flow_vec_push(a, vec, v);
	for (i = vec->n - 1; i > at; i--)
		vec->v[i] = vec->v[i - 1];
	vec->v[at] = v;
}

/* The output list: each group's values inserted at its key. */
static int
gb_list(flow_opctx *c, const gb_entry *e, size_t ne, flow_val *out)
{
	flow_vec list = {NULL, 0, 0};
	size_t i, j;

	for (i = 0; i < ne; i++) {
		flow_val key = e[i].key;
		if (e[i].vals.n > 0 && key.kind != FLOW_INT && key.kind != FLOW_BOOL)
			return flow_fail(c, "group_by: '%s' object cannot be "
			                 "interpreted as an integer",
			                 flow_kind_name(key.kind));
		for (j = 0; j < e[i].vals.n; j++)
			py_insert(c->arena, &list, key.kind == FLOW_INT ? key.u.i
			          : (int64_t)key.u.b, e[i].vals.v[j]);
	}
	*out = flow_vec_array(c->arena, &list);
	return 0;
}

/* Is the spec entry well formed (a map of group, by, nostrict only)? */
static int
gb_check(flow_opctx *c, flow_val sub)
{
	size_t i;

	if (sub.kind != FLOW_MAP)
		return flow_ops_bad(c, "spec values", "maps {group, by, nostrict}", sub);
	for (i = 0; i < sub.u.m->n; i++) {
		const flow_str *k = sub.u.m->keys[i];
		if (strcmp(k->s, "group") != 0 && strcmp(k->s, "by") != 0 &&
		    strcmp(k->s, "nostrict") != 0)
			return flow_fail(c, "group_by: unexpected spec field '%.*s'",
			                 flow_utf8_cut(k->s, 60), k->s);
	}
	return 0;
}

/* One spec entry: *skip when nostrict lets a missing definition go. */
static int
gb_one(flow_opctx *c, flow_val sub, flow_val *out, int *skip)
{
	const flow_val *ns;
	gb_entry *e;
	size_t ne, i;
	int gd, bd, j;

	if (gb_check(c, sub))
		return -1;
	ns = field(sub.u.m, "nostrict");
	gd = spec_def(c, sub.u.m, "group");
	bd = spec_def(c, sub.u.m, "by");
	if ((*skip = (gd < 0 || bd < 0) && ns != NULL && flow_truthy(*ns)))
		return 0;
	if (gd < 0 || bd < 0)
		return flow_fail(c, "group_by: definition '%s' never appeared in "
		                 "the context", gd < 0 ? "group" : "by");
	e = flow_alloc(c->arena, ((size_t)flow_net_count(c->net, bd) + 1) * sizeof *e);
	if (gb_keys(c, bd, e, &ne) || gb_sort(c, e, ne))
		return -1;
	for (j = 0; j < flow_net_count(c->net, gd); j++)
		for (i = 0; i < ne; i++)
			if (flow_net_has_ancestor(c->net, gd, j, bd, e[i].k))
				flow_vec_push(c->arena, &e[i].vals,
				              flow_net_value(c->net, gd, j));
	return gb_list(c, e, ne, out);
}

/* group_by: {output_name: [grouped values]} per spec entry. */
FLOW_STD(group_by)
{
	const flow_map *spec;
	flow_map *want;
	flow_val v;
	size_t i;
	int skip;

	if (c->net == NULL)
		return flow_fail(c, "output operations need the context network");
	if (args[0].kind != FLOW_MAP)
		return flow_ops_bad(c, "spec", "a map {output_name: {group, by}}", args[0]);
	spec = args[0].u.m;
	want = flow_map_new(c->arena, spec->n);
	for (i = 0; i < spec->n; i++) {
		if (gb_one(c, spec->vals[i], &v, &skip))
			return -1;
		if (!skip)
			flow_map_put(want, spec->keys[i], v);
	}
	*out = flow_mapv(want);
	return 0;
}

/* The value of the sub-flow's seed of definition name, or NULL. */
static const flow_val *
seed_of(const flow_val *flow, const flow_str *name)
{
	const flow_val *seeds = flow->kind == FLOW_MAP ? field(flow->u.m, "seed") : NULL;
	size_t i;

	for (i = 0; seeds != NULL && seeds->kind == FLOW_ARRAY && i < seeds->u.a->n; i++) {
		const flow_val *s = &seeds->u.a->items[i];
		const flow_val *d = s->kind == FLOW_MAP ? field(s->u.m, "definition") : NULL;
		if (d != NULL && d->kind == FLOW_STR &&
		    flow_ops_str_cmp(d->u.s, name) == 0)
			return field(s->u.m, "value");
	}
	return NULL;
}

/* Run one output operation of the sub-flow: the catalogue entry its name
 * gives, with its spec input taken from the sub-flow's seed. */
static int
remap_run(flow_opctx *c, const flow_val *flow, const flow_val *op, flow_val *res)
{
	const flow_val *name = field(op->u.m, "name"), *in = field(op->u.m, "inputs");
	const flow_val *cfg = field(op->u.m, "config"), *spec;
	const flow_impl *im;
	const void *saved = c->config;
	int rc;

	if (name == NULL || name->kind != FLOW_STR ||
	    (im = flow_stdlib_find(name->u.s->s)) == NULL ||
	    im->kind != FLOW_IMPL_NETWORK || im->fn == NULL)
		return flow_fail(c, "remap: the dataflow's output operations must be "
		                 "DFFML's (get_single, get_multi, associate, ...)");
	if (in == NULL || in->kind != FLOW_MAP || in->u.m->n != 1 ||
	    in->u.m->vals[0].kind != FLOW_STR ||
	    (spec = seed_of(flow, in->u.m->vals[0].u.s)) == NULL)
		return flow_fail(c, "remap: each output operation needs its spec "
		                 "seeded in the dataflow");
	c->config = cfg;
	rc = im->fn(c, spec, res);
	c->config = saved;
	return rc;
}

/* The sub-flow's results: {instance: result} over its output operations,
 * or the one result itself when there is one (as DFFML's run()). */
static int
remap_results(flow_opctx *c, const flow_val *flow, flow_val *out)
{
	const flow_val *ops = flow->kind == FLOW_MAP ? field(flow->u.m, "operations") : NULL;
	flow_map *r;
	flow_val res;
	size_t i;

	if (ops == NULL || ops->kind != FLOW_MAP)
		return flow_fail(c, "remap: the config needs a dataflow with operations");
	r = flow_map_new(c->arena, ops->u.m->n);
	for (i = 0; i < ops->u.m->n; i++) {
		const flow_val *op = &ops->u.m->vals[i];
		const flow_val *st = op->kind == FLOW_MAP ? field(op->u.m, "stage") : NULL;
		if (st == NULL || st->kind != FLOW_STR || strcmp(st->u.s->s, "output") != 0)
			continue;
		if (remap_run(c, flow, op, &res))
			return -1;
		flow_map_put(r, ops->u.m->keys[i], res);
	}
	*out = r->n == 1 ? r->vals[0] : flow_mapv(r);
	return 0;
}

/* remap: {name: the sub-flow's results walked along spec[name]}. */
FLOW_STD(remap)
{
	const flow_val *cfg = c->config, *flow = NULL;
	flow_val results, a[2], v;
	flow_map *want;
	size_t i;

	if (c->net == NULL)
		return flow_fail(c, "output operations need the context network");
	if (args[0].kind != FLOW_MAP)
		return flow_ops_bad(c, "spec", "a map {name: [keys]}", args[0]);
	if (cfg != NULL && cfg->kind == FLOW_MAP)
		flow = field(cfg->u.m, "dataflow");
	if (flow == NULL)
		return flow_fail(c, "remap: the config needs a dataflow");
	if (remap_results(c, flow, &results))
		return -1;
	want = flow_map_new(c->arena, args[0].u.m->n);
	for (i = 0; i < args[0].u.m->n; i++) {
		a[0] = results;
		a[1] = args[0].u.m->vals[i];
		if (a[1].kind != FLOW_ARRAY)
			return flow_ops_bad(c, "spec values", "lists of keys", a[1]);
		if (flow_std_mapping_extract(c, a, &v))
			return -1;
		flow_map_put(want, args[0].u.m->keys[i], v);
	}
	*out = flow_mapv(want);
	return 0;
}
