/*
 * sched.c: the schedule IR, the static plan lowered into explicit steps.
 *
 * pass_static decides that a flow has a static schedule (Plan); this file
 * writes that schedule down once as a flat array of steps, QBE style:
 * what a context does, in order, on the plan's slots (one per origin and
 * definition).  A step names slots, operations, definitions and seeds by
 * index, never by pointer, so a schedule is easy to print, verify and
 * copy.  Its shape:
 *
 *   input     the context's values of a definition into its slot
 *   seed      a seed into its slot, after the inputs (§2.1)
 *   const     a value pass_fold computed, into its slot
 *   begin     an operation's block: processing operations in the plan's
 *             order, then cleanup, then (after the feeds) output
 *     cond      one condition source (a slot), joined or not to the
 *               previous one: the condition walk of §2.7
 *     present   a parameter that needs a candidate (it has no default)
 *     cands     a parameter read as a concatenation of slots (or its
 *               default): the others read their one slot directly
 *     loop      the product-order loop over one parameter (§2.6), from an
 *               earlier parameter's index when both draw on the same slots
 *     call      the operation on one permutation: typed (sig, its
 *               catalogue signature for the argument kinds) or boxed
 *     store     output j of the call into its slot, expanded or not
 *     assemble  an output operation's result into the context's result
 *   end
 *   feed      a definition's values to the output stage's network
 *
 * The C backend can print the steps as straight-line C over flow_vec
 * slots, the HLS backend as scalar locals, an RTL backend as a state
 * machine (a state per block, a counter per loop).  sched_verify checks
 * the invariants a printer relies on and runs after every pass;
 * pass_fold and pass_dce take operations out of the plan, and
 * sched_update drops their blocks (and writes the folded constants), so
 * `flowc build -d` shows what each pass removed.
 */
#include <string.h>
#include "flowc.h"

/* Insert a step at index at (s->n appends); returns it. */
static SchedStep *
insert(Sched *s, int at, SchedKind k, int op, int a, int b, int c)
{
	SchedStep *st;

	if (s->n == s->cap) {
		int cap = s->cap ? 2 * s->cap : 64;
		SchedStep *v = xalloc(sizeof *v * (size_t)cap);
		if (s->n)
			memcpy(v, s->v, sizeof *v * (size_t)s->n);
		s->v = v;
		s->cap = cap;
	}
	memmove(&s->v[at + 1], &s->v[at], sizeof *s->v * (size_t)(s->n - at));
	s->n++;
	st = &s->v[at];
	memset(st, 0, sizeof *st);
	st->k = k;
	st->op = op;
	st->a = a;
	st->b = b;
	st->c = c;
	return st;
}

/* Append a step; returns it. */
static SchedStep *
step(Sched *s, SchedKind k, int op, int a, int b, int c)
{
	return insert(s, s->n, k, op, a, b, c);
}

/* Kind letter of the values of parameter j of op when every slot it
 * draws on has one exact scalar kind and it has no default; else 0. */
static char
param_letter(const Graph *g, const Plan *p, const IrOp *op, int opi, int j)
{
	const PlanParam *pp = &p->params[opi][j];
	int k, kind = -2;

	if (g->defs[op->params[j].def].has_default)
		return 0;
	for (k = 0; k < pp->nslots; k++) {
		int sk = p->slots[pp->slots[k]].kind;
		kind = kind == -2 || kind == sk ? sk : -1;
	}
	return kind == FLOW_INT ? 'i' : kind == FLOW_FLOAT ? 'f' : kind == FLOW_BOOL ? 'b' : 0;
}

/* A typed call: the catalogue signature with a function for op's
 * argument kinds (st->sig, st->kinds), or leave st boxed. */
