/*
 * pass_static.c: static multiplicity analysis of DFFML's product rule.
 *
 * An operation fires once per new permutation of its inputs, gathered
 * from the whole network whenever an input set with one of its origins
 * is dequeued (dffml-semantics.md §2.3-§2.6).  In general the moment it
 * is gathered decides which permutations it sees, so results depend on
 * the schedule.  This pass finds the flows where they do not:
 *
 *   Claim.  If every operation's inputs come, source by source, from
 *   slots (one origin, one definition) that are complete when first
 *   non-empty, then every operation runs in exactly one batch, over the
 *   full product of its complete candidate lists.
 *
 *   Why.  Context inputs and seeds are all in the first input set.  An
 *   operation whose inputs are complete runs all its permutations in one
 *   batch, so its output slot is complete when that batch ends, before
 *   any of its output sets is dequeued (expand puts all elements in one
 *   set; several runs put several sets in one batch).  A consumer is
 *   first gathered with every parameter non-empty only after each
 *   producer's batch, so it sees complete lists and never runs again.
 *
 * What breaks the claim, and keeps a flow dynamic: a default on an input
 * fed by an operation (it is used, then the real value arrives: two
 * batches); a condition that can hold several values (the last one wins
 * at each gather, so timing matters); a parameter listing one slot twice
 * or two parameters sharing some but not all slots (DFFML's uid-set
 * redundancy then depends on timing); ancestor chains, several names per
 * source, validators, operations without inputs, network operations
 * outside the output stage, output specs that are not constants or name
 * a definition several operations produce (their interleaving is
 * schedule order), cycles, and operations with side effects that can
 * fail (the fallback below would run them a second time).
 *
 * Then an operation runs iff, at the end of processing: each parameter
 * has a candidate (or its default), one of its origins arrived (it was
 * reconsidered), and its conditions hold on their final values (values
 * never change and origins only appear, so a condition walk true at some
 * moment stays true, and one true at the end was true when the last of
 * its inputs arrived).  Its runs are the product of its candidate lists
 * in parameter order, first varying slowest, skipping permutations that
 * only swap Inputs between parameters with the same slots (§2.6).
 *
 * The key of a map entry and the path of a map walk (flow_impl.form)
 * drawn from one seed are pinned: a context that gives another value of
 * that definition goes to the orchestrator, as it does for the seeds of
 * folded operations, so the C backend can write those operations out
 * with their keys known.
 *
 * The C backend turns the plan into loops over arrays, in dependency
 * order.  A context that breaks the plan's assumptions at run time (a
 * condition or output spec supplied by the context, an operation that
 * fails, a limit reached) goes to the dynamic orchestrator.
 */
#include <string.h>
#include "flowc.h"

typedef struct St {
	Graph *g;
	Plan *p;
	int capslots;
	StrMap slotidx;         /* "origin:def" -> slot */
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
	return op->impl && !op->user && op->impl->role == FLOW_ROLE_OUTPUT;
}

/* Exact kind of the values a definition of type t holds, or -1. */
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

/* Exact kind of what op's output holds (after expand), or -1. */
static int
out_kind(const IrOp *op, int out)
{
	const flow_impl *im = op->impl;

	if (!im || !im->out || op->user)
		return -1;
	if (op->out[out].expand)
		return im->out_type == FLOW_T_STR ? FLOW_STR : -1;
	if (im->out_type == FLOW_T_FLOAT)
		return FLOW_FLOAT;
	return kind_of_type(im->out_type);
}

