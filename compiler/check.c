/*
 * check.c: resolve the manifest into the graph IR and report, as many as
 * it finds, the problems DFFML would hit only at run time or never.
 *
 * In order: definitions (names, primitives, defaults), operations
 * (implementation, declared inputs/outputs against the catalogue, types),
 * the flow section (or DFFML's auto flow when it is absent), seeds,
 * configs and validators; then whole-graph rules in graph.c (cycles,
 * operations that can never run, the default-first crash, output specs).
 * Every diagnostic points at the manifest node at fault.
 */
#include <string.h>
#include "flowc.h"

typedef struct Checker {
	DiagSink *d;
	Manifest *m;
	Graph *g;
	const CheckOpts *o;
	StrMap keys;            /* `definitions` key -> id (linked references) */
	int wiring;             /* a parameter is being wired (not a condition) */
	const char *inst, *param; /* that parameter */
	flow_type takes;        /* what its operation takes there */
	int takes_known;        /* from the catalogue (not a label) */
} Checker;

/* ---- definitions ---------------------------------------------------- */

static int
is_hashable(const Node *n)
{
	return n->kind != NODE_SEQ && n->kind != NODE_MAP;
}

/* Enter one AstDef into the graph (first one wins; an inline duplicate
 * with other fields gets a warning). */
static int
add_def(Checker *c, AstDef *a)
{
	Graph *g = c->g;
	int id;
	IrDef *d;

	if (!a || !a->name)
		return -1;
	id = ir_def(g, a->name);
	if (a->key && id >= 0 && g->defs[id].declared)
		sm_put(&c->keys, a->key, id);
	if (id >= 0 && g->defs[id].declared) {
		d = &g->defs[id];
		if (a->primitive && d->primitive && strcmp(a->primitive->s, d->primitive) != 0) {
			diag_warning(c->d, a->pos, "definition '%s' is declared again with "
			    "primitive '%s'; flowc uses the first", a->name, a->primitive->s);
			diag_note(c->d, d->pos, "first declared here");
		}
		return id;
	}
	id = ir_intern_def(g, a->name, a->pos);
	if (a->key)
		sm_put(&c->keys, a->key, id);
	d = &g->defs[id];
	d->declared = 1;
	d->pos = a->pos;
	d->primitive = a->primitive ? a->primitive->s : NULL;
	d->type = ty_from_primitive(d->primitive);
	d->lock = a->lock;
	if (a->dflt) {
		if (!is_hashable(a->dflt)) {
			diag_error(c->d, a->dflt->pos, "the default of definition '%s' is a %s; "
			    "DFFML cannot build a dataflow whose definition defaults are unhashable",
			    a->name, node_kind_name(a->dflt->kind));
		}
		d->has_default = 1;
		d->dflt = node_value(cc_arena, a->dflt);
		if (!flow_type_accepts(d->type, d->dflt.kind))
			diag_warning(c->d, a->dflt->pos, "default of '%s' is a %s, but its "
			    "primitive is %s", a->name, node_kind_name(a->dflt->kind), d->primitive);
	}
	return id;
}

static const char **
def_names(const Graph *g)
{
	const char **v = xalloc(sizeof(char *) * (size_t)(g->ndefs + 1));
	int i;

	for (i = 0; i < g->ndefs; i++)
		v[i] = g->defs[i].declared ? g->defs[i].name : "";
	return v;
}

/* The keys of `definitions` (a hash table's slots: "" for an empty one). */
static const char **
key_names(const Checker *c)
{
	const char **v = xalloc(sizeof(char *) * (size_t)(c->keys.cap + 1));
	int i;

	for (i = 0; i < c->keys.cap; i++)
		v[i] = c->keys.k[i] ? c->keys.k[i] : "";
	return v;
}

/* The key under which the definition named name is declared, when that
 * key is another string; NULL otherwise. */
static const char *
key_of_name(const Checker *c, const char *name)
{
	int i;

	for (i = 0; i < c->keys.cap; i++)
		if (c->keys.k[i] && strcmp(c->keys.k[i], name) != 0 &&
		    strcmp(c->g->defs[c->keys.v[i]].name, name) == 0)
			return c->keys.k[i];
	return NULL;
}

/* Resolve a definition reference to an id, or -1 after a diagnostic. */
static int
resolve_ref(Checker *c, const AstRef *r, const char *what)
{
	const char *key;
	int id;

	if (r->inline_def)
		return add_def(c, r->inline_def);
	if (!r->def)
		return -1;      /* reported when it was read */
	if ((id = sm_get(&c->keys, r->def)) >= 0)
		return id;
	if ((key = key_of_name(c, r->def)) != NULL) {
		diag_error(c->d, r->defpos, "%s refers to undefined definition '%s'; the definition "
		    "named '%s' is declared under the key '%s', which is what a reference names",
		    what, r->def, r->def, key);
		return -1;
	}
	const char *near = closest_name(r->def, key_names(c), c->keys.cap);
	if (near)
		diag_error(c->d, r->defpos, "%s refers to undefined definition '%s'; did you mean '%s'?",
		    what, r->def, near);
	else
		diag_error(c->d, r->defpos, "%s refers to undefined definition '%s'", what, r->def);
	return -1;
}