static void
typed_call(SchedStep *st, const Graph *g, const Plan *p, const IrOp *op, int opi)
{
	char k[4] = {0, 0, 0, 0};
	const flow_sig *sg;
	int j;

	if (op->user || op->nparam > 3 || op->nparam != op->impl->nparam)
		return;
	for (j = 0; j < op->nparam; j++)
		if (!(k[op->params[j].argpos] = param_letter(g, p, op, opi, j)))
			return;
	if (!(sg = flow_impl_sig(op->impl, k)) || !sg->fn)
		return;
	st->sig = sg;
	memcpy(st->kinds, k, sizeof k);
}

/* The earlier parameter whose loop index parameter j's loop starts from
 * (same slots: permutations that only swap them are skipped), or -1. */
static int
loop_from(const Plan *p, int opi, int j)
{
	int g = p->params[opi][j].group, prev;

	if (g == j)
		return -1;
	for (prev = j - 1; prev >= 0 && p->params[opi][prev].group != g; prev--)
		;
	return prev;
}

/* One operation's block. */
static void
lower_op(Sched *s, const Graph *g, const Plan *p, int opi)
{
	const IrOp *op = &g->ops[opi];
	int j, gather = op->impl->kind != FLOW_IMPL_NETWORK;
	SchedStep *call;

	step(s, SC_BEGIN, opi, op->stage, 0, 0)->pos = op->pos;
	for (j = 0; j < op->ncond; j++)
		step(s, SC_COND, opi, p->cond_slot[opi][j], j, op->cond[j].join);
	for (j = 0; gather && j < op->nparam; j++)
		if (!g->defs[op->params[j].def].has_default)
			step(s, SC_PRESENT, opi, j, 0, 0);
	for (j = 0; gather && j < op->nparam; j++)
		if (p->params[opi][j].nslots != 1 || g->defs[op->params[j].def].has_default)
			step(s, SC_CANDS, opi, j, 0, 0);
	for (j = 0; gather && j < op->nparam; j++)
		step(s, SC_LOOP, opi, j, loop_from(p, opi, j), 0);
	call = step(s, SC_CALL, opi, 0, 0, 0);
	if (gather)
		typed_call(call, g, p, op, opi);
	for (j = 0; op->stage == FLOW_STAGE_PROCESSING && j < op->nout; j++)
		if ((op->impl->out == NULL || j == 0) && p->origin_slot[op->out[j].origin] >= 0)
			step(s, SC_STORE, opi, j, p->origin_slot[op->out[j].origin], op->out[j].expand);
	if (op->stage == FLOW_STAGE_OUTPUT)
		step(s, SC_ASSEMBLE, opi, 0, 0, 0);
	step(s, SC_END, opi, 0, 0, 0);
}

/* Context inputs and seeds into their slots. */
static void
lower_fill(Sched *s, const Graph *g, const Plan *p)
{
	int i, k;

	for (i = 0; i < p->nslots; i++)
		if (p->slots[i].origin == g->seed_origin && p->slots[i].producer < 0 &&
		    p->def_ctx[p->slots[i].def])
			step(s, SC_INPUT, -1, i, p->slots[i].def, 0);
	for (k = 0; k < g->nseeds; k++)
		for (i = 0; i < p->nslots; i++)
			if (p->slots[i].origin == g->seeds[k].origin && p->slots[i].def == g->seeds[k].def) {
				step(s, SC_SEED, -1, i, k, 0);
				break;
			}
}

/* See flowc.h. */
Sched *
sched_lower(const Graph *g, const flow_prog *prog, const Plan *p)
{
	Sched *s = xalloc(sizeof *s);
	int i, d;

	if (!p || !p->ok)
		return s;
	lower_fill(s, g, p);
	for (i = 0; i < p->norder; i++)
		lower_op(s, g, p, p->order[i]);
	for (i = 0; i < prog->nstage[FLOW_STAGE_CLEANUP]; i++)
		lower_op(s, g, p, prog->stage_order[FLOW_STAGE_CLEANUP][i]);
	for (d = 0; d < g->ndefs; d++)
		if (p->viewed[d])
			step(s, SC_FEED, -1, d, 0, 0);
	for (i = 0; i < prog->nstage[FLOW_STAGE_OUTPUT]; i++)
		lower_op(s, g, p, prog->stage_order[FLOW_STAGE_OUTPUT][i]);
	return s;
}