static int
slot_for(St *s, int origin, int def)
{
	const Graph *g = s->g;
	PlanSlot *sl;
	const char *key = xprintf("%d:%d", origin, def);
	int i;

	if ((i = sm_get(&s->slotidx, key)) >= 0)
		return i;
	sm_put(&s->slotidx, key, s->p->nslots);
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
		sl->kind = out_kind(&g->ops[sl->producer], sl->out);
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

static void
limit_ctx(Plan *p, int def, int most)
{
	if (p->def_ctx[def] > most)
		p->def_ctx[def] = most;
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
	int j, k;

	if (!op->impl || op->validator)
		return no(s, op->pos, "an operation without implementation, or a validator");
	if (op->ndecl == 0)
		return no(s, op->pos, "an operation without inputs (it starts by itself)");
	if (op->impl->kind != FLOW_IMPL_PURE && !(is_getter(op) && op->stage == FLOW_STAGE_OUTPUT))
		return no(s, op->namepos, "an operation that reads the whole network");
	/* A context that fails goes to the orchestrator, which runs it again
	 * from the start: a clone, a row or a file would be made twice. */
	if (op->impl->caps != FLOW_CAP_NONE && flow_impl_can_fail(op->impl, NULL))
		return no(s, op->namepos, "an operation with side effects that can fail");
	if (op->stage != FLOW_STAGE_PROCESSING)
		for (j = 0; j < op->nout; j++)
			if (op->out[j].expand)
				return no(s, op->out[j].pos, "expand outside the processing stage");
	for (j = 0; j < op->nparam; j++) {
		const IrParam *pm = &op->params[j];
		if (pm->nsrc == 0)
			return no(s, pm->pos, "an input without sources");
		for (k = 0; k < pm->nsrc; k++) {
			if (!source_ok(s, &pm->src[k]))
				return 0;
			if (g->defs[pm->def].has_default && g->origins[pm->src[k].origin].op >= 0)
				return no(s, pm->pos, "a default on an input fed by an operation (it runs twice)");
		}
	}
	for (j = 0; j < op->ncond; j++)
		if (!source_ok(s, &op->cond[j]))
			return 0;
	return 1;
}

/* ---- slots ------------------------------------------------------------ */

static int
same_slots(const PlanParam *a, const PlanParam *b)
{
	int i, j;

	if (a->nslots == b->nslots && memcmp(a->slots, b->slots, sizeof(int) * (size_t)a->nslots) == 0)
		return 1;
	for (i = 0; i < a->nslots; i++)
		for (j = 0; j < b->nslots; j++)
			if (a->slots[i] == b->slots[j])
				return -1;      /* overlapping but different */
	return 0;
}

/* The key of a map entry and the path of a map walk (flow_impl.form) are
 * constants when their one source is one seed: contexts may not add
 * another value (they go to the orchestrator), so that the C backend can
 * write the operation out with the key known. */
static void
pin_key(St *s, const IrOp *op, int j, const PlanParam *pp)
{
	const PlanSlot *sl;
	int pos = op->params[j].argpos;

	if (op->user || pp->nslots != 1 || s->g->defs[op->params[j].def].has_default ||
	    !((op->impl->form == FLOW_FORM_MAP_ENTRY && pos == 0) ||
	    (op->impl->form == FLOW_FORM_MAP_WALK && pos == 1)))
		return;
	sl = &s->p->slots[pp->slots[0]];
	if (sl->producer < 0 && sl->nseeds == 1)
		limit_ctx(s->p, sl->def, 0);
}

static int
wire_params(St *s, const IrOp *op, int i)
{
	Plan *p = s->p;
	int j, k;

	p->params[i] = xalloc(sizeof(PlanParam) * (size_t)(op->nparam + 1));
	if (is_getter(op))
		return 1;               /* output specs are read as seeds */
	for (j = 0; j < op->nparam; j++) {
		PlanParam *pp = &p->params[i][j];
		pp->slots = xalloc(sizeof(int) * (size_t)(op->params[j].nsrc + 1));
		for (k = 0; k < op->params[j].nsrc; k++) {
			const IrSrc *src = &op->params[j].src[k];
			int sl = slot_for(s, src->origin, src->names[0]), m;
			for (m = 0; m < pp->nslots; m++)
				if (pp->slots[m] == sl)
					return no(s, src->pos, "an input listing one source twice");
			pp->slots[pp->nslots++] = sl;
		}
		pin_key(s, op, j, pp);
		pp->group = j;
		for (k = 0; k < j; k++) {
			int same = same_slots(&p->params[i][k], pp);
			if (same < 0)
				return no(s, op->params[j].pos, "inputs sharing some sources but not all");
			if (same) {
				pp->group = p->params[i][k].group;
				break;
			}
		}
	}
	return 1;
}

static int
wire_conds(St *s, const IrOp *op, int i)
{
	Plan *p = s->p;
	int j;

	p->cond_slot[i] = xalloc(sizeof(int) * (size_t)(op->ncond + 1));
	for (j = 0; j < op->ncond; j++) {
		int sl = slot_for(s, op->cond[j].origin, op->cond[j].names[0]);
		p->cond_slot[i][j] = sl;
		if (p->slots[sl].producer >= 0)
			continue;       /* single-valued is checked once ops are ordered */
		if (p->slots[sl].nseeds > 1)
			return no(s, op->cond[j].pos, "a condition with several seeded values");
		limit_ctx(p, op->cond[j].names[0], p->slots[sl].nseeds ? 0 : 1);
	}
	return 1;
}

/* get_single/get_multi: constant specs; the definitions they name may
 * have at most one producing operation. */
static int
specs(St *s, const IrOp *op, int *const *producers, const int *nproducers)
{
	const Graph *g = s->g;
	Plan *p = s->p;
	int k, i;

	if (op->nparam != 1 || op->params[0].nsrc != 1)
		return no(s, op->pos, "an output operation with unusual inputs");
	if (g->origins[op->params[0].src[0].origin].op >= 0)
		return no(s, op->params[0].src[0].pos, "an output spec computed by an operation");
	limit_ctx(p, op->params[0].def, 0);
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
			int d;
			if (x.kind == FLOW_MAP && x.u.m->n > 0)
				x = x.u.m->vals[0];
			if (x.kind != FLOW_STR || (d = ir_def((Graph *)g, x.u.s->s)) < 0)
				continue;
			p->viewed[d] = 1;
			for (i = 0; i < nproducers[d]; i++)
				slot_for(s, producers[d][i], d);
			if (nproducers[d] > 1)
				return no(s, g->seeds[k].pos, "an output spec naming a definition that several operations produce");
		}
	}
	return 1;
}

