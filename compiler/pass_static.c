/*
 * pass_static.c: static multiplicity analysis of DFFML's product rule.
 *
 * An operation fires once per new permutation of its inputs.  When every
 * parameter can be filled by at most one Input per context, every
 * operation fires at most once, and the dynamic schedule collapses to a
 * decision per operation: it runs iff (at the end of processing) each
 * parameter is present or defaulted, one of its origins has arrived
 * (it was reconsidered), and its conditions hold on the final values.
 * The moment it runs does not change what it computes: values never
 * change, origins only appear, so a condition walk that is true at some
 * moment stays true, and one true at the end was true when the last of
 * its inputs arrived, which is when the operation was reconsidered.
 *
 * This pass decides whether a flow is of that kind and, if so, lays out
 * one slot per (origin, definition) that can hold a value and orders the
 * processing operations so that producers come first.  The C backend
 * turns the plan into straight-line code; a context whose inputs break
 * the assumptions (a definition given twice, a seeded definition given
 * again, a failing operation) is handed to the dynamic orchestrator, so
 * results stay identical to the interpreter's.
 *
 * What keeps a flow out: expand, validators, operations without inputs,
 * ancestor chains, a parameter with several sources or names, a source
 * with several values, defaults on operation outputs, output operations
 * other than get_single/get_multi with constant specs, network
 * operations outside the output stage, cycles.
 */
#include <string.h>
#include "flowc.h"

typedef struct St {
	Graph *g;
	Plan *p;
	int capslots;
} St;

static int
no(St *s, Pos pos, const char *why)
{
	if (s->p->ok) {
		s->p->ok = 0;
		s->p->why = why;
		s->p->whypos = pos;
	}
	return 0;
}

static int
is_getter(const IrOp *op)
{
	return op->impl && !op->user && (strcmp(op->impl->name, "get_single") == 0 ||
	    strcmp(op->impl->name, "get_multi") == 0);
}

/* Exact kind of the values a slot can hold, or -1. */
static int
kind_of_type(flow_type t)
{
	switch (t) {
	case FLOW_T_NULL: return FLOW_NULL;
	case FLOW_T_BOOL: return FLOW_BOOL;
	case FLOW_T_INT: return FLOW_INT;
	case FLOW_T_STR: return FLOW_STR;
	case FLOW_T_ARRAY: return FLOW_ARRAY;
	case FLOW_T_MAP: return FLOW_MAP;
	default: return -1;
	}
}

static int
slot_for(St *s, int origin, int def)
{
	const Graph *g = s->g;
	PlanSlot *sl;
	int i;

	for (i = 0; i < s->p->nslots; i++)
		if (s->p->slots[i].origin == origin && s->p->slots[i].def == def)
			return i;
	if (s->p->nslots == s->capslots) {
		int cap = s->capslots ? s->capslots * 2 : 16;
		PlanSlot *n = xalloc(sizeof(PlanSlot) * (size_t)cap);
		if (s->p->nslots)
			memcpy(n, s->p->slots, sizeof(PlanSlot) * (size_t)s->p->nslots);
		s->p->slots = n;
		s->capslots = cap;
	}
	sl = &s->p->slots[s->p->nslots];
	memset(sl, 0, sizeof *sl);
	sl->origin = origin;
	sl->def = def;
	sl->producer = g->origins[origin].op;
	sl->out = g->origins[origin].out;
	sl->seeds = xalloc(sizeof(int) * (size_t)(g->nseeds + 1));
	for (i = 0; i < g->nseeds; i++)
		if (g->seeds[i].origin == origin && g->seeds[i].def == def)
			sl->seeds[sl->nseeds++] = i;
	sl->ctx = origin == g->seed_origin;
	if (sl->producer >= 0) {
		const IrOp *op = &g->ops[sl->producer];
		sl->kind = op->impl && op->impl->out ? kind_of_type(op->impl->out_type) : -1;
		if (op->impl && op->impl->out && op->impl->out_type == FLOW_T_FLOAT && !op->user)
			sl->kind = FLOW_FLOAT;
	} else {
		sl->kind = sl->ctx ? kind_of_type(g->defs[def].type) : -2;
		for (i = 0; i < sl->nseeds; i++) {
			int k = g->seeds[sl->seeds[i]].value.kind;
			sl->kind = sl->kind == -2 || sl->kind == k ? k : -1;
		}
		if (sl->kind == -2)
			sl->kind = -1;
	}
	return s->p->nslots++;
}