/* See flowc.h. */
int
sched_update(Sched *s, const Plan *p)
{
	unsigned char *has = xalloc((size_t)p->nslots + 1);
	int i, n = 0, gone = 0, in = 0, fill = 0;

	for (i = 0; i < s->n; i++) {
		const SchedStep *st = &s->v[i];
		if (st->k == SC_BEGIN)
			in = p->op_gone[st->op];
		if (in)
			gone++;
		else
			s->v[n++] = *st;
		if (st->k == SC_END)
			in = 0;
	}
	s->n = n;
	for (i = 0; i < s->n && s->v[i].k <= SC_CONST; i++)
		if (s->v[i].k == SC_CONST)
			has[s->v[i].a] = 1;
	fill = i;
	for (i = 0; i < p->nslots; i++)
		if (p->slots[i].has_const && !has[i])
			insert(s, fill++, SC_CONST, -1, i, 0, 0);
	return gone;
}

static const char *const kind_names[] = {
	[SC_INPUT] = "input", [SC_SEED] = "seed", [SC_CONST] = "const", [SC_BEGIN] = "begin",
	[SC_COND] = "cond", [SC_PRESENT] = "present", [SC_CANDS] = "cands", [SC_LOOP] = "loop",
	[SC_CALL] = "call", [SC_STORE] = "store", [SC_ASSEMBLE] = "assemble", [SC_END] = "end",
	[SC_FEED] = "feed",
};

/* The name of step kind k. */
const char *
sched_kind_name(SchedKind k)
{
	return (unsigned)k < SC_NKINDS && kind_names[k] ? kind_names[k] : "?";
}

/* A parameter's name, for the printer. */
static const char *
param_name(const IrOp *op, int j)
{
	return op && j >= 0 && j < op->nparam ? op->params[j].name : "?";
}

/* One step's operands, readably. */
static void
print_step(const SchedStep *st, const Graph *g, FILE *f)
{
	const IrOp *op = st->op >= 0 && st->op < g->nops ? &g->ops[st->op] : NULL;

	switch (st->k) {
	case SC_INPUT: fprintf(f, " s%d <- context %s", st->a, g->defs[st->b].name); break;
	case SC_SEED: fprintf(f, " s%d <- seed %d", st->a, st->b); break;
	case SC_CONST: fprintf(f, " s%d <- folded", st->a); break;
	case SC_BEGIN:
		fprintf(f, " op%d %s = %s [%s] %s:%d:%d", st->op, op ? op->inst : "?",
		    op ? op->opname : "?", stage_name(st->a), st->pos.file ? st->pos.file : "?",
		    st->pos.line, st->pos.col);
		break;
	case SC_COND: fprintf(f, " s%d%s", st->a, st->c ? " (joined)" : ""); break;
	case SC_PRESENT: case SC_CANDS: fprintf(f, " %s", param_name(op, st->a)); break;
	case SC_LOOP:
		fprintf(f, " i%d %s", st->a, param_name(op, st->a));
		if (st->b >= 0)
			fprintf(f, " from i%d", st->b);
		break;
	case SC_CALL:
		if (st->sig)
			fprintf(f, " %s (%s) -> %c", st->sig->fn, st->sig->kinds, st->sig->result);
		else
			fprintf(f, " boxed %s", op && op->impl ? op->impl->name : "?");
		break;
	case SC_STORE: fprintf(f, " out %d -> s%d%s", st->a, st->b, st->c ? " (expand)" : ""); break;
	case SC_END: fprintf(f, " op%d", st->op); break;
	case SC_FEED: fprintf(f, " %s", st->a >= 0 && st->a < g->ndefs ? g->defs[st->a].name : "?"); break;
	default: break;
	}
}

