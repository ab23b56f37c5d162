/*
 * pass_fold.c: seed folding on the static schedule.
 *
 * A processing operation whose every input comes from one seeded slot
 * (one seed value, and no context may add another) or from an operation
 * already folded, and which has no conditions, runs exactly once in
 * every context on the same values: DFFML's product rule gives one
 * permutation, the seed origin is always there to trigger it.  So it is
 * run here, at compile time, by the very function the runtime would
 * call, and its output slot becomes a constant.  An operation that fails
 * on its seeds is left alone (every context will fail at run time, in
 * the orchestrator, with the exact first failure) and gets a warning.
 * Expanded outputs and operations with several outputs are not folded.
 */
#include <string.h>
#include "flowc.h"

/* The one constant a slot can give, or NULL. */
static const flow_val *
slot_const(const Graph *g, Plan *p, int sl)
{
	PlanSlot *s = &p->slots[sl];

	if (s->has_const)
		return &s->konst;
	if (s->producer >= 0 || s->nseeds != 1)
		return NULL;    /* (contexts are then kept from adding a value) */
	return &g->seeds[s->seeds[0]].value;
}

static int
foldable(const Graph *g, const IrOp *op)
{
	(void)g;
	return op->ncond == 0 && op->nout == 1 && !op->out[0].expand && op->impl &&
	    op->impl->kind == FLOW_IMPL_PURE && op->impl->out && op->impl->fn && !op->user &&
	    flow_stdlib_find(op->impl->name) && op->nparam == op->impl->nparam;
}

/* Fold op if it can be: its output slot gets the value. */
static int
fold(Graph *g, Plan *p, DiagSink *d, int opi)
{
	const IrOp *op = &g->ops[opi];
	flow_val args[8], out;
	flow_opctx c;
	int j, sl, rc;

	if (!foldable(g, op) || op->nparam > 8)
		return 0;
	for (j = 0; j < op->nparam; j++) {
		const flow_val *k;
		if (p->params[opi][j].nslots != 1 || g->defs[op->params[j].def].has_default ||
		    !(k = slot_const(g, p, p->params[opi][j].slots[0])))
			return 0;
		args[op->params[j].argpos] = *k;
	}
	memset(&c, 0, sizeof c);
	c.arena = cc_arena;
	c.config = op->config;
	rc = op->impl->fn(&c, args, &out);
	if (rc < 0) {
		diag_warning(d, op->pos, "operation '%s' fails in every context on its seed "
		    "values: %s", op->inst, c.errmsg ? c.errmsg : "failed");
		return 0;
	}
	if (rc != 0 || (sl = p->origin_slot[op->out[0].origin]) < 0)
		return 0;
	for (j = 0; j < op->nparam; j++) {
		PlanSlot *in = &p->slots[p->params[opi][j].slots[0]];
		if (in->producer < 0)
			p->def_ctx[in->def] = 0;        /* a context's value would add a run */
	}
	p->slots[sl].has_const = 1;
	p->slots[sl].konst = flow_copy(cc_arena, out);
	p->op_gone[opi] = 1;
	return 1;
}

/* Fold what can be folded, producers first (see flowc.h). */
int
pass_fold(Graph *g, Plan *p, DiagSink *d)
{
	int i, n = 0;

	if (!p || !p->ok)
		return 0;
	for (i = 0; i < p->norder; i++)
		n += fold(g, p, d, p->order[i]);
	return n;
}
