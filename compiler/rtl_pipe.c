/*
 * rtl_pipe.c: the static schedule as a list of pipeline stages, for the
 * RTL backend (emit_rtl.c, flowc-rtl(7)).
 *
 * This is the one place that reads the Plan for the RTL target; the
 * printer sees only the RtlPipe it builds, so that it can later be fed
 * from a lowered schedule IR instead.  It decides eligibility (a flow
 * whose processing and cleanup operations are all int and bool
 * operations the hardware has, over values of one known kind each) and
 * explains a refusal at the manifest node in the way, like the HLS
 * target.  Then it places each kernel operation at a level: one more
 * than the deepest producer of anything it reads (parameters,
 * conditions, the origins whose presence it tests); cleanup operations
 * come no earlier than the last processing level, so that errors keep
 * their order.  Each level is one clock stage.  For every slot it
 * records where it is born and the last level that reads it, so the
 * printer registers a value only while something still needs it.
 *
 * Last, the widths: an interval [lo, hi] per int slot, from the flow
 * alone.  A context input can be any int64; a seed is its value, a slot
 * nothing fills 0; a parameter is the union of its slots and its
 * default; add, subtract and negate follow interval arithmetic, and
 * when both ends of the result fit int64 the operation cannot overflow
 * (it is "exact": the hardware drops its check), else the result may
 * be any int64.  Conditions do not narrow anything.  A slot's registers
 * are as wide as its interval needs in two's complement.
 */
#include <stdint.h>
#include <string.h>
#include "flowc.h"

static int
rtl_op(const IrOp *op)
{
	return op->impl && !op->user && (op->impl->hw & FLOW_HW_RTL);
}

static int
getter(const IrOp *op)
{
	return op->impl && !op->user && op->impl->role == FLOW_ROLE_OUTPUT;
}

static int
kind_of_val(flow_val v)
{
	return v.kind == FLOW_INT ? RTL_INT : v.kind == FLOW_BOOL ? RTL_BOOL : 0;
}

/* The one kind slot sl holds, or 0 when the RTL cannot hold it. */
static int
slot_kind(const Graph *g, const Plan *pl, int sl)
{
	const PlanSlot *s = &pl->slots[sl];
	flow_type t;

	if (s->producer >= 0)
		t = g->ops[s->producer].impl ? g->ops[s->producer].impl->out_type : FLOW_T_ANY;
	else if (s->nseeds == 1)
		return kind_of_val(g->seeds[s->seeds[0]].value);
	else if (s->nseeds > 1)
		return 0;
	else if (s->ctx && pl->def_ctx[s->def] > 0)
		t = g->defs[s->def].type;
	else                    /* never filled: typed like its definition, so
				 * that its readers read their other sources */
		return g->defs[s->def].type == FLOW_T_BOOL ? RTL_BOOL : RTL_INT;
	if (t == FLOW_T_ANY && s->producer < 0)
		return RTL_ANY;         /* a generic context value: int or bool
					 * travel tagged, others go to the host */
	return t == FLOW_T_INT ? RTL_INT : t == FLOW_T_BOOL ? RTL_BOOL : 0;
}

static void
refuse(DiagSink *d, Pos at, const char *fmt, const char *a, const char *b, const char *c)
{
	diag_error(d, at, fmt, a, b, c);
}

/* An operation's own shape; 0 after a diagnostic. */
static int
op_ok(DiagSink *d, const IrOp *op)
{
	int j, k;

	if (op->user) {
		refuse(d, op->pos, "cannot build for RTL: operation '%s' is a user operation; "
		    "the pipeline computes catalogue operations only%s%s", op->inst, "", "");
		return 0;
	}
	if (op->stage == FLOW_STAGE_OUTPUT) {
		if (getter(op))
			return 1;
		refuse(d, op->namepos, "cannot build for RTL: operation '%s' (%s) is in the output stage, "
		    "where the host runs only get_single and get_multi%s", op->inst, op->opname, "");
		return 0;
	}
	if (!rtl_op(op)) {
		refuse(d, op->namepos, "cannot build for RTL: operation '%s' (%s) has no one-clock "
		    "hardware form; the pipeline computes add, subtract, negate, less_than, greater_than, "
		    "equals, logical_not and logical_and%s", op->inst, op->opname, "");
		return 0;
	}
	for (k = 0; k < op->ndecl; k++) {
		for (j = 0; j < op->nparam && op->params[j].argpos != k; j++)
			;
		if (j == op->nparam) {
			refuse(d, op->decl_pos[k], "cannot build for RTL: input '%s' of operation '%s' has no "
			    "flow entry%s", op->decl_names[k], op->inst, "");
			return 0;
		}
	}
	if (op->nout > 0 && op->out[0].expand) {
		refuse(d, op->out[0].pos, "cannot build for RTL: operation '%s' expands its output; the "
		    "pipeline holds one value per definition%s%s", op->inst, "", "");
		return 0;
	}
	return 1;
}

