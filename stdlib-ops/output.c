/*
 * output.c: DFFML's output-stage built-ins get_single, get_multi,
 * associate and associate_definition (spec/stdlib-ops.md §8,
 * dffml-semantics.md §3.3).
 *
 * They read the context network through the flow_net interface of
 * flowrt.h: a definition is looked up by name among those whose inputs
 * were added to the context, its values come in insertion order, and
 * flow_net_ancestor searches an input's parents transitively.  Each
 * returns the inner mapping itself (not {"output": ...}); the
 * orchestrator merges it into the context's result.
 *
 * get_single/get_multi follow DFFML's GetMulti.run step by step: the
 * spec's {new: def} entries are noted as renames, every definition's
 * values are appended under its name (twice if it is named twice), the
 * renames are applied afterwards (the new key moves to the end), and a
 * definition that never appeared raises unless its name is in the
 * instance config's `nostrict` list.
 */
#include <string.h>

#include "ops.h"

/* One distinct definition named by a get_* spec, with its values. */
typedef struct got {
	const flow_str *name;
	flow_vec vals;
} got;

/* A renaming {new: def} of a get_* spec. */
typedef struct renaming {
	const flow_str *def, *to;
} renaming;

static int
str_eq(const flow_str *a, const flow_str *b)
{
	return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

/* The id of the definition called s if it has inputs in the context,
 * else -1. */
static int
def_of(flow_net *n, const flow_str *s)
{
	int d = flow_net_def_by_name(n, s->s, s->len);

	return d >= 0 && flow_net_count(n, d) > 0 ? d : -1;
}

/* The instance config's nostrict list (NULL when not configured). */
static int
nostrict_list(flow_opctx *c, const flow_array **out)
{
	const flow_val *cfg = c->config;
	long j;

	*out = NULL;
	if (cfg == NULL || cfg->kind == FLOW_NULL)
		return 0;
	if (cfg->kind != FLOW_MAP)
		return flow_fail(c, "the config must be a map");
	if ((j = flow_map_find(cfg->u.m, "nostrict", 8)) < 0 ||
	    cfg->u.m->vals[j].kind == FLOW_NULL)
		return 0;
	if (cfg->u.m->vals[j].kind != FLOW_ARRAY)
		return flow_fail(c, "nostrict must be a list of definition names");
	*out = cfg->u.m->vals[j].u.a;
	return 0;
}

/* Is the string s an item of list (which may be NULL)? */
static int
listed(const flow_array *list, const flow_str *s)
{
	size_t i;

	for (i = 0; list != NULL && i < list->n; i++)
		if (list->items[i].kind == FLOW_STR && str_eq(list->items[i].u.s, s))
			return 1;
	return 0;
}

/* The definition name of spec element e, noting a renaming in rn[*nrn]. */
static int
spec_name(flow_opctx *c, flow_val e, const flow_str **name, renaming *rn,
          size_t *nrn)
{
	if (e.kind == FLOW_STR) {
		*name = e.u.s;
		return 0;
	}
	if (e.kind != FLOW_MAP || e.u.m->n == 0 || e.u.m->vals[0].kind != FLOW_STR)
		return flow_fail(c, "spec items must be definition names or "
		                 "{new_name: definition} maps");
	*name = e.u.m->vals[0].u.s;
	rn[*nrn].def = *name;
	rn[(*nrn)++].to = e.u.m->keys[0];
	return 0;
}

/* Append every value of definition d to the entry for name in g[]. */
static void
collect(flow_opctx *c, got *g, size_t *ng, const flow_str *name, int d)
{
	size_t i;
	int k, cnt = flow_net_count(c->net, d);

	for (i = 0; i < *ng && !str_eq(g[i].name, name); i++)
		;
	if (i == *ng) {
		g[i].name = name;
		g[i].vals.v = NULL;
		g[i].vals.n = g[i].vals.cap = 0;
		(*ng)++;
	}
	for (k = 0; k < cnt; k++)
		flow_vec_push(c->arena, &g[i].vals, flow_net_value(c->net, d, k));
}

/* Look up every definition of the spec and collect its values into g[]
 * (one entry per distinct name) and the renames into rn[]. */
static int
gather(flow_opctx *c, const flow_array *spec, got *g, size_t *ng,
       renaming *rn, size_t *nrn)
{
	const flow_array *nostrict;
	const flow_str *name = NULL;
	size_t i;
	int d;

	if (nostrict_list(c, &nostrict))
		return -1;
	for (i = 0; i < spec->n; i++) {
		if (spec_name(c, spec->items[i], &name, rn, nrn))
			return -1;
		if ((d = def_of(c->net, name)) >= 0)
			collect(c, g, ng, name, d);
		else if (!listed(nostrict, name))
			return flow_fail(c, "definition '%.*s' never appeared in "
			                 "the context: %s", flow_utf8_cut(name->s, 80), name->s,
			                 flow_net_why_absent(c->net,
			                 flow_net_def_by_name(c->net, name->s, name->len)));
	}
	return 0;
}

/* The new name of definition def: the last renaming of it, or NULL (an
 * empty new name does not renaming, as in DFFML). */
static const flow_str *
renamed(const renaming *rn, size_t nrn, const flow_str *def)
{
	while (nrn-- > 0)
		if (str_eq(rn[nrn].def, def))
			return rn[nrn].to->len > 0 ? rn[nrn].to : NULL;
	return NULL;
}

/* Remove entry j of m (a map still being built). */
static void
map_del(flow_map *m, size_t j)
{
	for (; j + 1 < m->n; j++) {
		m->keys[j] = m->keys[j + 1];
		m->vals[j] = m->vals[j + 1];
	}
	m->n--;
}

/* DFFML's renaming loop: for each (key, value) of the map as it was, if key
 * is renamed: want[new] = value, then del want[key]. */
static void
apply_renames(flow_map *m, const got *g, const flow_val *v, size_t ng,
              const renaming *rn, size_t nrn)
{
	size_t i;
	long j;

	for (i = 0; i < ng; i++) {
		const flow_str *to = renamed(rn, nrn, g[i].name);

		if (to == NULL)
			continue;
		flow_map_put(m, to, v[i]);
		j = flow_map_find(m, g[i].name->s, g[i].name->len);
		if (j >= 0)
			map_del(m, (size_t)j);
	}
}

/* The result map of get_single (last value) or get_multi (all values). */
static flow_val
result_map(flow_opctx *c, const got *g, size_t ng, const renaming *rn,
           size_t nrn, int single)
{
	flow_map *m = flow_map_new(c->arena, 2 * ng);
	flow_val *v = flow_alloc(c->arena, (ng + 1) * sizeof *v);
	size_t i;

	for (i = 0; i < ng; i++) {
		v[i] = single ? g[i].vals.v[g[i].vals.n - 1]
		              : flow_vec_array(c->arena, &g[i].vals);
		flow_map_put(m, g[i].name, v[i]);
	}
	apply_renames(m, g, v, ng, rn, nrn);
	return flow_mapv(m);
}

/* get_single and get_multi. */
static int
get(flow_opctx *c, const flow_val *args, flow_val *out, int single)
{
	const flow_array *spec;
	renaming *rn;
	size_t ng = 0, nrn = 0;
	got *g;

	if (c->net == NULL)
		return flow_fail(c, "output operations need the context network");
	if (args[0].kind != FLOW_ARRAY)
		return flow_ops_bad(c, "spec", "a list of definition names", args[0]);
	spec = args[0].u.a;
	g = flow_alloc(c->arena, (spec->n + 1) * sizeof *g);
	rn = flow_alloc(c->arena, (spec->n + 1) * sizeof *rn);
	if (gather(c, spec, g, &ng, rn, &nrn))
		return -1;
	*out = result_map(c, g, ng, rn, nrn, single);
	return 0;
}

/* get_single: {name: most recently added value} per spec definition. */
FLOW_STD(get_single)
{
	return get(c, args, out, 1);
}

/* get_multi: {name: [every value, in insertion order]}. */
FLOW_STD(get_multi)
{
	return get(c, args, out, 0);
}

/* A one-entry map {k: v}. */
static flow_val
map1(flow_arena *a, const flow_str *k, flow_val v)
{
	flow_map *m = flow_map_new(a, 1);

	flow_map_put(m, k, v);
	return flow_mapv(m);
}

/* {ancestor value of key_def: value} for each input of value_def. */
static int
associate_values(flow_opctx *c, int kd, int vd, flow_val *out)
{
	int k, cnt = flow_net_count(c->net, vd);
	flow_map *want = flow_map_new(c->arena, (size_t)cnt);
	flow_ops_strtab t;
	flow_val anc;

	flow_ops_strtab_init(&t, (size_t)cnt);
	for (k = 0; k < cnt; k++) {
		if (!flow_net_ancestor(c->net, vd, k, kd, &anc))
			continue;
		if (anc.kind != FLOW_STR) {
			flow_ops_strtab_free(&t);
			return flow_fail(c, "associate: the key definition's values"
			                 " must be strings");
		}
		flow_ops_map_put(want, &t, anc.u.s, flow_net_value(c->net, vd, k));
	}
	flow_ops_strtab_free(&t);
	*out = flow_mapv(want);
	return 0;
}

/* associate: spec [key_def, value_def] gives {value_def: {key: value}},
 * or {value_def: {}} if either never appeared. */
FLOW_STD(associate)
{
	const flow_array *spec;
	flow_val want;
	int kd, vd;

	if (c->net == NULL)
		return flow_fail(c, "output operations need the context network");
	spec = args[0].kind == FLOW_ARRAY ? args[0].u.a : NULL;
	if (spec == NULL || spec->n != 2 || spec->items[0].kind != FLOW_STR ||
	    spec->items[1].kind != FLOW_STR)
		return flow_ops_bad(c, "spec", "[key_definition, value_definition]", args[0]);
	kd = def_of(c->net, spec->items[0].u.s);
	vd = def_of(c->net, spec->items[1].u.s);
	if (kd < 0 || vd < 0)
		want = flow_mapv(flow_map_new(c->arena, 0));
	else if (associate_values(c, kd, vd, &want))
		return -1;
	*out = map1(c->arena, spec->items[1].u.s, want);
	return 0;
}

/* {key: {}} for every key of spec. */
static flow_val
empty_maps(flow_arena *a, const flow_map *spec)
{
	flow_map *m = flow_map_new(a, spec->n);
	size_t i;

	for (i = 0; i < spec->n; i++)
		flow_map_put(m, spec->keys[i], flow_mapv(flow_map_new(a, 0)));
	return flow_mapv(m);
}

/* Definition ids of every key and value of spec; 0, or 1 if one of them
 * never appeared. */
static int
spec_defs(flow_net *n, const flow_map *spec, int *kd, int *vd)
{
	size_t i;

	for (i = 0; i < spec->n; i++) {
		kd[i] = def_of(n, spec->keys[i]);
		vd[i] = def_of(n, spec->vals[i].u.s);
		if (kd[i] < 0 || vd[i] < 0)
			return 1;
	}
	return 0;
}

/* associate_definition: spec {key_def: value_def, ...} gives {key_def:
 * the last value of value_def that has a key_def ancestor}. */
FLOW_STD(associate_definition)
{
	const flow_map *spec;
	flow_map *want;
	flow_val anc;
	int *kd, *vd, k;
	size_t i;

	if (c->net == NULL)
		return flow_fail(c, "output operations need the context network");
	if (args[0].kind != FLOW_MAP)
		return flow_ops_bad(c, "spec", "a map {key_definition: value_definition}", args[0]);
	spec = args[0].u.m;
	for (i = 0; i < spec->n; i++)
		if (spec->vals[i].kind != FLOW_STR)
			return flow_ops_bad(c, "spec values", "definition names", spec->vals[i]);
	kd = flow_alloc(c->arena, (spec->n + 1) * sizeof *kd);
	vd = flow_alloc(c->arena, (spec->n + 1) * sizeof *vd);
	if (spec_defs(c->net, spec, kd, vd)) {
		*out = empty_maps(c->arena, spec);
		return 0;
	}
	want = flow_map_new(c->arena, spec->n);
	for (i = 0; i < spec->n; i++)
		for (k = 0; k < flow_net_count(c->net, vd[i]); k++)
			if (flow_net_ancestor(c->net, vd[i], k, kd[i], &anc))
				flow_map_put(want, spec->keys[i],
				             flow_net_value(c->net, vd[i], k));
	*out = flow_mapv(want);
	return 0;
}