/* ---- operations ----------------------------------------------------- */

static const char **
catalogue_names(void)
{
	static const char *v[256];
	int i;

	for (i = 0; i < flow_stdlib_count && i < 255; i++)
		v[i] = flow_stdlib[i].name;
	return v;
}

static const flow_impl *
find_impl(Checker *c, const char *name, int *user)
{
	int i;

	*user = 0;
	for (i = 0; i < c->o->nuser; i++)
		if (strcmp(c->o->user[i]->name, name) == 0) {
			*user = 1;
			return c->o->user[i];
		}
	return flow_stdlib_find(name);
}

static int
impl_param(const flow_impl *im, const char *name)
{
	int i;

	for (i = 0; i < im->nparam; i++)
		if (strcmp(im->params[i], name) == 0)
			return i;
	return -1;
}

/* Declared inputs against the implementation's parameters. */
static void
check_decl_inputs(Checker *c, IrOp *op, const AstOp *a)
{
	const flow_impl *im = op->impl;
	int i;

	for (i = 0; i < op->ndecl; i++) {
		int k = impl_param(im, op->decl_names[i]);
		IrDef *d;
		if (k < 0) {
			const char *near = closest_name(op->decl_names[i], (const char **)im->params, im->nparam);
			diag_error(c->d, op->decl_pos[i], "operation '%s' has no input '%s'%s%s%s",
			    im->name, op->decl_names[i], near ? "; did you mean '" : "",
			    near ? near : "", near ? "'?" : "");
			continue;
		}
		if (op->decl_defs[i] < 0)
			continue;
		d = &c->g->defs[op->decl_defs[i]];
		/* Only labels disagree; DFFML never checks them. */
		if (!ty_compatible(d->type, im->param_types[k]))
			diag_warning(c->d, a->inputs[i].defpos, "input '%s' of '%s' takes %s, "
			    "but definition '%s' says %s", op->decl_names[i], im->name,
			    flow_type_name(im->param_types[k]), d->name, d->primitive);
	}
	for (i = 0; i < im->nparam; i++) {
		int k;
		for (k = 0; k < op->ndecl; k++)
			if (strcmp(op->decl_names[k], im->params[i]) == 0)
				break;
		if (k == op->ndecl)
			diag_error(c->d, op->pos, "operation instance '%s' does not declare "
			    "input '%s' of '%s'", op->inst, im->params[i], im->name);
	}
}

static void
check_decl_outputs(Checker *c, IrOp *op)
{
	const flow_impl *im = op->impl;
	int i;

	if (!im->out)
		return;
	for (i = 0; i < op->nout; i++) {
		IrDef *d;
		if (strcmp(op->out[i].name, im->out) != 0) {
			diag_error(c->d, op->out[i].pos, "operation '%s' has one output, '%s', not '%s'",
			    im->name, im->out, op->out[i].name);
			continue;
		}
		if (op->out[i].def < 0 || op->out[i].expand)
			continue;       /* an expanded output's definition is per element */
		d = &c->g->defs[op->out[i].def];
		if (!ty_compatible(im->out_type, d->type))
			diag_warning(c->d, op->out[i].pos, "output '%s' of '%s' is %s, but "
			    "definition '%s' says %s", im->out, im->name,
			    flow_type_name(im->out_type), d->name, d->primitive);
	}
}

static void
read_expand(Checker *c, IrOp *op, const AstOp *a)
{
	int i, k;

	for (i = 0; a->expand && i < a->expand->n; i++) {
		Node *e = a->expand->items[i];
		if (e->kind != NODE_STR)
			continue;
		for (k = 0; k < op->nout; k++)
			if (strcmp(op->out[k].name, e->s) == 0)
				break;
		if (k == op->nout) {
			diag_error(c->d, e->pos, "'expand' names '%s', which is not an output of '%s'",
			    e->s, op->inst);
			continue;
		}
		op->out[k].expand = 1;
		if (op->impl && op->impl->out && !(op->impl->out_type == FLOW_T_ARRAY ||
		    op->impl->out_type == FLOW_T_STR || op->impl->out_type == FLOW_T_MAP ||
		    op->impl->out_type == FLOW_T_ANY))
			diag_error(c->d, e->pos, "'%s' returns %s, which cannot be expanded",
			    op->impl->name, flow_type_name(op->impl->out_type));
	}
}

/* A user-visible name for an implementation-less op (graph drawing). */
static const flow_impl *
placeholder_impl(IrOp *op)
{
	flow_impl *im = xalloc(sizeof *im);
	const char **params = xalloc(sizeof(char *) * (size_t)(op->ndecl + 1));
	flow_type *types = xalloc(sizeof(flow_type) * (size_t)(op->ndecl + 1));
	int i;

	for (i = 0; i < op->ndecl; i++) {
		params[i] = op->decl_names[i];
		types[i] = FLOW_T_ANY;
	}
	im->name = op->opname;
	im->kind = FLOW_IMPL_PURE;
	im->fails = FLOW_FAILS_DOMAIN | FLOW_FAILS_TYPE;
	im->nparam = op->ndecl;
	im->params = params;
	im->param_defs = params;
	im->param_types = types;
	im->out = op->nout == 1 ? op->out[0].name : NULL;
	im->out_type = FLOW_T_ANY;
	return im;
}

