/*
 * plan.c: what one context does under the static plan, as data for the
 * backends that print it.
 *
 * emit_c.c's fast path, the HLS kernel and its test bench (emit_hls.c)
 * and the RTL pipeline (emit_rtl.c) run pass_static's plan alike and
 * differ only in syntax, so the decisions are made here, once: whether
 * an origin's values exist in a context (plan_origin), the condition
 * walk of §2.7 (plan_conds), the origins that trigger an operation or
 * whose absence is DFFML's UnboundLocalError (plan_sources, simplified
 * by plan_any), the slot a context input or a seed fills, and the seeds
 * an output operation's spec names.  A backend prints the answers: the
 * walk as C's `do { ... break; } while (0)`, as done flags in
 * straight-line HLS C, as an always block.
 */
#include "flowc.h"

/* See flowc.h. */
int
plan_origin(const Graph *g, const Plan *p, int origin)
{
	int k;

	if (g->origins[origin].op >= 0)
		return p->origin_slot[origin] >= 0 ? p->origin_slot[origin] : PLAN_NEVER;
	for (k = 0; k < g->nseeds; k++)
		if (g->seeds[k].origin == origin)
			return PLAN_ALWAYS;
	return origin == g->seed_origin ? PLAN_INPUT : PLAN_NEVER;
}

/* See flowc.h. */
PlanCond *
plan_conds(const Graph *g, const Plan *p, int opi, int *n)
{
	const IrOp *op = &g->ops[opi];
	PlanCond *w = xalloc(sizeof *w * (size_t)(op->ncond + 1));
	int i;

	for (i = 0; i < op->ncond; i++) {
		w[i].exists = plan_origin(g, p, op->cond[i].origin);
		w[i].slot = p->cond_slot[opi][i];
		w[i].opens = !op->cond[i].join;
		w[i].closes = i + 1 == op->ncond || !op->cond[i + 1].join;
	}
	*n = op->ncond;
	return w;
}

/* See flowc.h. */
int *
plan_sources(const Graph *g, const Plan *p, const IrOp *op, int first, int *n)
{
	int j, k, m = op->ncond, *v;

	if (first && (op->nparam == 0 || !g->defs[op->params[0].def].has_default))
		return NULL;
	for (j = 0; j < op->nparam; j++)
		m += op->params[j].nsrc;
	v = xalloc(sizeof *v * (size_t)(m + 1));
	*n = 0;
	for (j = 0; j < (first ? 1 : op->nparam); j++)
		for (k = 0; k < op->params[j].nsrc; k++)
			v[(*n)++] = plan_origin(g, p, op->params[j].src[k].origin);
	for (j = 0; !first && j < op->ncond; j++)
		v[(*n)++] = plan_origin(g, p, op->cond[j].origin);
	return v;
}

/* See flowc.h. */
int
plan_any(int *v, int n, int dedup)
{
	int i, j, m = 0;

	for (i = 0; i < n; i++) {
		if (v[i] == PLAN_ALWAYS)
			return PLAN_ALWAYS;
		for (j = 0; dedup && j < m && v[j] != v[i]; j++)
			;
		if (v[i] != PLAN_NEVER && (!dedup || j == m))
			v[m++] = v[i];
	}
	return m;
}

/* See flowc.h. */
int
plan_input_slot(const Graph *g, const Plan *p, int def)
{
	int i, slot = -1;

	for (i = 0; i < p->nslots; i++)
		if (p->slots[i].def == def && p->slots[i].origin == g->seed_origin)
			slot = i;
	return slot;
}

/* See flowc.h. */
int
plan_seed_slot(const Graph *g, const Plan *p, int k)
{
	int i;

	for (i = 0; i < p->nslots; i++)
		if (p->slots[i].origin == g->seeds[k].origin && p->slots[i].def == g->seeds[k].def)
			return i;
	return -1;
}

/* See flowc.h. */
int
plan_spec_seed(const Graph *g, const IrOp *op, int k)
{
	const IrSrc *src = &op->params[0].src[0];

	return g->seeds[k].def == src->names[0] && g->seeds[k].origin == src->origin;
}
