/*
 * hls_eligible.c: what the HLS target can build, and why not.
 *
 * A flow can become hardware when pass_static found a static schedule,
 * every processing or cleanup operation is an HLS-safe catalogue
 * operation (flow_impl.hw), expanding, if at all, an array of ints in
 * processing (many_ok says what may read an expansion's values), every
 * value they read is an
 * int, float, bool, string or array of ints with at most one seed (a
 * seeded string or array within its bound), no parameter mixes strings
 * or arrays with other kinds,
 * and the output stage holds only the catalogue's output operations
 * (FLOW_ROLE_OUTPUT, run on the host).  Otherwise the first operation or
 * definition in the way gets a diagnostic saying why.  On the way it
 * decides the kinds each plan slot's kernel local may hold (HLS_KI,
 * HLS_KF, HLS_KB, or HLS_KS or HLS_KA alone), which emit_hls.c lays the
 * kernel out by.
 */
#include <string.h>
#include "flowc.h"

enum { KI = HLS_KI, KF = HLS_KF, KB = HLS_KB, KS = HLS_KS, KA = HLS_KA };

/* What the kernel's values can be, for diagnostics. */
#define KINDS "int, float, bool and string values and arrays of ints"


/* The eligibility check's state. */
typedef struct Elig {
	DiagSink *d;
	const Graph *g;
	const Plan *pl;
	int max_values;
	int max_string;         /* the string bound, in bytes */
	int *mask;              /* per slot: kinds its kernel local holds */
	unsigned char *many;    /* per slot: holds several values (hls_many) */
} Elig;

/* Kinds a context value of a definition of type t can have. */
int
hls_type_mask(flow_type t)
{
	switch (t) {
	case FLOW_T_INT: return KI;
	case FLOW_T_FLOAT: return KI | KF;
	case FLOW_T_BOOL: return KB;
	case FLOW_T_STR: return KS;
	case FLOW_T_ARRAY: return KA;
	case FLOW_T_ANY: return KI | KF | KB;
	default: return 0;
	}
}

/* The kind of what an operation returns (exact for the HLS-safe ones). */
int
hls_result_mask(flow_type t)
{
	return t == FLOW_T_INT ? KI : t == FLOW_T_FLOAT ? KF : t == FLOW_T_BOOL ? KB :
	    t == FLOW_T_STR ? KS : t == FLOW_T_ARRAY ? KA : 0;
}

/* The kind of a constant (an array only when its items are ints). */
int
hls_value_mask(flow_val v)
{
	size_t i;

	if (v.kind == FLOW_ARRAY) {
		for (i = 0; i < v.u.a->n; i++)
			if (v.u.a->items[i].kind != FLOW_INT)
				return 0;
		return KA;
	}
	return v.kind == FLOW_INT ? KI : v.kind == FLOW_FLOAT ? KF : v.kind == FLOW_BOOL ? KB :
	    v.kind == FLOW_STR ? KS : 0;
}

/* get_single, get_multi: run by the test bench's host side. */
static int
is_getter(const IrOp *op)
{
	return op->impl && !op->user && op->impl->kind == FLOW_IMPL_NETWORK &&
	    op->impl->role == FLOW_ROLE_OUTPUT;
}

/* Operations the kernel knows how to call: the catalogue's HLS-safe
 * ones (typed functions on int, float and bool, and flowops.h's
 * functions on bounded strings; see call() in emit_hls.c). */
static int
hls_op(const IrOp *op)
{
	return op->impl && !op->user && (op->impl->hw & FLOW_HW_HLS) &&
	    flow_stdlib_find(op->impl->name) == op->impl;
}

/* The names of the catalogue's operations of role `role`, or of its
 * HLS-safe ones (role -1), joined by sep and, before the last, last. */
static const char *
op_names(int role, const char *sep, const char *last)
{
	flow_buf b = {0, 0, 0};
	const flow_impl *im;
	const char *prev = NULL;
	char *r;

	for (im = flow_stdlib; im->name; im++) {
		if (role < 0 ? !(im->hw & FLOW_HW_HLS) : im->role != role)
			continue;
		if (prev)
			flow_buf_printf(&b, "%s%s", b.len ? sep : "", prev);
		prev = im->name;
	}
	if (prev)
		flow_buf_printf(&b, "%s%s", b.len ? last : "", prev);
	r = xstrdup(b.len ? b.p : "none");
	flow_buf_free(&b);
	return r;
}