/* dffml.dataflow.run keeps DFFML's default inputs ({inputs: flow_inputs,
 * "Dict[str,Any]"}, compared as DFFML compares Definitions) or is
 * redefined: then it runs its subflow as if it were an operation. */
static int
subflow_default(const Checker *c, const IrOp *op)
{
	const IrDef *d;

	if (op->ndecl != 1 || strcmp(op->decl_names[0], "inputs") != 0 || op->decl_defs[0] < 0)
		return 0;
	d = &c->g->defs[op->decl_defs[0]];
	return strcmp(d->name, "flow_inputs") == 0 && d->primitive &&
	    strcmp(d->primitive, "Dict[str,Any]") == 0;
}

/* The implementation of a redefined dffml.dataflow.run: its own inputs
 * and outputs, results as a map keyed by output name. */
static const flow_impl *
subflow_custom(Checker *c, IrOp *op)
{
	flow_impl *im = (flow_impl *)placeholder_impl(op);

	im->kind = FLOW_IMPL_SUBFLOW;
	im->out = NULL;
	if (op->ndecl == 0 || op->decl_defs[0] < 0 ||
	    c->g->defs[op->decl_defs[0]].type != FLOW_T_STR)
		diag_error(c->d, op->ndecl ? op->decl_pos[0] : op->pos, "a redefined "
		    "%s takes the subflow's context name as its first input, "
		    "which must be a str (DFFML raises InvalidCustomRunDataFlowContext)", op->opname);
	return im;
}

static void
resolve_impl(Checker *c, IrOp *op)
{
	const flow_impl *std;

	if (!op->opname)
		return;
	std = flow_stdlib_find(op->opname);
	if (std && std->kind == FLOW_IMPL_SUBFLOW && !subflow_default(c, op)) {
		op->impl = subflow_custom(c, op);
		return;
	}
	op->impl = find_impl(c, op->opname, &op->user);
	if (op->impl || c->o->allow_unimplemented) {
		if (!op->impl)
			op->impl = placeholder_impl(op);
		return;
	}
	const char *near = closest_name(op->opname, catalogue_names(), flow_stdlib_count);
	diag_error(c->d, op->namepos, "operation '%s' has no implementation: it is not in "
	    "the standard catalogue%s%s%s and no --ops file defines it", op->opname,
	    near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
}

static void
read_op(Checker *c, const AstOp *a, IrOp *op)
{
	int i;

	op->inst = a->inst;
	op->opname = a->name;
	op->pos = a->pos;
	op->namepos = a->namepos;
	op->stage = a->stage;
	op->retry = a->retry;
	op->validator = a->validator;
	op->ndecl = a->ninputs;
	op->decl_names = xalloc(sizeof(char *) * (size_t)(a->ninputs + 1));
	op->decl_defs = xalloc(sizeof(int) * (size_t)(a->ninputs + 1));
	op->decl_pos = xalloc(sizeof(Pos) * (size_t)(a->ninputs + 1));
	for (i = 0; i < a->ninputs; i++) {
		op->decl_names[i] = a->inputs[i].key;
		op->decl_pos[i] = a->inputs[i].keypos;
		op->decl_defs[i] = resolve_ref(c, &a->inputs[i], xprintf("input '%s' of '%s'", a->inputs[i].key, a->inst));
	}
	op->nout = a->noutputs;
	op->out = xalloc(sizeof(IrOut) * (size_t)(a->noutputs + 1));
	for (i = 0; i < a->noutputs; i++) {
		op->out[i].name = a->outputs[i].key;
		op->out[i].pos = a->outputs[i].keypos;
		op->out[i].def = resolve_ref(c, &a->outputs[i], xprintf("output '%s' of '%s'", a->outputs[i].key, a->inst));
	}
	op->ncdecl = a->nconds;
	op->cdecl = xalloc(sizeof(int) * (size_t)(a->nconds + 1));
	for (i = 0; i < a->nconds; i++)
		op->cdecl[i] = resolve_ref(c, &a->conds[i], xprintf("a condition of '%s'", a->inst));
	resolve_impl(c, op);
	read_expand(c, op, a);
	if (op->impl && !op->user && op->opname && flow_stdlib_find(op->opname)) {
		check_decl_inputs(c, op, a);
		check_decl_outputs(c, op);
	}
}

static void
read_ops(Checker *c)
{
	Graph *g = c->g;
	StrMap seen = {0, 0, 0, 0};
	int i, j;

	g->ops = xalloc(sizeof(IrOp) * (size_t)(c->m->nops + 1));
	for (i = 0; i < c->m->nops; i++) {
		if (sm_get(&seen, c->m->ops[i].inst) >= 0)
			continue;       /* duplicate keys are reported by the loader */
		sm_put(&seen, c->m->ops[i].inst, i);
		read_op(c, &c->m->ops[i], &g->ops[g->nops++]);
	}
	for (i = 0; i < g->nops; i++)
		for (j = 0; j < g->ops[i].nout; j++)
			g->ops[i].out[j].origin = ir_origin(g, xprintf("%s.%s", g->ops[i].inst,
			    g->ops[i].out[j].name), i, j);
}

/* ---- the flow section ----------------------------------------------- */

static const char **
op_names(const Graph *g)
{
	const char **v = xalloc(sizeof(char *) * (size_t)(g->nops + 1));
	int i;

	for (i = 0; i < g->nops; i++)
		v[i] = g->ops[i].inst;
	return v;
}

static int
decl_index(const IrOp *op, const char *name)
{
	int i;

	for (i = 0; i < op->ndecl; i++)
		if (strcmp(op->decl_names[i], name) == 0)
			return i;
	return -1;
}

static int
out_index(const IrOp *op, const char *name)
{
	int i;

	for (i = 0; i < op->nout; i++)
		if (strcmp(op->out[i].name, name) == 0)
			return i;
	return -1;
}

typedef struct SrcList {
	IrSrc *v;
	int n, cap;
} SrcList;

static IrSrc *
src_new(SrcList *l)
{
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 4;
		IrSrc *nv = xalloc(sizeof(IrSrc) * (size_t)cap);
		if (l->n)
			memcpy(nv, l->v, sizeof(IrSrc) * (size_t)l->n);
		l->v = nv;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(IrSrc));
	return &l->v[l->n++];
}

