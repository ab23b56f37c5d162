/*
 * graph.c: rules about the whole graph, run after names are resolved.
 *
 *   - operations that can never run (their inputs come only from
 *     operations that never run: cycles with no way in);
 *   - cycles that never end: with catalogue operations, no conditions and
 *     no expand, every result makes the cycle fire again (DFFML spins);
 *   - the default-first pattern: a defaulted input gathered first makes
 *     DFFML raise UnboundLocalError when its origin is still absent
 *     (dffml-semantics.md §2.5.3);
 *   - output specs (get_single, get_multi seeds) naming definitions that
 *     nothing can produce (a warning).
 *
 * The producer -> consumer edges are those of `flow`; strongly connected
 * components are found with an iterative Tarjan so that deep chains do
 * not overflow the stack.
 */
#include <string.h>
#include "flowc.h"

/* Adjacency: for each op, the ops whose outputs it consumes. */
typedef struct Adj {
	int **in;
	int *nin;
} Adj;

static int
src_producer(const Graph *g, const IrSrc *s)
{
	return g->origins[s->origin].op;
}

static Adj
build_adj(const Graph *g)
{
	Adj a;
	int i, j, k;

	a.in = xalloc(sizeof(int *) * (size_t)(g->nops + 1));
	a.nin = xalloc(sizeof(int) * (size_t)(g->nops + 1));
	for (i = 0; i < g->nops; i++) {
		const IrOp *op = &g->ops[i];
		int n = op->ncond;
		for (j = 0; j < op->nparam; j++)
			n += op->params[j].nsrc;
		a.in[i] = xalloc(sizeof(int) * (size_t)(n + 1));
		for (j = 0; j < op->nparam; j++)
			for (k = 0; k < op->params[j].nsrc; k++)
				if (src_producer(g, &op->params[j].src[k]) >= 0)
					a.in[i][a.nin[i]++] = src_producer(g, &op->params[j].src[k]);
		for (k = 0; k < op->ncond; k++)
			if (src_producer(g, &op->cond[k]) >= 0)
				a.in[i][a.nin[i]++] = src_producer(g, &op->cond[k]);
	}
	return a;
}

/* ---- strongly connected components (iterative Tarjan) --------------- */

typedef struct Scc {
	int *comp;              /* op -> component id */
	int *size;              /* component id -> size */
	int ncomp;
} Scc;

static Scc
tarjan(const Graph *g, const Adj *a)
{
	int n = g->nops, i, idx = 0, sp = 0, cs = 0;
	int *index = xalloc(sizeof(int) * (size_t)(n + 1));
	int *low = xalloc(sizeof(int) * (size_t)(n + 1));
	int *stack = xalloc(sizeof(int) * (size_t)(n + 1));
	unsigned char *on = xalloc((size_t)n + 1);
	int *call = xalloc(sizeof(int) * (size_t)(n + 1)), *edge = xalloc(sizeof(int) * (size_t)(n + 1));
	Scc s;

	s.comp = xalloc(sizeof(int) * (size_t)(n + 1));
	s.size = xalloc(sizeof(int) * (size_t)(n + 1));
	s.ncomp = 0;
	for (i = 0; i < n; i++)
		index[i] = -1;
	for (i = 0; i < n; i++) {
		if (index[i] >= 0)
			continue;
		call[cs] = i;
		edge[cs++] = 0;
		index[i] = low[i] = idx++;
		stack[sp++] = i;
		on[i] = 1;
		while (cs > 0) {
			int v = call[cs - 1];
			if (edge[cs - 1] < a->nin[v]) {
				int w = a->in[v][edge[cs - 1]++];
				if (index[w] < 0) {
					index[w] = low[w] = idx++;
					stack[sp++] = w;
					on[w] = 1;
					call[cs] = w;
					edge[cs++] = 0;
				} else if (on[w] && index[w] < low[v]) {
					low[v] = index[w];
				}
				continue;
			}
			if (low[v] == index[v]) {
				int w;
				do {
					w = stack[--sp];
					on[w] = 0;
					s.comp[w] = s.ncomp;
					s.size[s.ncomp]++;
				} while (w != v);
				s.ncomp++;
			}
			cs--;
			if (cs > 0 && low[v] < low[call[cs - 1]])
				low[call[cs - 1]] = low[v];
		}
	}
	return s;
}