/* ---- dependency order and single-valued slots -------------------------- */

/* The processing ops whose outputs op v reads (parameters, conditions). */
static int *
deps(const Graph *g, const Plan *p, int v, int *n)
{
	const IrOp *op = &g->ops[v];
	int *d, j, k, cnt = op->ncond;

	for (j = 0; j < op->nparam; j++)
		cnt += p->params[v][j].nslots;
	d = xalloc(sizeof(int) * (size_t)(cnt + 1));
	*n = 0;
	for (j = 0; j < op->nparam; j++)
		for (k = 0; k < p->params[v][j].nslots; k++)
			d[(*n)++] = p->slots[p->params[v][j].slots[k]].producer;
	for (j = 0; j < op->ncond; j++)
		d[(*n)++] = p->slots[p->cond_slot[v][j]].producer;
	return d;
}

/* Depth-first, iteratively: producers before consumers; a cycle is out. */
static int
order(St *s)
{
	const Graph *g = s->g;
	Plan *p = s->p;
	int *state = xalloc(sizeof(int) * (size_t)(g->nops + 1));
	int *stack = xalloc(sizeof(int) * (size_t)(g->nops + 1));
	int *edge = xalloc(sizeof(int) * (size_t)(g->nops + 1));
	int **dv = xalloc(sizeof(int *) * (size_t)(g->nops + 1));
	int *dn = xalloc(sizeof(int) * (size_t)(g->nops + 1));
	int i;

	p->order = xalloc(sizeof(int) * (size_t)(g->nops + 1));
	for (i = 0; i < g->nops; i++)
		if (g->ops[i].stage == FLOW_STAGE_PROCESSING && g->ops[i].has_flow)
			dv[i] = deps(g, p, i, &dn[i]);
	for (i = 0; i < g->nops; i++) {
		int sp = 0;
		if (state[i] || !dv[i])
			continue;
		stack[sp] = i;
		edge[sp++] = 0;
		state[i] = 1;
		while (sp > 0) {
			int v = stack[sp - 1], w;
			if (edge[sp - 1] == dn[v]) {
				state[v] = 2;
				p->order[p->norder++] = v;
				sp--;
				continue;
			}
			w = dv[v][edge[sp - 1]++];
			if (w < 0 || !dv[w])
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

/* Levels.  Input sets leave the queue level by level: the first set
 * (level 0), then the outputs of the operations it fired (level 1), and
 * so on, because every set of level k is queued while sets of level k-1
 * are processed.  An operation whose parameters come from single slots
 * first finds them all non-empty once the last of them has filled, and
 * sees them complete.  A parameter listing slots of different levels
 * does not: it fires on the earlier slot first and again when the later
 * one fills, whatever the order of its sources (issue 10, behaviours 3
 * and 4).  Conditions only delay an operation, so its outputs fill
 * between lo (inputs alone) and hi (conditions too); a parameter may mix
 * slots only when they all fill at one known level. */
static void
slot_level(const Plan *p, int sl, int *lo, int *hi)
{
	*lo = p->slots[sl].lo;
	*hi = p->slots[sl].hi;
}

/* The slots op v produces: (*at)[v] to (*at)[v + 1] in (*list), in slot
 * order, so that a pass over the ops does not scan every slot. */
static void
slots_by_op(const Plan *p, int nops, int **at, int **list)
{
	int i;

	*at = xalloc(sizeof(int) * (size_t)(nops + 2));
	*list = xalloc(sizeof(int) * (size_t)(p->nslots + 1));
	for (i = 0; i < p->nslots; i++)
		if (p->slots[i].producer >= 0)
			(*at)[p->slots[i].producer + 2]++;
	for (i = 2; i < nops + 2; i++)
		(*at)[i] += (*at)[i - 1];
	for (i = 0; i < p->nslots; i++)
		if (p->slots[i].producer >= 0)
			(*list)[(*at)[p->slots[i].producer + 1]++] = i;
}

static int
levels(St *s)
{
	const Graph *g = s->g;
	Plan *p = s->p;
	int i, j, k, *at, *list;

	slots_by_op(p, g->nops, &at, &list);
	for (i = 0; i < p->nslots; i++) {
		PlanSlot *sl = &p->slots[i];
		sl->lo = sl->hi = sl->producer < 0 ? 0 : -1;   /* -1 until placed */
	}
	for (i = 0; i < p->norder; i++) {
		int v = p->order[i], lo = 0, hi = 0, never = 0;
		const IrOp *op = &g->ops[v];
		for (j = 0; j < op->nparam; j++) {
			const PlanParam *pp = &p->params[v][j];
			int plo = -1, phi = -1, nfill = 0;
			for (k = 0; k < pp->nslots; k++) {
				int l, h;
				slot_level(p, pp->slots[k], &l, &h);
				if (l < 0)
					continue;       /* never filled */
				if (nfill++ > 0 && (l != h || plo != phi || l != plo))
					return no(s, op->params[j].pos, "an input whose sources fill at different times");
				plo = l;
				phi = h;
			}
			if (nfill > 1 && plo != phi)
				return no(s, op->params[j].pos, "an input whose sources fill at different times");
			if (nfill == 0)
				never = 1;
			lo = plo > lo ? plo : lo;
			hi = phi > hi ? phi : hi;
		}
		for (j = 0; j < op->ncond; j++) {
			int l, h;
			slot_level(p, p->cond_slot[v][j], &l, &h);
			hi = h > hi ? h : hi;
		}
		for (k = at[v]; k < at[v + 1]; k++) {
			p->slots[list[k]].lo = never ? -1 : lo + 1;
			p->slots[list[k]].hi = never ? -1 : hi + 1;
		}
	}
	return 1;
}

/* Condition slots must hold at most one value (their last value would
 * otherwise depend on timing): so must everything they are computed
 * from, which limits contexts to one value of each such definition. */
static int
need_single(St *s, int slot, unsigned char *seen)
{
	const Graph *g = s->g;
	Plan *p = s->p;
	PlanSlot *sl = &p->slots[slot];
	const IrOp *op;
	int j, k;

	if (seen[slot])
		return 1;
	seen[slot] = 1;
	if (sl->producer < 0) {
		if (sl->nseeds > 1)
			return no(s, g->defs[sl->def].pos, "a condition computed from a definition with several seeded values");
		limit_ctx(p, sl->def, sl->nseeds ? 0 : 1);
		return 1;
	}
	op = &g->ops[sl->producer];
	if (op->out[sl->out].expand)
		return no(s, op->out[sl->out].pos, "a condition computed from an expanded output");
	for (j = 0; j < op->nparam; j++) {
		const PlanParam *pp = &p->params[sl->producer][j];
		if (pp->nslots != 1)
			return no(s, op->params[j].pos, "a condition computed from an input with several sources");
		for (k = 0; k < pp->nslots; k++)
			if (!need_single(s, pp->slots[k], seen))
				return 0;
	}
	return 1;
}

/* Which slots hold at most one value, in dependency order; conditions
 * must (see need_single). */
static int
singles(St *s)
{
	const Graph *g = s->g;
	Plan *p = s->p;
	unsigned char *seen = xalloc((size_t)p->nslots + 1);
	int i, j, k, *at, *list;

	for (i = 0; i < g->nops; i++)
		for (j = 0; j < g->ops[i].ncond && p->cond_slot[i]; j++)
			if (!need_single(s, p->cond_slot[i][j], seen))
				return 0;
	p->op_single = xalloc((size_t)g->nops + 1);
	p->op_gone = xalloc((size_t)g->nops + 1);
	slots_by_op(p, g->nops, &at, &list);
	for (i = 0; i < p->nslots; i++) {
		PlanSlot *sl = &p->slots[i];
		if (sl->producer < 0)
			sl->single = sl->nseeds + (sl->ctx && p->def_ctx[sl->def] ? p->def_ctx[sl->def] : 0) <= 1;
	}
	for (i = 0; i < p->norder; i++) {
		int v = p->order[i], one = 1;
		const IrOp *op = &g->ops[v];
		for (j = 0; j < op->nparam; j++) {
			const PlanParam *pp = &p->params[v][j];
			if (pp->nslots != 1 || !p->slots[pp->slots[0]].single)
				one = 0;
		}
		p->op_single[v] = (unsigned char)one;
		for (k = at[v]; k < at[v + 1]; k++)
			p->slots[list[k]].single = one && !op->out[p->slots[list[k]].out].expand;
	}
	for (i = 0; i < g->nops; i++)
		for (j = 0; j < g->ops[i].ncond && p->cond_slot[i]; j++)
			if (!p->slots[p->cond_slot[i][j]].single)
				return no(s, g->ops[i].cond[j].pos, "a condition that can hold several values");
	return 1;
}

/* For each definition, the origins of the operation outputs producing it. */
static void
producer_origins(const Graph *g, int ***v, int **n)
{
	int i, o;

	*v = xalloc(sizeof(int *) * (size_t)(g->ndefs + 1));
	*n = xalloc(sizeof(int) * (size_t)(g->ndefs + 1));
	for (i = 0; i < g->nops; i++)
		for (o = 0; o < g->ops[i].nout; o++)
			if (g->ops[i].out[o].def >= 0)
				(*n)[g->ops[i].out[o].def]++;
	for (i = 0; i < g->ndefs; i++) {
		(*v)[i] = xalloc(sizeof(int) * (size_t)((*n)[i] + 1));
		(*n)[i] = 0;
	}
	for (i = 0; i < g->nops; i++)
		for (o = 0; o < g->ops[i].nout; o++) {
			int d = g->ops[i].out[o].def;
			if (d >= 0)
				(*v)[d][(*n)[d]++] = g->ops[i].out[o].origin;
		}
}

/* Plan the static schedule (see flowc.h). */
Plan *
pass_static(Graph *g)
{
	St s;
	Plan *p = xalloc(sizeof *p);
	int **producers, *nproducers, i;

	memset(&s, 0, sizeof s);
	s.g = g;
	s.p = p;
	p->ok = 1;
	p->params = xalloc(sizeof(PlanParam *) * (size_t)(g->nops + 1));
	p->cond_slot = xalloc(sizeof(int *) * (size_t)(g->nops + 1));
	p->def_ctx = xalloc(sizeof(int) * (size_t)(g->ndefs + 1));
	p->viewed = xalloc((size_t)g->ndefs + 1);
	for (i = 0; i < g->ndefs; i++) {
		p->def_ctx[i] = 2;
		if (g->defs[i].validate >= 0)
			return no(&s, g->defs[i].pos, "a definition with a validator"), p;
	}
	producer_origins(g, &producers, &nproducers);
	for (i = 0; i < g->nops; i++) {
		const IrOp *op = &g->ops[i];
		if (!op->has_flow)
			continue;       /* an op without a flow entry never runs */
		if (!op_shape(&s, op) || !wire_params(&s, op, i) || !wire_conds(&s, op, i))
			return p;
		if (is_getter(op) && !specs(&s, op, producers, nproducers))
			return p;
	}
	if (order(&s) && levels(&s))
		singles(&s);
	p->origin_slot = xalloc(sizeof(int) * (size_t)(g->norigins + 1));
	for (i = 0; i < g->norigins; i++)
		p->origin_slot[i] = -1;
	for (i = p->nslots - 1; i >= 0; i--)
		p->origin_slot[p->slots[i].origin] = i;
	return p;
}