static int *
one_name(int def)
{
	int *v = xalloc(sizeof(int));
	*v = def;
	return v;
}

/* What a producer really yields and what a consumer really takes: the
 * catalogue's types where it knows them, else the definitions' labels.
 * A contradiction between catalogue types is an error (every run would
 * fail); one that involves a label is a warning (DFFML never checks
 * labels, and the values may not follow them).  An expanded output's
 * definition describes the whole, not its elements: not checked. */
static void
check_wire(Checker *c, Node *key, Node *val, const IrOp *prod, int o, int want)
{
	const Graph *g = c->g;
	const IrDef *from, *to = &g->defs[want];
	int known = prod->impl && !prod->user && prod->impl->out &&
	    flow_stdlib_find(prod->impl->name) && c->takes_known;
	flow_type ft, tt;

	if (prod->out[o].def < 0 || prod->out[o].expand)
		return;
	from = &g->defs[prod->out[o].def];
	ft = known ? prod->impl->out_type : from->type;
	tt = known ? c->takes : to->type;
	if (ty_compatible(ft, tt))
		return;
	if (known) {
		diag_error(c->d, key->pos, "'%s' output '%s' is %s, but input '%s' of "
		    "'%s' takes %s", key->s, val->s, flow_type_name(ft), c->param,
		    c->inst, flow_type_name(tt));
	} else {
		diag_warning(c->d, key->pos, "'%s' output '%s' is definition '%s' (%s), "
		    "but this input takes '%s' (%s)", key->s, val->s, from->name,
		    from->primitive, to->name, to->primitive);
	}
	diag_note(c->d, from->pos, "definition '%s' declared here", from->name);
}

/* {producer: output}: the origin and the definition it produces, or -1
 * after a diagnostic.  `want` is the consumer's definition (or -1). */