/* Slot sl, read by op, cannot be held: say why at what is in the way. */
static int
refuse_slot(DiagSink *d, const Graph *g, const Plan *pl, const IrOp *op, int sl, Pos at)
{
	const PlanSlot *s = &pl->slots[sl];
	const IrDef *def = &g->defs[s->def];

	if (s->nseeds >= 1 && s->producer < 0) {
		const IrSeed *seed = &g->seeds[s->seeds[0]];
		if (s->nseeds > 1)
			diag_error(d, seed->pos, "cannot build for RTL: definition '%s' is seeded %d times; "
			    "the pipeline holds one value per definition", def->name, s->nseeds);
		else
			diag_error(d, seed->pos, "cannot build for RTL: the seed of definition '%s' is %s; "
			    "the pipeline holds int and bool values only", def->name,
			    flow_kind_name(seed->value.kind));
	} else
		diag_error(d, def->pos, "cannot build for RTL: definition '%s' (primitive '%s') reaches "
		    "operation '%s'; the pipeline holds int and bool values (of one kind per input) only",
		    def->name, def->primitive ? def->primitive : "?", op->inst);
	diag_note(d, at, "read by operation '%s' here", op->inst);
	return 0;
}

/* What a kernel operation reads has one kind each (and a parameter's
 * slots and default agree); 0 after a diagnostic. */
static int
values_ok(DiagSink *d, const Graph *g, const Plan *pl, const int *kind, int i)
{
	const IrOp *op = &g->ops[i];
	int j, k;

	for (j = 0; j < op->nparam; j++) {
		const PlanParam *pp = &pl->params[i][j];
		const IrDef *def = &g->defs[op->params[j].def];
		int want = def->has_default ? kind_of_val(def->dflt) : kind[pp->slots[0]];
		if (def->has_default && !want) {
			diag_error(d, def->pos, "cannot build for RTL: the default of definition '%s' is %s; "
			    "the pipeline holds int and bool values only", def->name,
			    flow_kind_name(def->dflt.kind));
			return 0;
		}
		for (k = 0; k < pp->nslots; k++)
			if (!kind[pp->slots[k]] || kind[pp->slots[k]] != want)
				return refuse_slot(d, g, pl, op, pp->slots[k], op->params[j].pos);
	}
	for (j = 0; j < op->ncond; j++)
		if (!kind[pl->cond_slot[i][j]])
			return refuse_slot(d, g, pl, op, pl->cond_slot[i][j], op->cond[j].pos);
	return 1;
}

/* Mark slot sl read at level lv by a kernel operation. */
static void
use(RtlPipe *rp, int sl, int lv)
{
	if (sl < 0)
		return;
	rp->read[sl] = 1;
	if (lv > rp->last[sl])
		rp->last[sl] = lv;
}

/* The level an operation's reads allow: 1 + the deepest producer. */
static int
op_level(const Graph *g, const Plan *pl, const RtlPipe *rp, int i)
{
	const IrOp *op = &g->ops[i];
	int j, k, lv = 1;

	for (j = 0; j < op->nparam + op->ncond; j++) {
		const IrSrc *src = j < op->nparam ? op->params[j].src : &op->cond[j - op->nparam];
		int ns = j < op->nparam ? op->params[j].nsrc : 1;
		for (k = 0; k < ns; k++) {
			int p = g->origins[src[k].origin].op;
			if (p >= 0 && rp->level[p] + 1 > lv)
				lv = rp->level[p] + 1;
		}
		if (j < op->nparam)
			for (k = 0; k < pl->params[i][j].nslots; k++) {
				int p = pl->slots[pl->params[i][j].slots[k]].producer;
				if (p >= 0 && rp->level[p] + 1 > lv)
					lv = rp->level[p] + 1;
			}
	}
	return lv;
}