/* ---- the shape of each operation ------------------------------------ */

static int
source_ok(St *s, const IrSrc *src)
{
	if (src->nnames != 1 || src->nanc != 0)
		return no(s, src->pos, "a source with several definitions or an ancestor chain");
	return 1;
}

static int
op_shape(St *s, const IrOp *op)
{
	const Graph *g = s->g;
	int j;

	if (!op->impl || op->validator)
		return no(s, op->pos, "an operation without implementation, or a validator");
	if (op->ndecl == 0)
		return no(s, op->pos, "an operation without inputs (it starts by itself)");
	if (op->impl->kind != FLOW_IMPL_PURE && !(is_getter(op) && op->stage == FLOW_STAGE_OUTPUT))
		return no(s, op->namepos, "an operation that reads the whole network");
	for (j = 0; j < op->nout; j++)
		if (op->out[j].expand)
			return no(s, op->out[j].pos, "expand (a data-dependent number of runs)");
	for (j = 0; j < op->nparam; j++) {
		const IrParam *pm = &op->params[j];
		if (pm->nsrc != 1)
			return no(s, pm->pos, "an input with several sources");
		if (!source_ok(s, &pm->src[0]))
			return 0;
		if (g->defs[pm->def].has_default && g->origins[pm->src[0].origin].op >= 0)
			return no(s, pm->pos, "a default on an input fed by an operation (it may run twice)");
	}
	for (j = 0; j < op->ncond; j++)
		if (!source_ok(s, &op->cond[j]))
			return 0;
	return 1;
}

/* ---- slots and multiplicities ---------------------------------------- */

static int
wire(St *s, const IrOp *op, int i)
{
	Plan *p = s->p;
	int j;

	p->param_slot[i] = xalloc(sizeof(int) * (size_t)(op->nparam + 1));
	p->cond_slot[i] = xalloc(sizeof(int) * (size_t)(op->ncond + 1));
	for (j = 0; j < op->nparam; j++) {
		const IrSrc *src = &op->params[j].src[0];
		int sl;
		if (is_getter(op)) {
			p->param_slot[i][j] = -1;       /* specs are read as seeds */
			continue;
		}
		sl = slot_for(s, src->origin, src->names[0]);
		p->param_slot[i][j] = sl;
		p->slots[sl].used = 1;
		/* A seeded slot cannot also take a context's value. */
		if (p->slots[sl].nseeds > 0)
			p->def_ctx[src->names[0]] = 0;
		if (p->slots[sl].nseeds > 1 && !(is_getter(op) && op->stage == FLOW_STAGE_OUTPUT))
			return no(s, op->params[j].pos, "an input with several seeded values");
	}
	for (j = 0; j < op->ncond; j++) {
		int sl = slot_for(s, op->cond[j].origin, op->cond[j].names[0]);
		p->cond_slot[i][j] = sl;
		p->slots[sl].used = 1;
		if (p->slots[sl].nseeds > 0)
			p->def_ctx[op->cond[j].names[0]] = 0;
		if (p->slots[sl].nseeds > 1)
			return no(s, op->cond[j].pos, "a condition with several seeded values");
	}
	return 1;
}

/* get_single/get_multi: constant specs; the definitions they name may
 * have at most one producing operation. */