static int
in_cycle(const Scc *s, const Adj *a, int op)
{
	int k;

	if (s->size[s->comp[op]] > 1)
		return 1;
	for (k = 0; k < a->nin[op]; k++)
		if (a->in[op][k] == op)
			return 1;
	return 0;
}

/* ---- can an operation ever run? -------------------------------------- */

static int
param_ok(const Graph *g, const IrParam *p, const unsigned char *runs)
{
	int k;

	if (p->def >= 0 && g->defs[p->def].has_default && p->nsrc > 0)
		return 1;
	for (k = 0; k < p->nsrc; k++) {
		int prod = src_producer(g, &p->src[k]);
		if (prod < 0 || runs[prod])
			return 1;
	}
	return 0;
}

/* Fixpoint: an op runs if each parameter has a source that can supply
 * it (a string origin, an op that runs, or a default). */
static unsigned char *
can_run(const Graph *g)
{
	unsigned char *runs = xalloc((size_t)g->nops + 1);
	int changed = 1, i, j;

	while (changed) {
		changed = 0;
		for (i = 0; i < g->nops; i++) {
			const IrOp *op = &g->ops[i];
			if (runs[i] || (!op->has_flow && op->ndecl > 0))
				continue;
			for (j = 0; j < op->nparam; j++)
				if (!param_ok(g, &op->params[j], runs))
					break;
			if (j == op->nparam) {
				runs[i] = 1;
				changed = 1;
			}
		}
	}
	return runs;
}

/* Where op consumes a producer in its own component (for the caret). */
static Pos
cycle_pos(const Graph *g, const Scc *s, int op)
{
	const IrOp *o = &g->ops[op];
	int j, k;

	for (j = 0; j < o->nparam; j++)
		for (k = 0; k < o->params[j].nsrc; k++) {
			int p = src_producer(g, &o->params[j].src[k]);
			if (p >= 0 && s->comp[p] == s->comp[op])
				return o->params[j].src[k].pos;
		}
	return o->pos;
}

static int
cycle_may_stop(const Graph *g, const Scc *s, int comp)
{
	int i, k;

	for (i = 0; i < g->nops; i++) {
		const IrOp *op = &g->ops[i];
		if (s->comp[i] != comp)
			continue;
		if (op->ncond > 0 || op->user || !op->impl || op->impl->kind != FLOW_IMPL_PURE)
			return 1;
		for (k = 0; k < op->nout; k++)
			if (op->out[k].expand)
				return 1;
	}
	return 0;
}

/* "a -> b -> a": a shortest cycle through start along its component's
 * edges (producer -> consumer), for messages. */
static const char *
cycle_path(const Graph *g, const Scc *s, const Adj *a, int start)
{
	int *prev = xalloc(sizeof(int) * (size_t)(g->nops + 1));
	int *q = xalloc(sizeof(int) * (size_t)(g->nops + 1));
	int qh = 0, qt = 0, k, v, w;
	const char *path;

	for (k = 0; k < g->nops; k++)
		prev[k] = -1;
	q[qt++] = start;
	while (qh < qt) {
		v = q[qh++];
		for (k = 0; k < a->nin[v]; k++) {
			w = a->in[v][k];        /* w feeds v */
			if (s->comp[w] != s->comp[start])
				continue;
			if (w == start) {
				path = g->ops[start].inst;
				for (; v != start; v = prev[v])
					path = xprintf("%s -> %s", path, g->ops[v].inst);
				return xprintf("%s -> %s", path, g->ops[start].inst);
			}
			if (prev[w] < 0) {
				prev[w] = v;
				q[qt++] = w;
			}
		}
	}
	return g->ops[start].inst;
}

/* Has op a parameter with no sources and no default?  The checker
 * says so at the parameter. */
static int
empty_param(const Graph *g, int op)
{
	int j;

	for (j = 0; j < g->ops[op].nparam; j++)
		if (g->ops[op].params[j].nsrc == 0)
			return 1;
	return 0;
}

