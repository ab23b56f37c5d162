/*
 * pass_dce.c: dead-operation elimination on the static schedule.
 *
 * What a context's result can show: the values that output operations
 * read (their inputs, and the definitions get_single/get_multi specs
 * name), the conditions of operations that run, and whether any
 * operation failed.  An operation whose output reaches none of these is
 * dead; it is dropped from the fast path only if it cannot fail on the
 * kinds of values the plan knows it gets (a failure, even in a dead
 * branch, makes the whole context an error), and cleanup operations are
 * kept for their side effects.  The tables keep every operation, so a
 * context the fast path hands to the orchestrator sees them all.
 */
#include <string.h>
#include "flowc.h"

/* Can op fail on arguments of these kinds (-1: unknown)?  The
 * catalogue says (flow_impl_can_fail); other implementations may. */
static int
cannot_fail(const IrOp *op, const int *kind)
{
	static const char letter[] = {[FLOW_INT] = 'i', [FLOW_FLOAT] = 'f', [FLOW_BOOL] = 'b',
	    [FLOW_STR] = 's', [FLOW_ARRAY] = 'a', [FLOW_MAP] = 'm'};
	char k[8];
	int j, known = 1;

	if (!op->impl || op->user || flow_stdlib_find(op->impl->name) != op->impl ||
	    op->impl->nparam > 7)
		return 0;
	memset(k, 0, sizeof k);
	for (j = 0; j < op->impl->nparam; j++)
		if (kind[j] < 0 || kind[j] == FLOW_NULL || !(k[j] = letter[kind[j]]))
			known = 0;
	return !flow_impl_can_fail(op->impl, known ? k : NULL);
}

/* The kind every argument of op has, or -1 where it may vary. */
static int
arg_kinds(const Plan *p, const IrOp *op, int opi, int *kind)
{
	int j, s;

	for (j = 0; j < op->impl->nparam; j++)
		kind[j] = -1;
	for (j = 0; j < op->nparam; j++) {
		const PlanParam *pp = &p->params[opi][j];
		int k = -2;
		for (s = 0; s < pp->nslots; s++) {
			int sk = p->slots[pp->slots[s]].kind;
			k = k == -2 || k == sk ? sk : -1;
		}
		kind[op->params[j].argpos] = k;
	}
	return 0;
}

/* Live slots: read by output/cleanup operations, named by output specs,
 * or read (input or condition) by a live operation. */
static void
liveness(const Graph *g, const Plan *p, unsigned char *live_op, unsigned char *live_slot)
{
	int *seq = xalloc(sizeof(int) * (size_t)(g->nops + p->norder + 1));
	int i, j, k, x, n = 0, changed = 1;

	for (i = 0; i < p->nslots; i++)
		if (p->viewed[p->slots[i].def])
			live_slot[i] = 1;
	for (i = 0; i < g->nops; i++)
		if (g->ops[i].stage != FLOW_STAGE_PROCESSING)
			live_op[i] = 1;
	/* consumers before producers (the schedule backwards), so that one
	 * sweep usually settles it; then every op, until nothing changes */
	for (i = 0; i < g->nops; i++)
		if (g->ops[i].stage != FLOW_STAGE_PROCESSING)
			seq[n++] = i;
	for (i = p->norder - 1; i >= 0; i--)
		seq[n++] = p->order[i];
	while (changed) {
		changed = 0;
		for (x = 0; x < n + g->nops; x++) {
			const IrOp *op;
			i = x < n ? seq[x] : x - n;
			op = &g->ops[i];
			if (!live_op[i] && op->nout > 0 && p->origin_slot[op->out[0].origin] >= 0 &&
			    live_slot[p->origin_slot[op->out[0].origin]]) {
				live_op[i] = 1;
				changed = 1;
			}
			if (!live_op[i] || !p->params[i])
				continue;
			for (j = 0; j < op->nparam; j++)
				for (k = 0; k < p->params[i][j].nslots; k++)
					if (!live_slot[p->params[i][j].slots[k]]) {
						live_slot[p->params[i][j].slots[k]] = 1;
						changed = 1;
					}
			for (j = 0; j < op->ncond && p->cond_slot[i]; j++)
				if (!live_slot[p->cond_slot[i][j]]) {
					live_slot[p->cond_slot[i][j]] = 1;
					changed = 1;
				}
		}
	}
}

/* Drop dead operations that cannot fail (see flowc.h). */
int
pass_dce(Graph *g, Plan *p)
{
	unsigned char *live_op, *live_slot;
	int i, n = 0, kind[8];

	if (!p || !p->ok)
		return 0;
	live_op = xalloc((size_t)g->nops + 1);
	live_slot = xalloc((size_t)p->nslots + 1);
	/* An operation that may fail stays, and so must what it reads: its
	 * inputs and the producers of its conditions (a dropped condition
	 * producer would keep it from running, hiding its failure). */
	for (i = 0; i < p->norder; i++) {
		int opi = p->order[i];
		const IrOp *op = &g->ops[opi];
		if (p->op_gone[opi])
			continue;
		if (op->impl->nparam > 8)
			live_op[opi] = 1;
		else if (arg_kinds(p, op, opi, kind), !cannot_fail(op, kind))
			live_op[opi] = 1;
	}
	liveness(g, p, live_op, live_slot);
	for (i = 0; i < p->norder; i++) {
		int opi = p->order[i];
		const IrOp *op = &g->ops[opi];
		if (live_op[opi] || p->op_gone[opi] || op->impl->nparam > 8)
			continue;
		arg_kinds(p, op, opi, kind);
		if (cannot_fail(op, kind)) {
			p->op_gone[opi] = 1;
			n++;
		}
	}
	return n;
}