/* Record every slot operation i reads (values and presence) at its level. */
static void
op_uses(const Graph *g, const Plan *pl, RtlPipe *rp, int i)
{
	const IrOp *op = &g->ops[i];
	int j, k, lv = rp->level[i];

	for (j = 0; j < op->nparam; j++) {
		for (k = 0; k < pl->params[i][j].nslots; k++)
			use(rp, pl->params[i][j].slots[k], lv);
		for (k = 0; k < op->params[j].nsrc; k++)
			if (g->origins[op->params[j].src[k].origin].op >= 0)
				use(rp, pl->origin_slot[op->params[j].src[k].origin], lv);
	}
	for (j = 0; j < op->ncond; j++) {
		use(rp, pl->cond_slot[i][j], lv);
		if (g->origins[op->cond[j].origin].op >= 0)
			use(rp, pl->origin_slot[op->cond[j].origin], lv);
	}
}

/* Does the output stage (on the host) test slot sl's presence or truth? */
static int
host_reads(const Graph *g, const Plan *pl, int sl)
{
	int i, j, k;

	for (i = 0; i < g->nops; i++) {
		const IrOp *op = &g->ops[i];
		if (!op->has_flow || op->stage != FLOW_STAGE_OUTPUT)
			continue;
		for (j = 0; j < op->ncond; j++)
			if (pl->cond_slot[i][j] == sl || pl->origin_slot[op->cond[j].origin] == sl)
				return 1;
		for (j = 0; j < op->nparam; j++)
			for (k = 0; k < op->params[j].nsrc; k++)
				if (pl->origin_slot[op->params[j].src[k].origin] == sl)
					return 1;
	}
	return 0;
}

/* Bits that hold 0..n-1 and an all-ones "none". */
static int
bits(int n)
{
	int b = 1;

	while ((1 << b) - 1 < n)
		b++;
	return b;
}

static void
add_op(RtlPipe *rp, int i)
{
	rp->ops[rp->nops++] = i;
}

/* Levels, kernel operations in order, slots' lifetimes and the layout
 * of the input and output words. */
static void
schedule(const Graph *g, const Plan *pl, const flow_prog *p, RtlPipe *rp)
{
	int i, k, sl, maxproc = 0;

	for (i = 0; i < pl->norder; i++) {
		int o = pl->order[i];
		if (!g->ops[o].has_flow)
			continue;
		rp->level[o] = op_level(g, pl, rp, o);
		if (rp->level[o] > maxproc)
			maxproc = rp->level[o];
		add_op(rp, o);
	}
	for (k = 0; k < p->nstage[FLOW_STAGE_CLEANUP]; k++) {
		int o = rp->graphop[p->stage_order[FLOW_STAGE_CLEANUP][k]];
		rp->level[o] = op_level(g, pl, rp, o);
		if (rp->level[o] < maxproc)
			rp->level[o] = maxproc;
		add_op(rp, o);
	}
	for (i = 0; i < rp->nops; i++) {
		if (rp->level[rp->ops[i]] > rp->depth)
			rp->depth = rp->level[rp->ops[i]];
		op_uses(g, pl, rp, rp->ops[i]);
	}
	for (sl = 0; sl < pl->nslots; sl++) {
		const PlanSlot *s = &pl->slots[sl];
		rp->born[sl] = s->producer >= 0 ? rp->level[s->producer] : 0;
		rp->in[sl] = rp->read[sl] && s->producer < 0 && s->nseeds == 0 && s->ctx &&
		    pl->def_ctx[s->def] > 0;
		rp->out[sl] = s->producer >= 0 && g->ops[s->producer].stage == FLOW_STAGE_PROCESSING &&
		    (pl->viewed[s->def] || host_reads(g, pl, sl));
		if (rp->out[sl])
			rp->last[sl] = rp->depth + 1;
	}
}

/* ---- ranges --------------------------------------------------------- */

/* See flowc.h. */
int
rtl_bits(int64_t lo, int64_t hi)
{
	int b = 1;

	while (b < 64 && (lo < -(INT64_C(1) << (b - 1)) || hi > (INT64_C(1) << (b - 1)) - 1))
		b++;
	return b;
}