static int
output_source(Checker *c, Node *key, Node *val, int want, IrSrc *s)
{
	Graph *g = c->g;
	int p = ir_op(g, key->s), o;

	if (p < 0) {
		const char *near = closest_name(key->s, op_names(g), g->nops);
		diag_error(c->d, key->pos, "flow source names unknown operation instance '%s'%s%s%s",
		    key->s, near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
		return -1;
	}
	if ((o = out_index(&g->ops[p], val->s)) < 0) {
		const char **outs = xalloc(sizeof(char *) * (size_t)(g->ops[p].nout + 1));
		int k;
		for (k = 0; k < g->ops[p].nout; k++)
			outs[k] = g->ops[p].out[k].name;
		const char *near = closest_name(val->s, outs, g->ops[p].nout);
		diag_error(c->d, val->pos, "operation instance '%s' has no output '%s'%s%s%s",
		    key->s, val->s, near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
		return -1;
	}
	s->origin = g->ops[p].out[o].origin;
	s->nnames = 1;
	s->names = one_name(g->ops[p].out[o].def);
	s->pos = key->pos;
	if (c->wiring && want >= 0)
		check_wire(c, key, val, &g->ops[p], o, want);
	return 0;
}

/* {origin: [def, ...]}: alternate definitions from a string origin. */
static int
alternate_source(Checker *c, Node *key, Node *val, IrSrc *s)
{
	Graph *g = c->g;
	int i;

	if (ir_op(g, key->s) >= 0)
		diag_warning(c->d, key->pos, "'%s' is an operation instance: alternate "
		    "definitions only match string origins, so this never matches", key->s);
	s->origin = ir_origin(g, key->s, -1, -1);
	s->names = xalloc(sizeof(int) * (size_t)(val->n + 1));
	s->pos = key->pos;
	for (i = 0; i < val->n; i++) {
		if (val->items[i]->kind != NODE_STR) {
			diag_error(c->d, val->items[i]->pos, "alternate definitions must be names");
			return -1;
		}
		if (ir_def(g, val->items[i]->s) < 0 || !g->defs[ir_def(g, val->items[i]->s)].declared) {
			const char *near = closest_name(val->items[i]->s, def_names(g), g->ndefs);
			diag_warning(c->d, val->items[i]->pos, "alternate definition '%s' is not declared "
			    "in 'definitions': only a context input naming it exactly matches it%s%s%s", val->items[i]->s,
			    near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
		}
		s->names[s->nnames++] = ir_intern_def(g, val->items[i]->s, val->items[i]->pos);
	}
	return 0;
}

/* Sources from one mapping (each entry an alternative). */
static void
map_sources(Checker *c, Node *n, int want, SrcList *out, int *join)
{
	int i;

	for (i = 0; i < n->n; i++) {
		Node *k = n->keys[i], *v = n->items[i];
		IrSrc s;
		memset(&s, 0, sizeof s);
		if (v->kind == NODE_STR) {
			if (output_source(c, k, v, want, &s) < 0)
				continue;
		} else if (v->kind == NODE_SEQ) {
			if (alternate_source(c, k, v, &s) < 0)
				continue;
		} else {
			diag_error(c->d, v->pos, "a flow source maps an instance to an output "
			    "name, or an origin to a list of definitions");
			continue;
		}
		s.join = *join;
		*join = 1;
		*src_new(out) = s;
	}
}

/* Origins of an ancestor chain: every entry after the first one. */
static void
chain_sources(Checker *c, Node *list, SrcList *out, int first)
{
	int *anc, nanc = 0, i, j, k = 0, most = 0;

	for (i = 0; i < list->n; i++)   /* an origin per string or mapping entry */
		most += list->items[i]->kind == NODE_MAP ? list->items[i]->n : 1;
	anc = xalloc(sizeof(int) * (size_t)(most + 1));
	for (i = 0; i < list->n; i++) {
		Node *e = list->items[i];
		if (e->kind == NODE_STR) {
			if (k++ > 0)
				anc[nanc++] = ir_origin(c->g, e->s, -1, -1);
			continue;
		}
		if (e->kind != NODE_MAP) {
			diag_error(c->d, e->pos, "an ancestor chain lists origins");
			continue;
		}
		for (j = 0; j < e->n; j++) {
			IrSrc s;
			if (k++ == 0)
				continue;
			if (e->items[j]->kind != NODE_STR) {
				diag_error(c->d, e->items[j]->pos, "only the first entry of an "
				    "ancestor chain may use alternate definitions");
				continue;
			}
			memset(&s, 0, sizeof s);
			if (output_source(c, e->keys[j], e->items[j], -1, &s) == 0)
				anc[nanc++] = s.origin;
		}
	}
	for (i = first; i < out->n; i++) {
		out->v[i].anc = anc;
		out->v[i].nanc = nanc;
	}
}

/* One entry of a source list.  `names` is what a string source matches. */
static void
source_entry(Checker *c, Node *e, int want, SrcList *out, int join)
{
	int first = out->n;

	if (e->kind == NODE_STR) {
		IrSrc *s = src_new(out);
		s->origin = ir_origin(c->g, e->s, -1, -1);
		s->nnames = want >= 0;
		s->names = one_name(want);
		s->pos = e->pos;
		s->join = join;
	} else if (e->kind == NODE_MAP) {
		map_sources(c, e, want, out, &join);
	} else if (e->kind == NODE_SEQ) {
		if (e->n == 0 || e->items[0]->kind != NODE_MAP) {
			diag_error(c->d, e->pos, "an ancestor chain must start with a mapping "
			    "(DFFML crashes on this flow)");
			return;
		}
		map_sources(c, e->items[0], want, out, &join);
		chain_sources(c, e, out, first);
	} else {
		diag_error(c->d, e->pos, "a flow source is 'seed' (or another origin), "
		    "{instance: output}, {origin: [definitions]} or an ancestor list");
	}
}

/* Wirings DFFML accepts that cannot do what they say: an integer input
 * of a catalogue operation declared with a float definition (every
 * float value fails, and the result is an int), and an empty source
 * list without a default (the operation never runs). */
static void
param_warnings(Checker *c, const IrOp *op, const IrParam *p, Node *k, Node *v)
{
	const IrDef *d = p->def >= 0 ? &c->g->defs[p->def] : NULL;

	if (d && c->takes_known && c->takes == FLOW_T_INT && d->type == FLOW_T_FLOAT)
		diag_warning(c->d, k->pos, "input '%s' of '%s' takes int, but its definition '%s' "
		    "is float: every float value fails ('%s' is integer arithmetic)", p->name,
		    op->inst, d->name, op->impl->name);
	if (d && v->kind == NODE_SEQ && v->n == 0 && !d->has_default)
		diag_warning(c->d, k->pos, "input '%s' of '%s' has no sources and definition "
		    "'%s' has no default: '%s' never runs", p->name, op->inst, d->name, op->inst);
}

static void
flow_params(Checker *c, IrOp *op, Node *inputs)
{
	int i, j;

	op->params = xalloc(sizeof(IrParam) * (size_t)(inputs->n + 1));
	for (i = 0; i < inputs->n; i++) {
		Node *k = inputs->keys[i], *v = inputs->items[i];
		int di = decl_index(op, k->s);
		IrParam *p;
		SrcList l = {0, 0, 0};
		if (di < 0) {
			const char *near = closest_name(k->s, op->decl_names, op->ndecl);
			diag_error(c->d, k->pos, "operation instance '%s' has no input '%s'%s%s%s",
			    op->inst, k->s, near ? "; did you mean '" : "", near ? near : "",
			    near ? "'?" : "");
			continue;
		}
		if (op->impl && !op->user && impl_param(op->impl, k->s) < 0)
			continue;       /* not the catalogue's: reported with the op */
		p = &op->params[op->nparam++];
		p->name = k->s;
		p->pos = k->pos;
		p->def = op->decl_defs[di];
		p->argpos = op->impl && !op->user ? impl_param(op->impl, k->s) : di;
		c->wiring = 1;
		c->inst = op->inst;
		c->param = p->name;
		c->takes_known = op->impl && !op->user && flow_stdlib_find(op->impl->name);
		c->takes = c->takes_known ? op->impl->param_types[p->argpos] : FLOW_T_ANY;
		if (!c->takes_known && p->def >= 0)
			c->takes = c->g->defs[p->def].type;
		param_warnings(c, op, p, k, v);
		for (j = 0; v->kind == NODE_SEQ && j < v->n; j++)
			source_entry(c, v->items[j], p->def, &l, 0);
		c->wiring = 0;
		p->src = l.v;
		p->nsrc = l.n;
	}
}

static void
flow_conditions(Checker *c, IrOp *op, Node *conds)
{
	SrcList l = {0, 0, 0};
	int i;

	for (i = 0; i < conds->n; i++) {
		int want = i < op->ncdecl ? op->cdecl[i] : -1;
		if (i >= op->ncdecl && conds->items[i]->kind == NODE_STR)
			diag_error(c->d, conds->items[i]->pos, "condition %d of '%s' comes from "
			    "'%s', but '%s' declares only %d condition%s (DFFML raises IndexError)",
			    i + 1, op->inst, conds->items[i]->s, op->inst, op->ncdecl,
			    op->ncdecl == 1 ? "" : "s");
		if (want >= 0 && c->g->defs[want].type != FLOW_T_BOOL &&
		    c->g->defs[want].type != FLOW_T_ANY)
			diag_warning(c->d, conds->items[i]->pos, "condition %d of '%s' is definition "
			    "'%s' (%s), not bool: DFFML only tests its truth (0, \"\", [] and null are false)",
			    i + 1, op->inst, c->g->defs[want].name, c->g->defs[want].primitive);
		source_entry(c, conds->items[i], want, &l, 0);
	}
	op->cond = l.v;
	op->ncond = l.n;
}

static void
unwired_inputs(Checker *c, IrOp *op)
{
	int i, j;

	for (i = 0; i < op->ndecl; i++) {
		for (j = 0; j < op->nparam; j++)
			if (strcmp(op->params[j].name, op->decl_names[i]) == 0)
				break;
		if (j == op->nparam)
			diag_error(c->d, op->decl_pos[i], "input '%s' of '%s' is not wired in "
			    "'flow': DFFML would call it without '%s'", op->decl_names[i],
			    op->inst, op->decl_names[i]);
	}
}

static void
read_flow(Checker *c)
{
	Graph *g = c->g;
	int i;

	g->flow_order = xalloc(sizeof(int) * (size_t)(c->m->nflows + 1));
	for (i = 0; i < c->m->nflows; i++) {
		AstFlow *f = &c->m->flows[i];
		int o = ir_op(g, f->inst);
		if (o >= 0 && g->ops[o].has_flow)
			continue;       /* a duplicate key, reported by the loader */
		if (o < 0) {
			const char *near = closest_name(f->inst, op_names(g), g->nops);
			diag_error(c->d, f->pos, "flow entry for unknown operation instance '%s'%s%s%s",
			    f->inst, near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
			continue;
		}
		g->ops[o].has_flow = 1;
		g->flow_order[g->nflow_order++] = o;
		if (f->inputs)
			flow_params(c, &g->ops[o], f->inputs);
		if (f->conditions)
			flow_conditions(c, &g->ops[o], f->conditions);
	}
	for (i = 0; i < g->nops; i++) {
		IrOp *op = &g->ops[i];
		if (op->has_flow)
			unwired_inputs(c, op);
		else if (op->ndecl > 0)
			diag_warning(c->d, op->pos, "operation instance '%s' has no entry in "
			    "'flow', so it never runs", op->inst);
	}
}

/* ---- auto flow (§1.4.3) --------------------------------------------- */

/* Definitions are equal when their declarations are (here: same id, so
 * same name; flowc keeps one definition per name). */
static void
auto_sources(Checker *c, int def, Pos pos, SrcList *l, int *produced)
{
	Graph *g = c->g;
	int p, o;

	*produced = 0;
	for (p = 0; p < g->nops; p++)
		for (o = 0; o < g->ops[p].nout; o++) {
			IrSrc *s;
			if (g->ops[p].out[o].def != def)
				continue;
			*produced = 1;
			s = src_new(l);
			s->origin = g->ops[p].out[o].origin;
			s->nnames = 1;
			s->names = one_name(def);
			s->pos = pos;
		}
}

static void
auto_op(Checker *c, IrOp *op)
{
	int i, produced;

	op->has_flow = 1;
	op->params = xalloc(sizeof(IrParam) * (size_t)(op->ndecl + 1));
	for (i = 0; i < op->ndecl; i++) {
		IrParam *p = &op->params[op->nparam++];
		SrcList l = {0, 0, 0};
		p->name = op->decl_names[i];
		p->pos = op->decl_pos[i];
		p->def = op->decl_defs[i];
		p->argpos = op->impl && !op->user ? impl_param(op->impl, p->name) : i;
		if (p->argpos < 0)
			p->argpos = i;
		if (p->def >= 0)
			auto_sources(c, p->def, p->pos, &l, &produced);
		if (p->def >= 0 && !produced) {
			IrSrc *s = src_new(&l);
			s->origin = c->g->seed_origin;
			s->nnames = 1;
			s->names = one_name(p->def);
			s->pos = p->pos;
		}
		p->src = l.v;
		p->nsrc = l.n;
	}
	/* Conditions: a seed-only condition replaces the whole list. */
	SrcList l = {0, 0, 0};
	for (i = 0; i < op->ncdecl; i++) {
		if (op->cdecl[i] < 0)
			continue;
		auto_sources(c, op->cdecl[i], op->pos, &l, &produced);
		if (!produced) {
			l.n = 0;
			IrSrc *s = src_new(&l);
			s->origin = c->g->seed_origin;
			s->pos = op->pos;
		}
	}
	/* A string source matches the op's i-th declared condition. */
	for (i = 0; i < l.n; i++)
		if (c->g->origins[l.v[i].origin].op < 0) {
			l.v[i].nnames = i < op->ncdecl && op->cdecl[i] >= 0;
			l.v[i].names = one_name(i < op->ncdecl ? op->cdecl[i] : -1);
		}
	op->cond = l.v;
	op->ncond = l.n;
}

/* ---- seeds, configs, validators ------------------------------------- */

static const char *
article(const char *word)
{
	return strchr("aeiou", word[0]) ? "an" : "a";
}

/* Does one of param's sources take seed s (its origin, its name)? */
static int
delivers(const IrParam *p, const IrSeed *s)
{
	int k, m;

	for (k = 0; k < p->nsrc; k++)
		for (m = 0; m < p->src[k].nnames; m++)
			if (p->src[k].origin == s->origin && p->src[k].names[m] == s->def)
				return 1;
	return 0;
}

/* A seed value must suit what consumes it: the catalogue operations'
 * parameters where the definition feeds them (DFFML's own definitions
 * are labelled loosely: associate_spec says List[str] but
 * associate_definition takes a map), else the definition's primitive. */
static void
check_seed_type(Checker *c, const IrSeed *s, const Node *n)
{
	Graph *g = c->g;
	const IrDef *d = &g->defs[s->def];
	int i, j, consumers = 0;

	for (i = 0; i < g->nops; i++) {
		const IrOp *op = &g->ops[i];
		if (!op->impl || op->user || !flow_stdlib_find(op->impl->name))
			continue;
		for (j = 0; j < op->nparam; j++) {
			flow_type t;
			if (!delivers(&op->params[j], s))
				continue;
			/* an input the operation does not have (reported
			 * elsewhere) has no catalogue type */
			if (op->params[j].argpos < 0 || op->params[j].argpos >= op->impl->nparam)
				continue;
			consumers++;
			t = op->impl->param_types[op->params[j].argpos];
			if (flow_type_accepts(t, s->value.kind))
				continue;
			diag_error(c->d, n->pos, "seed value for definition '%s' is %s %s, but "
			    "input '%s' of '%s' takes %s", d->name, article(node_kind_name(n->kind)),
			    node_kind_name(n->kind), op->params[j].name, op->inst, flow_type_name(t));
			diag_note(c->d, op->params[j].pos, "'%s' takes it here", op->inst);
			return;
		}
	}
	/* DFFML never checks primitives, and user operations decide for
	 * themselves: a mismatch with the label alone is a warning. */
	if (consumers == 0 && !flow_type_accepts(d->type, s->value.kind)) {
		diag_warning(c->d, n->pos, "seed value for definition '%s' is %s %s, but '%s' "
		    "is %s", d->name, article(node_kind_name(n->kind)), node_kind_name(n->kind),
		    d->name, d->primitive);
		diag_note(c->d, d->pos, "definition '%s' declared here", d->name);
	}
}

static void
read_seeds(Checker *c)
{
	Graph *g = c->g;
	int i;

	g->seeds = xalloc(sizeof(IrSeed) * (size_t)(c->m->nseeds + 1));
	for (i = 0; i < c->m->nseeds; i++) {
		AstSeed *a = &c->m->seeds[i];
		IrSeed *s = &g->seeds[g->nseeds];
		int d = resolve_ref(c, &a->def, "seed entry");
		if (d < 0)
			continue;
		s->def = d;
		s->pos = a->value->pos;
		s->node = a->value;
		s->origin = ir_origin(g, a->origin, -1, -1);
		s->value = node_value(cc_arena, a->value);
		check_seed_type(c, s, a->value);
		g->nseeds++;
	}
}

/* The subflow under configs.<instance>.dataflow: a whole dataflow,
 * checked like any other (its diagnostics point into the same file). */
static void
read_subflow(Checker *c, IrOp *op, Node *key, Node *cfg)
{
	static int depth;
	static const char *const keys[] = { "dataflow", "input_set_context_cls", "reuse", NULL };
	Node *df = node_get(cfg, "dataflow"), *v;
	Manifest *m;
	int i;

	for (i = 0; i < cfg->n; i++) {
		int k;
		for (k = 0; keys[k] && strcmp(keys[k], cfg->keys[i]->s) != 0; k++)
			;
		if (!keys[k])
			diag_error(c->d, cfg->keys[i]->pos, "unknown key '%s' in the config of "
			    "%s", cfg->keys[i]->s, op->opname);
		else if (k > 0 && (v = cfg->items[i])->kind != NODE_NULL)
			diag_error(c->d, v->pos, "'%s' cannot be set in a file (it names Python "
			    "objects)", keys[k]);
	}
	if (!df) {
		diag_error(c->d, key->pos, "the config of '%s' has no 'dataflow'", op->inst);
		return;
	}
	if (depth >= 8) {
		diag_error(c->d, df->pos, "subflows nested more than 8 deep");
		return;
	}
	depth++;
	if ((m = mf_read(c->d, df, c->m->file)))
		op->subflow = chk_flow(c->d, m, c->o);
	depth--;
}

static void
read_configs(Checker *c)
{
	Graph *g = c->g;
	Node *cf = c->m->configs;
	int i;

	for (i = 0; cf && i < cf->n; i++) {
		int o = ir_op(g, cf->keys[i]->s);
		flow_val *v;
		if (o < 0) {
			const char *near = closest_name(cf->keys[i]->s, op_names(g), g->nops);
			diag_error(c->d, cf->keys[i]->pos, "config for unknown operation instance "
			    "'%s'%s%s%s", cf->keys[i]->s, near ? "; did you mean '" : "",
			    near ? near : "", near ? "'?" : "");
			continue;
		}
		if (cf->items[i]->kind == NODE_NULL)
			continue;       /* DFFML accepts it: no config */
		if (cf->items[i]->kind != NODE_MAP) {
			diag_error(c->d, cf->items[i]->pos, "a config must be a mapping");
			continue;
		}
		v = xalloc(sizeof *v);
		*v = node_value(cc_arena, cf->items[i]);
		g->ops[o].config = v;
		if (g->ops[o].impl && g->ops[o].impl->kind == FLOW_IMPL_SUBFLOW)
			read_subflow(c, &g->ops[o], cf->keys[i], cf->items[i]);
	}
	for (i = 0; i < g->nops; i++)
		if (g->ops[i].impl && g->ops[i].impl->kind == FLOW_IMPL_SUBFLOW && !g->ops[i].subflow &&
		    !(cf && node_get(cf, g->ops[i].inst)))
			diag_error(c->d, g->ops[i].pos, "'%s' runs a subflow, but there is no "
			    "configs.%s.dataflow", g->ops[i].inst, g->ops[i].inst);
}

static void
read_validators(Checker *c)
{
	Graph *g = c->g;
	int i;

	for (i = 0; i < c->m->ndefs; i++) {
		AstDef *a = c->m->defs[i];
		int d, o;
		if (!a->validate || (d = ir_def(g, a->name)) < 0)
			continue;
		o = ir_op(g, a->validate->s);
		if (o < 0) {
			diag_error(c->d, a->validate->pos, "validator '%s' of definition '%s' is "
			    "not an operation instance (DFFML raises ValidatorMissing)",
			    a->validate->s, a->name);
			continue;
		}
		if (g->ops[o].ndecl == 0)
			diag_error(c->d, a->validate->pos, "validator '%s' has no input to "
			    "receive the value", a->validate->s);
		if (!g->ops[o].validator)
			diag_error(c->d, a->validate->pos, "'%s' is not marked 'validator: true' "
			    "(DFFML raises ValidatorMissing)", a->validate->s);
		g->defs[d].validate = o;
	}
}

/* Resolve and check (see flowc.h). */
Graph *
chk_flow(DiagSink *d, Manifest *m, const CheckOpts *o)
{
	Checker c;
	int i, before = d->nerrors;

	memset(&c, 0, sizeof c);
	c.d = d;
	c.m = m;
	c.o = o;
	c.g = xalloc(sizeof(Graph));
	c.g->file = m->file;
	c.g->seed_origin = ir_origin(c.g, "seed", -1, -1);
	for (i = 0; i < m->ndefs; i++)
		add_def(&c, m->defs[i]);
	read_ops(&c);
	if (m->has_flow)
		read_flow(&c);
	else {
		c.g->flow_order = xalloc(sizeof(int) * (size_t)(c.g->nops + 1));
		for (i = 0; i < c.g->nops; i++) {
			auto_op(&c, &c.g->ops[i]);
			c.g->flow_order[c.g->nflow_order++] = i;
		}
	}
	read_seeds(&c);
	read_configs(&c);
	read_validators(&c);
	chk_graph(d, c.g, d->nerrors > before);
	return d->nerrors > before ? NULL : c.g;
}