/* See flowc.h. */
void
sched_print(const Sched *s, const Graph *g, FILE *f)
{
	int i, depth = 0;

	fprintf(f, "schedule: %d steps\n", s->n);
	for (i = 0; i < s->n; i++) {
		const SchedStep *st = &s->v[i];
		if (st->k == SC_END)
			depth = 0;
		fprintf(f, "%s%s", depth ? "    " : "  ", sched_kind_name(st->k));
		print_step(st, g, f);
		fputc('\n', f);
		if (st->k == SC_BEGIN)
			depth = 1;
	}
}

/* Report one problem of step i; returns 1. */
static int
bad(FILE *f, const SchedStep *st, int i, const char *what)
{
	fprintf(f, "sched_verify: step %d (%s): %s\n", i, sched_kind_name(st->k), what);
	return 1;
}

/* A slot index out of range? */
static int
no_slot(const Plan *p, int sl)
{
	return sl < 0 || sl >= p->nslots;
}

/* The problems of one step, in block `block` or outside blocks (-1). */
static int
check_step(const SchedStep *st, int i, int block, const Graph *g, const Plan *p, FILE *f)
{
	const IrOp *op;
	int outside = st->k == SC_INPUT || st->k == SC_SEED || st->k == SC_CONST ||
	    st->k == SC_FEED || st->k == SC_BEGIN;

	if ((unsigned)st->k >= SC_NKINDS)
		return bad(f, st, i, "unknown kind");
	if (outside != (block < 0))
		return bad(f, st, i, block < 0 ? "outside an operation's block" : "inside a block");
	if (st->k == SC_FEED)
		return st->a < 0 || st->a >= g->ndefs ? bad(f, st, i, "no such definition") : 0;
	if (st->k == SC_INPUT || st->k == SC_SEED || st->k == SC_CONST)
		return no_slot(p, st->a) ? bad(f, st, i, "no such slot") : 0;
	if (st->op < 0 || st->op >= g->nops || (block >= 0 && st->op != block))
		return bad(f, st, i, "not the operation of its block");
	op = &g->ops[st->op];
	if (p->op_gone[st->op])
		return bad(f, st, i, "the operation was removed from the plan");
	if ((st->k == SC_PRESENT || st->k == SC_CANDS || st->k == SC_LOOP) &&
	    (st->a < 0 || st->a >= op->nparam))
		return bad(f, st, i, "no such parameter");
	if ((st->k == SC_COND && no_slot(p, st->a)) || (st->k == SC_STORE && no_slot(p, st->b)))
		return bad(f, st, i, "no such slot");
	if (st->k == SC_LOOP && st->b >= st->a)
		return bad(f, st, i, "a loop starts from a later parameter");
	if (st->k == SC_CALL && st->sig && (int)strlen(st->sig->kinds) != op->impl->nparam)
		return bad(f, st, i, "the signature does not fit the operation");
	return 0;
}

/* See flowc.h. */
int
sched_verify(const Sched *s, const Graph *g, const Plan *p, FILE *f)
{
	int i, block = -1, calls = 0, loops = 0, problems = 0;

	for (i = 0; i < s->n; i++) {
		const SchedStep *st = &s->v[i];
		problems += check_step(st, i, st->k == SC_BEGIN ? -1 : block, g, p, f);
		if (st->k == SC_BEGIN) {
			block = st->op;
			calls = loops = 0;
		} else if (st->k == SC_LOOP && st->a != loops++) {
			problems += bad(f, st, i, "loops out of parameter order");
		} else if (st->k == SC_CALL) {
			calls++;
		} else if (st->k == SC_END) {
			if (calls != 1)
				problems += bad(f, st, i, "a block needs exactly one call");
			block = -1;
		}
	}
	if (block >= 0)
		problems += bad(f, &s->v[s->n - 1], s->n - 1, "the last block has no end");
	return problems;
}