static int
specs(St *s, const IrOp *op)
{
	const Graph *g = s->g;
	Plan *p = s->p;
	int k, i;

	if (op->nparam != 1)
		return no(s, op->pos, "an output operation with unusual inputs");
	p->def_ctx[op->params[0].def] = 0;
	for (k = 0; k < g->nseeds; k++) {
		const flow_val *v = &g->seeds[k].value;
		size_t e;
		if (g->seeds[k].def != op->params[0].src[0].names[0] ||
		    g->seeds[k].origin != op->params[0].src[0].origin)
			continue;
		if (v->kind != FLOW_ARRAY)
			return no(s, g->seeds[k].pos, "an output spec that is not a list");
		for (e = 0; e < v->u.a->n; e++) {
			flow_val x = v->u.a->items[e];
			int d, producers = 0;
			if (x.kind == FLOW_MAP && x.u.m->n > 0)
				x = x.u.m->vals[0];
			if (x.kind != FLOW_STR || (d = ir_def((Graph *)g, x.u.s->s)) < 0)
				continue;
			p->viewed[d] = 1;
			for (i = 0; i < g->nops; i++) {
				int o;
				for (o = 0; o < g->ops[i].nout; o++)
					if (g->ops[i].out[o].def == d) {
						producers++;
						slot_for(s, g->ops[i].out[o].origin, d);
					}
			}
			if (producers > 1)
				return no(s, g->seeds[k].pos, "an output spec naming a definition that several operations produce");
		}
	}
	return 1;
}

/* ---- dependency order --------------------------------------------------- */

static int
order(St *s)
{
	const Graph *g = s->g;
	Plan *p = s->p;
	int *state = xalloc(sizeof(int) * (size_t)(g->nops + 1));
	int *stack = xalloc(sizeof(int) * (size_t)(g->nops + 1));
	int *edge = xalloc(sizeof(int) * (size_t)(g->nops + 1));
	int i;

	p->order = xalloc(sizeof(int) * (size_t)(g->nops + 1));
	for (i = 0; i < g->nops; i++) {
		int sp = 0;
		if (state[i] || g->ops[i].stage != FLOW_STAGE_PROCESSING)
			continue;
		stack[sp] = i;
		edge[sp++] = 0;
		state[i] = 1;
		while (sp > 0) {
			int v = stack[sp - 1], e = edge[sp - 1]++, np = g->ops[v].nparam, w;
			if (e >= np + g->ops[v].ncond) {
				state[v] = 2;
				p->order[p->norder++] = v;
				sp--;
				continue;
			}
			w = s->p->slots[e < np ? p->param_slot[v][e] : p->cond_slot[v][e - np]].producer;
			if (w < 0 || g->ops[w].stage != FLOW_STAGE_PROCESSING)
				continue;
			if (state[w] == 1)
				return no(s, g->ops[v].pos, "a cycle");
			if (state[w] == 0) {
				state[w] = 1;
				stack[sp] = w;
				edge[sp++] = 0;
			}
		}
	}
	return 1;
}

/* Plan the static schedule (see flowc.h). */
Plan *
pass_static(Graph *g)
{
	St s;
	Plan *p = xalloc(sizeof *p);
	int i;

	memset(&s, 0, sizeof s);
	s.g = g;
	s.p = p;
	p->ok = 1;
	p->param_slot = xalloc(sizeof(int *) * (size_t)(g->nops + 1));
	p->cond_slot = xalloc(sizeof(int *) * (size_t)(g->nops + 1));
	p->def_ctx = xalloc(sizeof(int) * (size_t)(g->ndefs + 1));
	p->viewed = xalloc((size_t)g->ndefs + 1);
	for (i = 0; i < g->ndefs; i++) {
		p->def_ctx[i] = 1;
		if (g->defs[i].validate >= 0)
			return no(&s, g->defs[i].pos, "a definition with a validator"), p;
	}
	for (i = 0; i < g->nops; i++) {
		const IrOp *op = &g->ops[i];
		if (op->dead || !op->has_flow)
			continue;       /* an op without a flow entry never runs */
		if (!op_shape(&s, op) || !wire(&s, op, i))
			return p;
		if (is_getter(op) && !specs(&s, op))
			return p;
	}
	order(&s);
	for (i = 0; i < p->nslots; i++)
		p->viewed[p->slots[i].def] = 1;
	return p;
}