static void
check_cycles(DiagSink *d, const Graph *g, const Scc *s, const Adj *a, const unsigned char *runs,
    int broken)
{
	unsigned char *done = xalloc((size_t)s->ncomp + 1);
	int i;

	for (i = 0; i < g->nops; i++) {
		int c = s->comp[i];
		if (done[c] || !in_cycle(s, a, i))
			continue;
		done[c] = 1;
		if (!runs[i]) {
			diag_error(d, g->ops[i].pos, "operation '%s' can never run: it waits on "
			    "its own output through a cycle that nothing outside feeds (%s)",
			    g->ops[i].inst, cycle_path(g, s, a, i));
		} else if (!cycle_may_stop(g, s, c)) {
			if (s->size[c] == 1)
				diag_error(d, cycle_pos(g, s, i), "operation '%s' consumes its own "
				    "output: every result makes it run again, so the context never ends",
				    g->ops[i].inst);
			else
				diag_error(d, cycle_pos(g, s, i), "operation '%s' is on a cycle of %d "
				    "operations with no condition or expand: it never ends (%s)",
				    g->ops[i].inst, s->size[c], cycle_path(g, s, a, i));
		}
	}
	for (i = 0; !broken && i < g->nops; i++)
		if (!runs[i] && !in_cycle(s, a, i) && g->ops[i].has_flow && !empty_param(g, i))
			diag_warning(d, g->ops[i].pos, "operation '%s' can never run: an input "
			    "comes only from operations that never run", g->ops[i].inst);
}

/* ---- the default-first crash ---------------------------------------- */

/* Can op be gathered because of an origin its first parameter does not
 * read (another parameter's or a condition's)?  Only then can the first
 * parameter's origins all be absent when it is gathered. */
static int
has_origin(const IrParam *p, int origin)
{
	int k;

	for (k = 0; k < p->nsrc; k++)
		if (p->src[k].origin == origin)
			return 1;
	return 0;
}

static int
triggered_elsewhere(const IrOp *op)
{
	int j, k;

	for (j = 1; j < op->nparam; j++)
		for (k = 0; k < op->params[j].nsrc; k++)
			if (!has_origin(&op->params[0], op->params[j].src[k].origin))
				return 1;
	for (k = 0; k < op->ncond; k++)
		if (!has_origin(&op->params[0], op->cond[k].origin))
			return 1;
	return 0;
}

static void
check_default_first(DiagSink *d, const Graph *g)
{
	int i, k;

	for (i = 0; i < g->nops; i++) {
		const IrOp *op = &g->ops[i];
		const IrParam *p;
		if (op->nparam == 0)
			continue;
		p = &op->params[0];
		if (p->def < 0 || !g->defs[p->def].has_default || p->nsrc == 0)
			continue;
		for (k = 0; k < p->nsrc; k++)
			if (src_producer(g, &p->src[k]) < 0)
				break;
		if (k < p->nsrc)
			continue;       /* a string origin is there from the start */
		if (op->stage == FLOW_STAGE_PROCESSING) {
			if ((op->nparam < 2 && op->ncond == 0) || !triggered_elsewhere(op))
				continue;
			diag_error(d, p->pos, "input '%s' of '%s' has a default and is gathered "
			    "first: if '%s' is considered before its source has produced anything, "
			    "DFFML crashes (UnboundLocalError); list it after the other inputs in "
			    "'flow'", p->name, op->inst, op->inst);
		} else if (op->stage == FLOW_STAGE_CLEANUP) {
			diag_error(d, p->pos, "input '%s' of cleanup operation '%s' has a default "
			    "and is gathered first: when its source has produced nothing, DFFML "
			    "crashes (UnboundLocalError)", p->name, op->inst);
		} else {
			diag_warning(d, p->pos, "input '%s' of output operation '%s' has a default "
			    "and is gathered first: when its source has produced nothing, DFFML's "
			    "output stage stops here (UnboundLocalError) and later output "
			    "operations are skipped", p->name, op->inst);
		}
	}
}

/* ---- output specs --------------------------------------------------- */

/* Per definition: can anything supply it (a seed, an operation, or a
 * context, as an input wired to a string origin suggests)? */