/* See flowc.h. */
void
rtl_param_range(const RtlPipe *rp, int opi, int j, int64_t *lo, int64_t *hi)
{
	const PlanParam *pp = &rp->pl->params[opi][j];
	const IrDef *d = &rp->g->defs[rp->g->ops[opi].params[j].def];
	int k;

	*lo = INT64_MAX;
	*hi = INT64_MIN;
	if (d->has_default && d->dflt.kind == FLOW_INT)
		*lo = *hi = d->dflt.u.i;
	for (k = 0; k < pp->nslots; k++) {
		if (rp->lo[pp->slots[k]] < *lo)
			*lo = rp->lo[pp->slots[k]];
		if (rp->hi[pp->slots[k]] > *hi)
			*hi = rp->hi[pp->slots[k]];
	}
	if (*lo > *hi)
		*lo = *hi = 0;
}

/* a + b into *r; 0 if it does not fit int64. */
static int
add_fits(int64_t a, int64_t b, int64_t *r)
{
	if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))
		return 0;
	*r = a + b;
	return 1;
}

/* a - b into *r; 0 if it does not fit int64. */
static int
sub_fits(int64_t a, int64_t b, int64_t *r)
{
	if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b))
		return 0;
	*r = a - b;
	return 1;
}

/* The range of operation opi's int result, and whether it is exact. */
static void
op_range(RtlPipe *rp, int opi)
{
	const IrOp *op = &rp->g->ops[opi];
	int rop = FLOW_HW_RTL_OP(op->impl->hw);
	int64_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;
	int j, ints = 1, n = 0;

	rp->olo[opi] = INT64_MIN;
	rp->ohi[opi] = INT64_MAX;
	rp->exact[opi] = 0;
	if (op->impl->out_type != FLOW_T_INT)
		return;
	for (j = 0; j < op->nparam; j++) {
		const IrDef *d = &rp->g->defs[op->params[j].def];
		int kd = d->has_default ? (d->dflt.kind == FLOW_BOOL ? RTL_BOOL : RTL_INT) :
		    rp->kind[rp->pl->params[opi][j].slots[0]];
		if (kd == RTL_ANY)
			return;         /* tagged: any int64, checked */
		ints = ints && kd == RTL_INT;
		if (op->params[j].argpos == 0)
			rtl_param_range(rp, opi, j, &a0, &a1);
		else
			rtl_param_range(rp, opi, j, &b0, &b1);
		n++;
	}
	if (!ints || n != op->impl->nparam) {
		rp->olo[opi] = rp->ohi[opi] = 0;        /* a type error: never kept */
		return;
	}
	if (rop == FLOW_RTL_ADD)
		rp->exact[opi] = add_fits(a0, b0, &rp->olo[opi]) && add_fits(a1, b1, &rp->ohi[opi]);
	else if (rop == FLOW_RTL_SUB)
		rp->exact[opi] = sub_fits(a0, b1, &rp->olo[opi]) && sub_fits(a1, b0, &rp->ohi[opi]);
	else if (rop == FLOW_RTL_NEG)
		rp->exact[opi] = sub_fits(0, a1, &rp->olo[opi]) && sub_fits(0, a0, &rp->ohi[opi]);
	if (!rp->exact[opi]) {
		rp->olo[opi] = INT64_MIN;
		rp->ohi[opi] = INT64_MAX;
	}
}

/* The range of a slot no operation fills. */
static void
source_range(const Graph *g, const Plan *pl, RtlPipe *rp, int sl)
{
	const PlanSlot *s = &pl->slots[sl];

	rp->lo[sl] = rp->hi[sl] = 0;    /* never filled: read as 0 */
	if (s->nseeds == 1 && g->seeds[s->seeds[0]].value.kind == FLOW_INT)
		rp->lo[sl] = rp->hi[sl] = g->seeds[s->seeds[0]].value.u.i;
	else if (rp->in[sl]) {
		rp->lo[sl] = INT64_MIN;
		rp->hi[sl] = INT64_MAX;
	}
}

/* Ranges and widths, operations in run order (dependencies first): a
 * slot whose producer comes later (a cycle) may hold any int64. */