/* Is op in a stage the kernel runs (processing, cleanup)? */
int
hls_in_kernel(const IrOp *op)
{
	return op->stage == FLOW_STAGE_PROCESSING || op->stage == FLOW_STAGE_CLEANUP;
}

/* Kinds of slot sl's kernel local; 0 if it cannot hold a scalar. */
static int
slot_mask(Elig *h, int sl)
{
	const PlanSlot *s = &h->pl->slots[sl];

	if (s->producer >= 0)
		return h->g->ops[s->producer].impl ? hls_result_mask(h->g->ops[s->producer].impl->out_type) : 0;
	if (s->nseeds == 1)
		return hls_value_mask(h->g->seeds[s->seeds[0]].value);
	if (s->nseeds > 1)
		return 0;
	if (s->ctx && h->pl->def_ctx[s->def] > 0)
		return hls_type_mask(h->g->defs[s->def].type);
	/* never filled: a custom origin without seeds, or a definition whose
	 * context values fall back; typed like its definition so that the
	 * operations reading it read their other sources too */
	return hls_type_mask(h->g->defs[s->def].type) ? hls_type_mask(h->g->defs[s->def].type) : KI;
}

/* A slot an operation of the kernel reads cannot hold a scalar: say why,
 * at the definition (or the seed) in the way. */
static int
refuse_slot(Elig *h, const IrOp *op, int sl, const char *what, const char *name, Pos at)
{
	const PlanSlot *s = &h->pl->slots[sl];
	const IrDef *def = &h->g->defs[s->def];

	if (s->nseeds >= 1 && s->producer < 0) {
		const IrSeed *seed = &h->g->seeds[s->seeds[0]];
		if (s->nseeds > 1)
			diag_error(h->d, seed->pos, "cannot build for HLS: definition '%s' is seeded %d times; "
			    "the kernel takes one value per definition", def->name, s->nseeds);
		else
			diag_error(h->d, seed->pos, "cannot build for HLS: the seed of definition '%s' is %s; "
			    "the kernel handles " KINDS " only", def->name,
			    flow_kind_name(seed->value.kind));
	} else
		diag_error(h->d, def->pos, "cannot build for HLS: definition '%s' (primitive '%s') "
		    "reaches operation '%s'; the kernel handles " KINDS " only",
		    def->name, def->primitive ? def->primitive : "?", op->inst);
	diag_note(h->d, at, "read by %s '%s' of operation '%s' here", what, name, op->inst);
	return 0;
}

/* An operation's own shape: catalogue, in a stage the kernel or the
 * test bench runs, HLS-safe and fully wired in the kernel, no expand. */
static int
op_ok(Elig *h, const IrOp *op)
{
	int j, k;

	if (op->user) {
		diag_error(h->d, op->pos, "cannot build for HLS: operation '%s' is a user operation; "
		    "the kernel calls catalogue operations only", op->inst);
		return 0;
	}
	if (op->stage == FLOW_STAGE_OUTPUT) {
		if (is_getter(op))
			return 1;
		diag_error(h->d, op->namepos, "cannot build for HLS: operation '%s' (%s) is in the output "
		    "stage, where the test bench runs only %s", op->inst, op->opname,
		    op_names(FLOW_ROLE_OUTPUT, ", ", " and "));
		return 0;
	}
	if (!hls_op(op)) {
		diag_error(h->d, op->namepos, "cannot build for HLS: operation '%s' (%s) has no HLS "
		    "implementation; the kernel can call %s", op->inst, op->opname, op_names(-1, ", ", ", "));
		return 0;
	}
	for (k = 0; k < op->ndecl; k++) {
		for (j = 0; j < op->nparam && op->params[j].argpos != k; j++)
			;
		if (j == op->nparam) {
			diag_error(h->d, op->decl_pos[k], "cannot build for HLS: input '%s' of operation '%s' "
			    "has no flow entry, so the operation would be called without it",
			    op->decl_names[k], op->inst);
			return 0;
		}
	}
	if (op->nout > 0 && op->out[0].expand && op->stage != FLOW_STAGE_PROCESSING) {
		diag_error(h->d, op->out[0].pos, "cannot build for HLS: operation '%s' expands its output "
		    "in the %s stage; the kernel expands in the processing stage only", op->inst,
		    stage_name(op->stage));
		return 0;
	}
	if (op->nout > 0 && op->out[0].expand && hls_result_mask(op->impl->out_type) != KA) {
		diag_error(h->d, op->out[0].pos, "cannot build for HLS: operation '%s' expands a result "
		    "that is not an array of ints; the kernel expands arrays of ints only", op->inst);
		return 0;
	}
	return 1;
}