static unsigned char *
suppliable(const Graph *g)
{
	unsigned char *v = xalloc((size_t)g->ndefs + 1);
	int i, j, k;

	for (i = 0; i < g->nseeds; i++)
		v[g->seeds[i].def] = 1;
	for (i = 0; i < g->nops; i++) {
		const IrOp *op = &g->ops[i];
		for (j = 0; j < op->nout; j++)
			if (op->out[j].def >= 0)
				v[op->out[j].def] = 1;
		for (j = 0; j < op->nparam; j++)
			for (k = 0; k < op->params[j].nsrc; k++)
				if (op->params[j].def >= 0 && src_producer(g, &op->params[j].src[k]) < 0)
					v[op->params[j].def] = 1;
	}
	return v;
}

static void
spec_name(DiagSink *d, Graph *g, const unsigned char *produced, const char *inst,
    const flow_val *v, Pos pos)
{
	const char *name;
	int def;

	if (v->kind == FLOW_MAP && v->u.m->n > 0)
		v = &v->u.m->vals[0];
	if (v->kind != FLOW_STR)
		return;
	name = v->u.s->s;
	def = ir_def(g, name);
	if (def < 0 || !g->defs[def].declared) {
		const char **names = xalloc(sizeof(char *) * (size_t)(g->ndefs + 1));
		const char *near;
		int i;
		for (i = 0; i < g->ndefs; i++)
			names[i] = g->defs[i].declared ? g->defs[i].name : "";
		near = closest_name(name, names, g->ndefs);
		diag_warning(d, pos, "'%s' asks for '%s', which is not a definition of this "
		    "flow%s%s%s", inst, name, near ? " (did you mean '" : "", near ? near : "",
		    near ? "'?)" : "");
	}
	else if (!produced[def])
		diag_warning(d, pos, "'%s' asks for '%s', which nothing in this flow produces",
		    inst, name);
}

/* The first get_single/get_multi instance that takes seed s, or -1. */
static int
spec_reader(const Graph *g, const IrSeed *s)
{
	int i, j, k, m;

	for (i = 0; i < g->nops; i++) {
		const IrOp *op = &g->ops[i];
		if (!op->impl || op->user || op->impl->role != FLOW_ROLE_OUTPUT)
			continue;
		for (j = 0; j < op->nparam; j++)
			for (k = 0; k < op->params[j].nsrc; k++)
				for (m = 0; m < op->params[j].src[k].nnames; m++)
					if (op->params[j].src[k].origin == s->origin &&
					    op->params[j].src[k].names[m] == s->def)
						return i;
	}
	return -1;
}

/* Each output spec seed once, each name in it once, attributed to the
 * first instance that reads the seed. */
static void
check_specs(DiagSink *d, Graph *g)
{
	unsigned char *produced = suppliable(g);
	int s, r;
	size_t k, m;

	for (s = 0; s < g->nseeds; s++) {
		const IrSeed *sd = &g->seeds[s];
		StrMap seen = {0, 0, 0, 0};     /* the string names so far */
		if (sd->value.kind != FLOW_ARRAY || (r = spec_reader(g, sd)) < 0)
			continue;
		for (k = 0; k < sd->value.u.a->n; k++) {
			flow_val v = sd->value.u.a->items[k];
			if (v.kind == FLOW_STR && strlen(v.u.s->s) == v.u.s->len) {
				if (sm_get(&seen, v.u.s->s) >= 0)
					continue;       /* named twice: warned once */
				sm_put(&seen, v.u.s->s, 0);
			} else {
				for (m = 0; m < k && !flow_same(sd->value.u.a->items[m], v); m++)
					;
				if (m < k)
					continue;
			}
			spec_name(d, g, produced, g->ops[r].inst, &sd->value.u.a->items[k],
			    sd->node && sd->node->kind == NODE_SEQ && (size_t)sd->node->n > k ?
			    sd->node->items[k]->pos : sd->pos);
		}
	}
}

/* Whole-graph rules (see flowc.h). */
void
chk_graph(DiagSink *d, Graph *g, int broken)
{
	Adj a = build_adj(g);
	Scc s = tarjan(g, &a);
	unsigned char *runs = can_run(g);

	check_cycles(d, g, &s, &a, runs, broken);
	check_default_first(d, g);
	if (!broken)
		check_specs(d, g);
}