static void
ranges(const Graph *g, const Plan *pl, RtlPipe *rp)
{
	int i, sl;

	for (sl = 0; sl < pl->nslots; sl++) {
		rp->lo[sl] = INT64_MIN;
		rp->hi[sl] = INT64_MAX;
		if (pl->slots[sl].producer < 0)
			source_range(g, pl, rp, sl);
	}
	for (i = 0; i < rp->nops; i++) {
		int o = rp->ops[i], k;
		op_range(rp, o);
		for (k = 0; k < g->ops[o].nout; k++) {
			sl = pl->origin_slot[g->ops[o].out[k].origin];
			if (sl >= 0 && pl->slots[sl].producer == o && rp->kind[sl] == RTL_INT) {
				rp->lo[sl] = rp->olo[o];
				rp->hi[sl] = rp->ohi[o];
			}
		}
	}
	for (sl = 0; sl < pl->nslots; sl++)
		rp->w[sl] = rp->kind[sl] == RTL_BOOL ? 1 : rp->kind[sl] == RTL_ANY ? 65 :
		    rp->kind[sl] == RTL_INT ? rtl_bits(rp->lo[sl], rp->hi[sl]) : 64;
}

/* Decide eligibility and build the pipeline (see flowc.h). */
RtlPipe *
rtl_pipe(DiagSink *d, const Graph *g, const flow_prog *p, const Plan *pl)
{
	RtlPipe *rp;
	int i, n, sl;

	if (!pl || !pl->ok) {
		diag_error(d, pl ? pl->whypos : (Pos){g->file, 0, 0}, "cannot build for RTL: %s; the RTL "
		    "target needs the static schedule that flowc build -O2 finds",
		    pl ? pl->why : "no static schedule");
		return NULL;
	}
	rp = xalloc(sizeof *rp);
	rp->g = g;
	rp->pl = pl;
	rp->p = p;
	rp->kind = xalloc(sizeof(int) * (size_t)(pl->nslots + 1));
	for (sl = 0; sl < pl->nslots; sl++)
		rp->kind[sl] = slot_kind(g, pl, sl);
	for (i = 0; i < g->nops; i++)
		if (g->ops[i].has_flow && !op_ok(d, &g->ops[i]))
			return NULL;
	for (i = 0; i < g->nops; i++)
		if (g->ops[i].has_flow && hls_in_kernel(&g->ops[i]) &&
		    !values_ok(d, g, pl, rp->kind, i))
			return NULL;
	rp->progop = xalloc(sizeof(int) * (size_t)(g->nops + 1));
	rp->graphop = xalloc(sizeof(int) * (size_t)(g->nops + 1));
	for (i = n = 0; i < g->nops; i++) {
		rp->progop[i] = n;
		rp->graphop[n++] = i;
	}
	rp->level = xalloc(sizeof(int) * (size_t)(g->nops + 1));
	rp->ops = xalloc(sizeof(int) * (size_t)(g->nops + 1));
	rp->born = xalloc(sizeof(int) * (size_t)(pl->nslots + 1));
	rp->last = xalloc(sizeof(int) * (size_t)(pl->nslots + 1));
	rp->read = xalloc((size_t)pl->nslots + 1);
	rp->in = xalloc((size_t)pl->nslots + 1);
	rp->out = xalloc((size_t)pl->nslots + 1);
	for (sl = 0; sl < pl->nslots; sl++)
		rp->last[sl] = -1;
	schedule(g, pl, p, rp);
	rp->lo = xalloc(sizeof(int64_t) * (size_t)(pl->nslots + 1));
	rp->hi = xalloc(sizeof(int64_t) * (size_t)(pl->nslots + 1));
	rp->w = xalloc(sizeof(int) * (size_t)(pl->nslots + 1));
	rp->olo = xalloc(sizeof(int64_t) * (size_t)(g->nops + 1));
	rp->ohi = xalloc(sizeof(int64_t) * (size_t)(g->nops + 1));
	rp->exact = xalloc((size_t)g->nops + 1);
	ranges(g, pl, rp);
	rp->w_op = bits(n);
	rp->w_fired = bits(rp->nops + 1);
	return rp;
}

/* Is slot sl held in a register of stage k? */
int
rtl_live(const RtlPipe *rp, int sl, int k)
{
	const PlanSlot *s = &rp->pl->slots[sl];

	if (s->producer < 0 && !rp->in[sl])
		return 0;       /* a constant: seeded, or never filled */
	return rp->born[sl] <= k && k < rp->last[sl];
}