/* See flowc.h. */
unsigned char *
hls_many(const Graph *g, const Plan *pl)
{
	unsigned char *many = xalloc((size_t)pl->nslots + 1);
	int i, j, k, m, sl;

	memset(many, 0, (size_t)pl->nslots + 1);
	for (i = 0; i < pl->norder; i++) {
		const IrOp *op = &g->ops[pl->order[i]];
		if (!op->has_flow || op->stage != FLOW_STAGE_PROCESSING || op->nout == 0)
			continue;
		m = op->out[0].expand;
		for (j = 0; j < op->nparam; j++)
			for (k = 0; k < pl->params[pl->order[i]][j].nslots; k++)
				m |= many[pl->params[pl->order[i]][j].slots[k]];
		sl = pl->origin_slot[op->out[0].origin];
		if (m && sl >= 0)
			many[sl] = 1;
	}
	return many;
}

/* Operation i and the slots holding several values (an expansion's, or
 * results over one): the kernel loops over one parameter's values in
 * product order and keeps several ints. */
static int
many_ok(Elig *h, int i)
{
	const IrOp *op = &h->g->ops[i];
	const char *why = NULL;
	Pos at = op->pos;
	int j, k, reads = 0;

	for (j = 0; j < op->ncond; j++)
		if (h->many[h->pl->cond_slot[i][j]]) {
			why = "a condition reads the values of an expansion; the kernel loops over parameters only";
			at = op->cond[j].pos;
		}
	for (j = 0; j < op->nparam && !why; j++) {
		const PlanParam *pp = &h->pl->params[i][j];
		int m = 0;
		for (k = 0; k < pp->nslots; k++)
			m |= h->many[pp->slots[k]];
		if (!m)
			continue;
		reads = 1;
		at = op->params[j].pos;
		if (pp->nslots != 1 || h->g->defs[op->params[j].def].has_default)
			why = "an input reading an expansion has other sources or a default; the kernel loops over one source";
		for (k = 0; k < op->nparam; k++)
			if (k != j && h->pl->params[i][k].group == pp->group)
				why = "two inputs draw on the same values; the kernel loops over distinct ones only";
	}
	if (!why && reads && op->stage != FLOW_STAGE_PROCESSING)
		why = "the cleanup stage reads the values of an expansion; the kernel loops in processing only";
	else if (!why && reads && op->nout > 0 && op->out[0].expand)
		why = "it expands again over the values of an expansion; the kernel expands once";
	else if (!why && reads && hls_result_mask(op->impl->out_type) != KI)
		why = "its results over the values of an expansion are not ints; the kernel keeps several ints only";
	if (!why)
		return 1;
	diag_error(h->d, at, "cannot build for HLS: operation '%s': %s", op->inst, why);
	return 0;
}

/* A string or array seed of slot sl fits its bound? */
static int
seed_fits(Elig *h, int sl)
{
	const PlanSlot *s = &h->pl->slots[sl];
	const IrSeed *seed;

	if ((h->mask[sl] != KS && h->mask[sl] != KA) || s->producer >= 0 || s->nseeds != 1)
		return 1;
	seed = &h->g->seeds[s->seeds[0]];
	if (h->mask[sl] == KS && seed->value.u.s->len > (size_t)h->max_string)
		diag_error(h->d, seed->pos, "cannot build for HLS: the seed of definition '%s' is %zu bytes, "
		    "more than the kernel's string bound of %d (--max-string-bytes)",
		    h->g->defs[s->def].name, seed->value.u.s->len, h->max_string);
	else if (h->mask[sl] == KA && seed->value.u.a->n > (size_t)h->max_values)
		diag_error(h->d, seed->pos, "cannot build for HLS: the seed of definition '%s' has %zu items, "
		    "more than the kernel's array bound of %d (--max-values)",
		    h->g->defs[s->def].name, seed->value.u.a->n, h->max_values);
	else
		return 1;
	return 0;
}

/* Parameter j of operation i: its slots are all strings, all arrays, or
 * neither. */
static int
param_kinds_ok(Elig *h, const IrOp *op, int i, int j)
{
	const PlanParam *pp = &h->pl->params[i][j];
	int k, m = 0;

	for (k = 0; k < pp->nslots; k++)
		m |= h->mask[pp->slots[k]];
	if (!(m & (KS | KA)) || m == KS || m == KA)
		return 1;
	diag_error(h->d, op->params[j].pos, "cannot build for HLS: input '%s' of operation '%s' "
	    "takes strings or arrays from one source and other values from another; the kernel "
	    "keeps them apart", op->params[j].name, op->inst);
	return 0;
}

/* What a processing or cleanup operation reads: int, float, bool or
 * string (strings within the bound, and apart from the others). */
static int
values_ok(Elig *h, int i)
{
	const IrOp *op = &h->g->ops[i];
	int j, k;

	for (j = 0; j < op->nparam; j++) {
		const PlanParam *pp = &h->pl->params[i][j];
		const IrDef *def = &h->g->defs[op->params[j].def];
		for (k = 0; k < pp->nslots; k++) {
			if (!h->mask[pp->slots[k]])
				return refuse_slot(h, op, pp->slots[k], "input", op->params[j].name, op->params[j].pos);
			if (!seed_fits(h, pp->slots[k]))
				return 0;
		}
		if (!param_kinds_ok(h, op, i, j))
			return 0;
		if (def->has_default && !(hls_value_mask(def->dflt) & (KI | KF | KB))) {
			diag_error(h->d, def->pos, "cannot build for HLS: the default of definition '%s' is %s; "
			    "the kernel takes defaults of kind int, float and bool only", def->name,
			    flow_kind_name(def->dflt.kind));
			return 0;
		}
	}
	for (j = 0; j < op->ncond; j++) {
		if (!h->mask[h->pl->cond_slot[i][j]])
			return refuse_slot(h, op, h->pl->cond_slot[i][j], "condition",
			    h->g->defs[h->pl->slots[h->pl->cond_slot[i][j]].def].name, op->cond[j].pos);
		if (!seed_fits(h, h->pl->cond_slot[i][j]))
			return 0;
	}
	return 1;
}

/* Decide eligibility and the kinds of the kernel's values; 0 after a
 * diagnostic. */
static int
check_all(Elig *h)
{
	const Graph *g = h->g;
	const Plan *pl = h->pl;
	int i, sl;

	if (!pl || !pl->ok) {
		diag_error(h->d, pl ? pl->whypos : (Pos){g->file, 0, 0}, "cannot build for HLS: %s; the HLS "
		    "target needs the static schedule that flowc build -O2 finds",
		    pl ? pl->why : "no static schedule");
		return 0;
	}
	h->mask = xalloc(sizeof(int) * (size_t)(pl->nslots + 1));
	for (sl = 0; sl < pl->nslots; sl++)
		h->mask[sl] = slot_mask(h, sl);
	for (i = 0; i < g->nops; i++)
		if (g->ops[i].has_flow && !op_ok(h, &g->ops[i]))
			return 0;
	h->many = hls_many(g, pl);
	for (sl = 0; sl < pl->nslots; sl++)
		if (h->many[sl])
			h->mask[sl] = KI;       /* the items of an expansion */
	for (i = 0; i < g->nops; i++)
		if (g->ops[i].has_flow && hls_in_kernel(&g->ops[i]) && (!values_ok(h, i) || !many_ok(h, i)))
			return 0;
	return 1;
}

/* See flowc.h. */
int
hls_eligible(DiagSink *d, const Graph *g, const Plan *pl, int max_values, int max_string, int **mask)
{
	Elig e;

	memset(&e, 0, sizeof e);
	e.d = d;
	e.g = g;
	e.pl = pl;
	e.max_values = max_values > 0 ? max_values : HLS_MAX_VALUES;
	e.max_string = max_string > 0 ? max_string : HLS_STRING_BYTES;
	if (!check_all(&e))
		return 0;
	if (mask)
		*mask = e.mask;
	return 1;
}
