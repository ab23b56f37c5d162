/*
 * emit_rtl.c: the RTL backend.  `flowc build FLOW --target=verilog -o DIR`
 * writes into DIR
 *
 *   <flow>_rtl.v         the pipeline: synthesizable Verilog-2005, one
 *                        module, one clock, a synchronous reset, no
 *                        latches, no `initial`; AXI4-Stream style
 *                        valid/ready on the input and output words;
 *   <flow>_bench.v       the simulation bench (not for synthesis): reads
 *                        one input word per line, streams it through the
 *                        pipeline, prints one output word per line;
 *   <flow>_kernel_rtl.c  the kernel function of the HLS test bench's
 *                        interface, implemented by running the bench in a
 *                        simulator as a coprocess;
 *   <flow>_tb.c, <flow>_tables.c, <flow>_kernel.h, flowhls.h, flowops.h
 *                        the host side, exactly as the HLS target writes
 *                        it (emit_hls.c): JSON Lines in and out, the
 *                        output stage, the orchestrator for the contexts
 *                        the pipeline cannot take or in which an operation
 *                        failed (so error lines are flowc run's);
 *   Makefile             tb (Verilator), iverilog, lint, synth, fpga.
 *
 * The pipeline comes from rtl_pipe.c's stages: stage 0 registers the
 * input word; stage k computes, in one always @* block, the operations
 * of level k exactly as the HLS kernel does (condition walk, presence,
 * trigger, the operation, its status) from stage k-1's registers, and
 * registers what later stages and the output read.  A context carries a
 * status (0, a FLOW_E_* code, 100 for a type error, 101 for a case only
 * the host handles) and the failing operation's number; once set, later
 * operations of the context do nothing.  The pipeline stalls as a whole
 * when its last stage holds a word the consumer does not take.
 *
 * Ints are as wide as rtl_pipe.c's ranges say (flowc-rtl(7), WIDTHS):
 * an operation sign-extends its int arguments to the width it computes
 * in, a result is cut to its slot's width (exact, since the range holds
 * it), and a value is sign-extended back to 64 bits where it leaves the
 * pipeline, so the words keep the HLS kernel's layout.
 *
 * Manifest names never become identifiers: slots and operations are
 * numbered, names appear only in sanitized comments.  The output is
 * deterministic; DIR's path appears in no file.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "flowc.h"

enum { W_ERR = 7, E_OVERFLOW = 1, E_TYPE = 100, E_HOST = 101 };

typedef struct Rtl {
	const RtlPipe *rp;
	const Graph *g;
	const Plan *pl;
	const char *source;
	const char *base;       /* file prefix */
	const char *top;        /* the pipeline module */
	FILE *f;
	int iw, ow;             /* input and output word widths */
} Rtl;

/* printf plus a newline. */
static void
out(Rtl *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(r->f, fmt, ap);
	va_end(ap);
	fputc('\n', r->f);
}

/* Bits of a value of this kind in the input and output words. */
static int
width(int kind)
{
	return kind == RTL_BOOL ? 1 : kind == RTL_ANY ? 65 : 64;
}

/* A w-bit 0. */
static const char *
zero_w(int w)
{
	return w == 1 ? "1'b0" : w == 64 ? "64'h0" : xprintf("%d'h0", w);
}

/* A constant of kind int or bool as Verilog, an int in w bits (which
 * hold it). */
static const char *
literal_w(flow_val v, int w)
{
	if (v.kind == FLOW_BOOL)
		return v.u.b ? "1'b1" : "1'b0";
	if (w == 64)
		return xprintf("64'h%016" PRIx64, (uint64_t)v.u.i);
	return xprintf("%d'h%" PRIx64, w, (uint64_t)v.u.i & ((UINT64_C(1) << w) - 1));
}

/* Identifier x of w bits sign-extended to n >= w bits. */
static const char *
sext(const char *x, int w, int n)
{
	if (w == n)
		return x;
	if (w == 1)
		return xprintf("{%d{%s}}", n, x);
	return xprintf("{{%d{%s[%d]}}, %s}", n - w, x, w - 1, x);
}

/* ---- values as read by stage k (from stage k-1's registers) ------- */

static int
is_const(Rtl *r, int sl)
{
	return r->pl->slots[sl].producer < 0 && !r->rp->in[sl];
}

/* Slot sl's value in n bits (its own width or more). */
static const char *
sval(Rtl *r, int sl, int k, int n)
{
	const PlanSlot *s = &r->pl->slots[sl];

	if (is_const(r, sl))
		return s->nseeds == 1 ? literal_w(r->g->seeds[s->seeds[0]].value, n) : zero_w(n);
	return sext(xprintf("r%d_s%d", k - 1, sl), r->rp->w[sl], n);
}

static const char *
spres(Rtl *r, int sl, int k)
{
	if (sl < 0)
		return "1'b0";
	if (is_const(r, sl))
		return r->pl->slots[sl].nseeds == 1 ? "1'b1" : "1'b0";
	return xprintf("r%d_p%d", k - 1, sl);
}

/* Is an origin present (plan_origin's answer x), read at stage k? */
static const char *
exists(Rtl *r, int x, int k)
{
	if (x >= 0)
		return spres(r, x, k);
	if (x == PLAN_INPUT)
		return xprintf("r%d_any", k - 1);
	return x == PLAN_ALWAYS ? "1'b1" : "1'b0";
}

static const char *
truthy(Rtl *r, int sl, int k)
{
	int w = r->rp->w[sl];

	if (r->rp->kind[sl] == RTL_ANY)
		return xprintf("(%s[63:0] != 64'h0)", sval(r, sl, k, w));
	return r->rp->kind[sl] == RTL_BOOL ? sval(r, sl, k, w) :
	    xprintf("(%s != %s)", sval(r, sl, k, w), zero_w(w));
}

/* ---- the pipeline module ------------------------------------------- */

static int store_slot(Rtl *r, const IrOp *op, int opi);

/* The condition walk of §2.7 (plan_conds; as emit_hls.c's), setting
 * c<i>: d<i> is done, f<i> the open group's flag. */
static void
conditions(Rtl *r, int opi, int k)
{
	int i, n;
	const PlanCond *w = plan_conds(r->g, r->pl, opi, &n);

	if (n == 0) {
		out(r, "\t\t\tc%d = 1'b1;", opi);
		return;
	}
	for (i = 0; i < n; i++) {
		out(r, "\t\t\tif (!d%d) begin", opi);
		if (w[i].opens)
			out(r, "\t\t\t\tf%d = 1'b0;", opi);
		out(r, "\t\t\t\tif (!%s)", exists(r, w[i].exists, k));
		out(r, "\t\t\t\t\td%d = 1'b1;", opi);
		out(r, "\t\t\t\telse if (%s)", spres(r, w[i].slot, k));
		out(r, "\t\t\t\t\tf%d = %s;", opi, truthy(r, w[i].slot, k));
		if (w[i].closes) {
			out(r, "\t\t\t\tif (!d%d && f%d) begin", opi, opi);
			out(r, "\t\t\t\t\tc%d = 1'b1;", opi);
			out(r, "\t\t\t\t\td%d = 1'b1;", opi);
			out(r, "\t\t\t\tend");
		}
		out(r, "\t\t\tend");
	}
}

/* Parameter j as one expression of n bits (its present slot, else its
 * default), with its presence and multiplicity conditions appended. */
static const char *
param(Rtl *r, const IrOp *op, int opi, int j, int k, int n, flow_buf *pres, flow_buf *many)
{
	const PlanParam *pp = &r->pl->params[opi][j];
	const IrDef *d = &r->g->defs[op->params[j].def];
	const char *a = d->has_default ? literal_w(d->dflt, n) : sval(r, pp->slots[pp->nslots - 1], k, n);
	int i;

	for (i = pp->nslots - (d->has_default ? 1 : 2); i >= 0; i--)
		a = xprintf("(%s ? %s : %s)", spres(r, pp->slots[i], k), sval(r, pp->slots[i], k, n), a);
	if (pp->nslots > 1) {
		flow_buf_printf(many, "%s(", many->len ? " || " : "");
		for (i = 0; i < pp->nslots; i++)
			flow_buf_printf(many, "%s{7'd0, %s}", i ? " + " : "", spres(r, pp->slots[i], k));
		flow_buf_printf(many, ") > 8'd1");
	}
	if (!d->has_default) {
		flow_buf_printf(pres, " && (");
		for (i = 0; i < pp->nslots; i++)
			flow_buf_printf(pres, "%s%s", i ? " || " : "", spres(r, pp->slots[i], k));
		flow_buf_printf(pres, ")");
	}
	return a;
}

/* "a || b ...", plan_any of v[0..n-1] present at stage k: "1'b1" when
 * one always is; empty when none can be. */
static const char *
any_exists(Rtl *r, int *v, int n, int k)
{
	flow_buf b = {0, 0, 0};
	const char *res;
	int i;

	if ((n = plan_any(v, n, 0)) == PLAN_ALWAYS)
		return "1'b1";
	for (i = 0; i < n; i++)
		flow_buf_printf(&b, "%s%s", i ? " || " : "", exists(r, v[i], k));
	res = xstrdup(b.len ? b.p : "");
	flow_buf_free(&b);
	return res;
}

/* Some origin the op consumes is present (it was triggered). */
static const char *
triggered(Rtl *r, const IrOp *op, int k)
{
	int n, *v = plan_sources(r->g, r->pl, op, 0, &n);
	const char *x = any_exists(r, v, n, k);

	if (strcmp(x, "1'b1") == 0)
		return x;
	return *x ? xprintf("(%s)", x) : op->nparam + op->ncond ? "1'b0" : "1'b1";
}

/* DFFML's UnboundLocalError: the first parameter takes its default
 * before any of its origins exist.  A condition, or NULL. */
static const char *
unbound(Rtl *r, const IrOp *op, int k)
{
	int n, *v = plan_sources(r->g, r->pl, op, 1, &n);
	const char *x = v ? any_exists(r, v, n, k) : "1'b1";

	if (strcmp(x, "1'b1") == 0)
		return NULL;    /* no default, or an origin that always exists */
	return *x ? xprintf("!(%s)", x) : "1'b1";
}

/* The kind of parameter j of operation opi. */
static int
arg_kind(Rtl *r, int opi, int j)
{
	const IrDef *d = &r->g->defs[r->g->ops[opi].params[j].def];

	if (d->has_default)
		return d->dflt.kind == FLOW_BOOL ? RTL_BOOL : RTL_INT;
	return r->rp->kind[r->pl->params[opi][j].slots[0]];
}

static int
res_kind(const IrOp *op)
{
	return op->impl->out_type == FLOW_T_BOOL ? RTL_BOOL : RTL_INT;
}

/* The width operation opi computes its ints in: its int arguments are
 * sign-extended to it and an int result has it.  64 when an argument's
 * kind is known only at run time. */
static int
op_width(Rtl *r, int opi)
{
	const IrOp *op = &r->g->ops[opi];
	int j, n = 1;
	int64_t lo, hi;

	for (j = 0; j < op->nparam; j++) {
		int kd = arg_kind(r, opi, j);
		if (kd == RTL_ANY)
			return 64;
		if (kd != RTL_INT)
			continue;
		rtl_param_range(r->rp, opi, j, &lo, &hi);
		if (rtl_bits(lo, hi) > n)
			n = rtl_bits(lo, hi);
	}
	if (res_kind(op) == RTL_INT && rtl_bits(r->rp->olo[opi], r->rp->ohi[opi]) > n)
		n = rtl_bits(r->rp->olo[opi], r->rp->ohi[opi]);
	return n;
}

/* Bits of a<opi>_j, and of t<opi>. */
static int
arg_width(Rtl *r, int opi, int j)
{
	int kd = arg_kind(r, opi, j);

	return kd == RTL_INT ? op_width(r, opi) : width(kd);
}

static int
res_width(Rtl *r, int opi)
{
	return res_kind(&r->g->ops[opi]) == RTL_INT ? op_width(r, opi) : 1;
}

/* Argument j of operation opi as 64 bits, and whether it is a bool. */
static const char *
aval(int opi, int j, int kind)
{
	if (kind == RTL_BOOL)
		return xprintf("{63'd0, a%d_%d}", opi, j);
	return kind == RTL_ANY ? xprintf("a%d_%d[63:0]", opi, j) : xprintf("a%d_%d", opi, j);
}

static const char *
atag(int opi, int j, int kind)
{
	if (kind == RTL_ANY)
		return xprintf("a%d_%d[64]", opi, j);
	return kind == RTL_BOOL ? "1'b1" : "1'b0";
}

/* The operation on arguments whose kind is known only at run time: the
 * tags choose between the result and a type error, as the HLS kernel's
 * dispatch does. */
static void
compute_tagged(Rtl *r, const IrOp *op, int opi, const int *ka)
{
	int rop = FLOW_HW_RTL_OP(op->impl->hw);
	const char *t, *rc;
	const char *v0 = aval(opi, 0, ka[0]), *g0 = atag(opi, 0, ka[0]);
	const char *v1 = op->impl->nparam > 1 ? aval(opi, 1, ka[1]) : "64'h0";
	const char *g1 = op->impl->nparam > 1 ? atag(opi, 1, ka[1]) : "1'b0";
	const char *eint = xprintf("(%s || %s) ? 7'd%d", g0, g1, E_TYPE);

	switch (rop) {
	case FLOW_RTL_ADD:
	case FLOW_RTL_SUB:
		t = xprintf("%s %c %s", v0, rop == FLOW_RTL_ADD ? '+' : '-', v1);
		rc = xprintf("%s : (%s[63] %s %s[63] && t%d[63] != %s[63]) ? 7'd%d : 7'd0", eint, v0,
		    rop == FLOW_RTL_ADD ? "==" : "!=", v1, opi, v0, E_OVERFLOW);
		break;
	case FLOW_RTL_NEG:
		t = xprintf("64'h0 - %s", v0);
		rc = xprintf("%s : %s == 64'h8000000000000000 ? 7'd%d : 7'd0", eint, v0, E_OVERFLOW);
		break;
	case FLOW_RTL_LT:
	case FLOW_RTL_GT:
		t = xprintf("$signed(%s) %c $signed(%s)", v0, rop == FLOW_RTL_LT ? '<' : '>', v1);
		rc = xprintf("%s : 7'd0", eint);
		break;
	case FLOW_RTL_EQ:
		t = xprintf("%s == %s && %s == %s", g0, g1, v0, v1);
		rc = "7'd0";
		break;
	case FLOW_RTL_NOT:      /* bools only */
		t = xprintf("!%s[0]", v0);
		rc = xprintf("%s ? 7'd0 : 7'd%d", g0, E_TYPE);
		break;
	default:                /* FLOW_RTL_AND: bools only */
		t = xprintf("%s[0] && %s[0]", v0, v1);
		rc = xprintf("(%s && %s) ? 7'd0 : 7'd%d", g0, g1 , E_TYPE);
		break;
	}
	out(r, "\t\t\t\t\tt%d = %s;", opi, t);
	out(r, "\t\t\t\t\trc%d = %s;", opi, rc);
}

/* The operation itself on a<i>_0, a<i>_1 of kinds ka, kb: sets t<i>
 * and rc<i>. */
static void
compute(Rtl *r, const IrOp *op, int opi, const int *ka)
{
	int rop = FLOW_HW_RTL_OP(op->impl->hw), n = op->impl->nparam;
	int ints = ka[0] == RTL_INT && (n < 2 || ka[1] == RTL_INT);
	int bools = ka[0] == RTL_BOOL && (n < 2 || ka[1] == RTL_BOOL);
	const char *t = NULL, *rc = "7'd0";

	if (ka[0] == RTL_ANY || (n > 1 && ka[1] == RTL_ANY)) {
		compute_tagged(r, op, opi, ka);
		return;
	}

	if ((rop == FLOW_RTL_ADD || rop == FLOW_RTL_SUB) && ints) {
		int add = rop == FLOW_RTL_ADD;
		t = xprintf("a%d_0 %c a%d_1", opi, add ? '+' : '-', opi);
		if (!r->rp->exact[opi])         /* 64 bits wide */
			rc = xprintf("(a%d_0[63] %s a%d_1[63] && t%d[63] != a%d_0[63]) ? 7'd%d : 7'd0", opi,
			    add ? "==" : "!=", opi, opi, opi, E_OVERFLOW);
	} else if (rop == FLOW_RTL_NEG && ints) {
		t = xprintf("%s - a%d_0", zero_w(op_width(r, opi)), opi);
		if (!r->rp->exact[opi])
			rc = xprintf("a%d_0 == 64'h8000000000000000 ? 7'd%d : 7'd0", opi, E_OVERFLOW);
	} else if ((rop == FLOW_RTL_LT || rop == FLOW_RTL_GT) && ints)
		t = xprintf("$signed(a%d_0) %c $signed(a%d_1)", opi, rop == FLOW_RTL_LT ? '<' : '>', opi);
	else if (rop == FLOW_RTL_EQ)
		t = ints || bools ? xprintf("a%d_0 == a%d_1", opi, opi) : "1'b0";
	else if (rop == FLOW_RTL_NOT && bools)
		t = xprintf("!a%d_0", opi);
	else if (rop == FLOW_RTL_AND && bools)
		t = xprintf("a%d_0 && a%d_1", opi, opi);
	if (!t) {
		t = zero_w(res_width(r, opi));
		rc = xprintf("7'd%d", E_TYPE);
	}
	out(r, "\t\t\t\t\tt%d = %s;", opi, t);
	out(r, "\t\t\t\t\trc%d = %s;", opi, rc);
}

/* The slot an operation's output goes to, if a later stage holds it. */
static int
store_slot(Rtl *r, const IrOp *op, int opi)
{
	int sl;

	if (op->stage != FLOW_STAGE_PROCESSING || op->nout == 0)
		return -1;
	sl = r->pl->origin_slot[op->out[0].origin];
	return sl >= 0 && rtl_live(r->rp, sl, r->rp->level[opi]) ? sl : -1;
}

/* Set the context's status to err at operation opi. */
static void
fail(Rtl *r, int k, int opi, const char *err)
{
	out(r, "\t\t\t\t\tx%d_e = %s;", k, err);
	out(r, "\t\t\t\t\tx%d_o = %d'd%d;", k, r->rp->w_op, r->rp->progop[opi]);
}

/* One operation of stage k, as emit_hls.c's kernel_op runs it. */
static void
stage_op(Rtl *r, int opi, int k)
{
	const IrOp *op = &r->g->ops[opi];
	flow_buf pres = {0, 0, 0}, many = {0, 0, 0};
	const char *ub = unbound(r, op, k), *trig;
	int j, ka[3] = {0, 0, 0}, sl = store_slot(r, op, opi);

	out(r, "\t\t/* %s: %s (%s), %s:%d:%d */", c_comment(op->inst), c_comment(op->opname),
	    stage_name(op->stage), c_comment(op->pos.file), op->pos.line, op->pos.col);
	out(r, "\t\tif (x%d_e == %d'd0) begin", k, W_ERR);
	conditions(r, opi, k);
	for (j = 0; j < op->nparam; j++) {
		int ap = op->params[j].argpos;
		out(r, "\t\t\ta%d_%d = %s;", opi, ap,
		    param(r, op, opi, j, k, arg_width(r, opi, j), &pres, &many));
		ka[ap] = arg_kind(r, opi, j);
	}
	trig = op->stage == FLOW_STAGE_PROCESSING ? triggered(r, op, k) : "1'b1";
	out(r, "\t\t\tif (c%d%s && %s) begin", opi, pres.len ? pres.p : "", trig);
	if (ub) {
		out(r, "\t\t\t\tif (%s) begin /* DFFML's UnboundLocalError */", ub);
		fail(r, k, opi, xprintf("7'd%d", E_HOST));
		out(r, "\t\t\t\tend else");
	}
	if (many.len) {
		out(r, "\t\t\t\tif (%s) begin /* several runs */", many.p);
		fail(r, k, opi, xprintf("7'd%d", E_HOST));
		out(r, "\t\t\t\tend else");
	}
	out(r, "\t\t\t\tbegin");
	out(r, "\t\t\t\t\tx%d_n = x%d_n + %d'd1;", k, k, r->rp->w_fired);
	compute(r, op, opi, ka);
	out(r, "\t\t\t\t\tif (rc%d != 7'd0) begin", opi);
	out(r, "\t\t\t\t\t\tx%d_e = rc%d;", k, opi);
	out(r, "\t\t\t\t\t\tx%d_o = %d'd%d;", k, r->rp->w_op, r->rp->progop[opi]);
	out(r, "\t\t\t\t\tend%s", sl >= 0 ? " else begin" : "");
	if (sl >= 0) {
		int w = r->rp->w[sl], n = res_width(r, opi);
		out(r, "\t\t\t\t\t\tx%d_s%d = t%d%s;", k, sl, opi,
		    w == n ? "" : w == 1 ? "[0]" : xprintf("[%d:0]", w - 1));
		out(r, "\t\t\t\t\t\tx%d_p%d = 1'b1;", k, sl);
		out(r, "\t\t\t\t\tend");
	}
	out(r, "\t\t\t\tend");
	out(r, "\t\t\tend");
	out(r, "\t\tend");
	flow_buf_free(&pres);
	flow_buf_free(&many);
}

static const char *
range(int w)
{
	return w == 1 ? "" : xprintf("[%d:0] ", w - 1);
}

/* Declarations: stage registers, next values, operation temporaries. */
static void
declarations(Rtl *r)
{
	const RtlPipe *rp = r->rp;
	int k, sl, i;

	for (k = 0; k <= rp->depth; k++) {
		out(r, "");
		out(r, "\t/* stage %d */", k);
		out(r, "\treg v%d;", k);
		out(r, "\treg r%d_any;", k);
		out(r, "\treg [%d:0] r%d_e;", W_ERR - 1, k);
		out(r, "\treg [%d:0] r%d_o;", r->rp->w_op - 1, k);
		out(r, "\treg [%d:0] r%d_n;", r->rp->w_fired - 1, k);
		if (k > 0) {
			out(r, "\treg x%d_any;", k);
			out(r, "\treg [%d:0] x%d_e;", W_ERR - 1, k);
			out(r, "\treg [%d:0] x%d_o;", r->rp->w_op - 1, k);
			out(r, "\treg [%d:0] x%d_n;", r->rp->w_fired - 1, k);
		}
		for (sl = 0; sl < r->pl->nslots; sl++) {
			if (!rtl_live(rp, sl, k))
				continue;
			out(r, "\treg %sr%d_s%d; /* %s */", range(rp->w[sl]), k, sl,
			    c_comment(r->g->defs[r->pl->slots[sl].def].name));
			out(r, "\treg r%d_p%d;", k, sl);
			if (k > 0) {
				out(r, "\treg %sx%d_s%d;", range(rp->w[sl]), k, sl);
				out(r, "\treg x%d_p%d;", k, sl);
			}
		}
	}
	out(r, "");
	out(r, "\t/* operation temporaries */");
	for (i = 0; i < rp->nops; i++) {
		int opi = rp->ops[i], j;
		const IrOp *op = &r->g->ops[opi];
		out(r, "\treg c%d;", opi);
		if (op->ncond)
			out(r, "\treg f%d, d%d;", opi, opi);
		for (j = 0; j < op->nparam; j++)
			out(r, "\treg %sa%d_%d;", range(arg_width(r, opi, j)), opi, op->params[j].argpos);
		sl = store_slot(r, op, opi);
		if (sl >= 0 && rp->w[sl] == res_width(r, opi))
			out(r, "\treg %st%d;", range(res_width(r, opi)), opi);
		else    /* only its status is kept, or its slot is narrower
			 * than its arguments: some bits go unread */
			out(r, "\t/* verilator lint_off UNUSEDSIGNAL */\n\treg %st%d;\n"
			    "\t/* verilator lint_on UNUSEDSIGNAL */", range(res_width(r, opi)), opi);
		out(r, "\treg [6:0] rc%d;", opi);
	}
}

/* Stage k's combinational block (k >= 1). */
static void
stage_block(Rtl *r, int k)
{
	const RtlPipe *rp = r->rp;
	int i, j, sl;

	out(r, "");
	out(r, "\t/* stage %d: the operations of level %d */", k, k);
	out(r, "\talways @* begin");
	out(r, "\t\tx%d_any = r%d_any;", k, k - 1);
	out(r, "\t\tx%d_e = r%d_e;", k, k - 1);
	out(r, "\t\tx%d_o = r%d_o;", k, k - 1);
	out(r, "\t\tx%d_n = r%d_n;", k, k - 1);
	for (sl = 0; sl < r->pl->nslots; sl++) {
		if (!rtl_live(rp, sl, k))
			continue;
		if (rtl_live(rp, sl, k - 1)) {
			out(r, "\t\tx%d_s%d = r%d_s%d;", k, sl, k - 1, sl);
			out(r, "\t\tx%d_p%d = r%d_p%d;", k, sl, k - 1, sl);
		} else {
			out(r, "\t\tx%d_s%d = %s;", k, sl, zero_w(rp->w[sl]));
			out(r, "\t\tx%d_p%d = 1'b0;", k, sl);
		}
	}
	for (i = 0; i < rp->nops; i++) {
		int opi = rp->ops[i];
		const IrOp *op = &r->g->ops[opi];
		if (rp->level[opi] != k)
			continue;
		out(r, "\t\tc%d = 1'b0;", opi);
		if (op->ncond)
			out(r, "\t\tf%d = 1'b0;\n\t\td%d = 1'b0;", opi, opi);
		for (j = 0; j < op->nparam; j++)
			out(r, "\t\ta%d_%d = 0;", opi, op->params[j].argpos);
		out(r, "\t\tt%d = 0;", opi);
		out(r, "\t\trc%d = 7'd0;", opi);
	}
	for (i = 0; i < rp->nops; i++)
		if (rp->level[rp->ops[i]] == k)
			stage_op(r, rp->ops[i], k);
	out(r, "\tend");
}

/* The input word's fields from bit lo up: any, then p and s per slot. */
static void
load_inputs(Rtl *r)
{
	int sl, lo = 1;

	out(r, "\t\t\tr0_any <= in_tdata[0];");
	out(r, "\t\t\tr0_e <= %d'd0;", W_ERR);
	out(r, "\t\t\tr0_o <= {%d{1'b1}};", r->rp->w_op);
	out(r, "\t\t\tr0_n <= %d'd0;", r->rp->w_fired);
	for (sl = 0; sl < r->pl->nslots; sl++) {
		int w;
		if (!rtl_live(r->rp, sl, 0))
			continue;
		w = width(r->rp->kind[sl]);     /* an input may be any int64:
						 * its registers are as wide */
		out(r, "\t\t\tr0_p%d <= in_tdata[%d];", sl, lo);
		if (w == 1)
			out(r, "\t\t\tr0_s%d <= in_tdata[%d];", sl, lo + 1);
		else
			out(r, "\t\t\tr0_s%d <= in_tdata[%d:%d];", sl, lo + w, lo + 1);
		lo += 1 + w;
	}
}

/* The output word: e, o, n, any, then p and s per output slot (LSB first). */
static const char *
out_word(Rtl *r)
{
	flow_buf b = {0, 0, 0};
	const char *res;
	int sl, L = r->rp->depth;

	for (sl = r->pl->nslots - 1; sl >= 0; sl--)
		if (r->rp->out[sl])
			flow_buf_printf(&b, "%s, r%d_p%d, ", sext(xprintf("r%d_s%d", L, sl), r->rp->w[sl],
			    width(r->rp->kind[sl])), L, sl);
	flow_buf_printf(&b, "r%d_any, r%d_n, r%d_o, r%d_e", L, L, L, L);
	res = xprintf("{%s}", b.p);
	flow_buf_free(&b);
	return res;
}

static void
widths(Rtl *r)
{
	int sl;

	r->iw = 1;
	r->ow = W_ERR + r->rp->w_op + r->rp->w_fired + 1;
	for (sl = 0; sl < r->pl->nslots; sl++) {
		if (rtl_live(r->rp, sl, 0))
			r->iw += 1 + width(r->rp->kind[sl]);
		if (r->rp->out[sl])
			r->ow += 1 + width(r->rp->kind[sl]);
	}
}

static void
registers(Rtl *r)
{
	const RtlPipe *rp = r->rp;
	int k, sl;

	out(r, "");
	out(r, "\t/* the valid bits: the whole pipeline moves when en */");
	out(r, "\talways @(posedge clk) begin");
	out(r, "\t\tif (rst) begin");
	for (k = 0; k <= rp->depth; k++)
		out(r, "\t\t\tv%d <= 1'b0;", k);
	out(r, "\t\tend else if (en) begin");
	out(r, "\t\t\tv0 <= in_tvalid;");
	for (k = 1; k <= rp->depth; k++)
		out(r, "\t\t\tv%d <= v%d;", k, k - 1);
	out(r, "\t\tend");
	out(r, "\tend");
	out(r, "");
	out(r, "\t/* the data registers (no reset: the valid bits say what holds) */");
	out(r, "\talways @(posedge clk) begin");
	out(r, "\t\tif (en) begin");
	load_inputs(r);
	for (k = 1; k <= rp->depth; k++) {
		out(r, "\t\t\tr%d_any <= x%d_any;", k, k);
		out(r, "\t\t\tr%d_e <= x%d_e;", k, k);
		out(r, "\t\t\tr%d_o <= x%d_o;", k, k);
		out(r, "\t\t\tr%d_n <= x%d_n;", k, k);
		for (sl = 0; sl < r->pl->nslots; sl++)
			if (rtl_live(rp, sl, k)) {
				out(r, "\t\t\tr%d_s%d <= x%d_s%d;", k, sl, k, sl);
				out(r, "\t\t\tr%d_p%d <= x%d_p%d;", k, sl, k, sl);
			}
	}
	out(r, "\t\tend");
	out(r, "\tend");
}

static void
module_v(Rtl *r)
{
	const RtlPipe *rp = r->rp;
	int k;

	out(r, "// The flow's processing and cleanup stages as a pipeline (flowc-rtl(7)):");
	out(r, "// one context per clock, %d stages, latency %d cycles.", rp->depth + 1, rp->depth + 1);
	out(r, "`default_nettype none");
	out(r, "");
	out(r, "module %s (", r->top);
	out(r, "\tinput wire clk,");
	out(r, "\tinput wire rst,");
	out(r, "\tinput wire in_tvalid,");
	out(r, "\toutput wire in_tready,");
	out(r, "\tinput wire [%d:0] in_tdata,", r->iw - 1);
	out(r, "\toutput wire out_tvalid,");
	out(r, "\tinput wire out_tready,");
	out(r, "\toutput wire [%d:0] out_tdata", r->ow - 1);
	out(r, ");");
	declarations(r);
	out(r, "");
	out(r, "\twire en = !v%d || out_tready;", rp->depth);
	out(r, "\tassign in_tready = en;");
	out(r, "\tassign out_tvalid = v%d;", rp->depth);
	out(r, "\tassign out_tdata = %s;", out_word(r));
	for (k = 1; k <= rp->depth; k++)
		stage_block(r, k);
	registers(r);
	out(r, "endmodule");
	out(r, "");
	out(r, "`default_nettype wire");
}

/* ---- the simulation bench ------------------------------------------ */

/* The bench reads input words as hex fields and prints output words
 * as hex fields; +sync (the coprocess) takes the next word only once
 * every earlier one has come out; +bp=SEED drops out_tready at random. */
static void
bench_v(Rtl *r)
{
	const RtlPipe *rp = r->rp;
	flow_buf cat = {0, 0, 0};
	int sl, nf = 1, lo;

	out(r, "// The simulation bench of %s (flowc-rtl(7)); not for synthesis.", r->top);
	out(r, "`timescale 1ns/1ns");
	out(r, "module %s_bench;", r->base);
	out(r, "\treg clk = 1'b0, rst = 1'b1;");
	out(r, "\treg in_tvalid = 1'b0, out_tready = 1'b1;");
	out(r, "\treg [%d:0] in_tdata = 0;", r->iw - 1);
	out(r, "\twire in_tready, out_tvalid;");
	out(r, "\twire [%d:0] out_tdata;", r->ow - 1);
	out(r, "\treg [64:0] w0;");
	for (sl = 0; sl < r->pl->nslots; sl++)
		if (rtl_live(rp, sl, 0)) {
			out(r, "\treg [64:0] w%d, w%d;", nf, nf + 1);
			nf += 2;
		}
	out(r, "\treg [8*4096-1:0] inpath, outpath;");
	out(r, "\tinteger fin, fout, rc, sync, bp, seed, nin, nout, cyc, first, lastc, eof, took;");
	out(r, "");
	out(r, "\t%s dut (.clk(clk), .rst(rst), .in_tvalid(in_tvalid), .in_tready(in_tready),", r->top);
	out(r, "\t    .in_tdata(in_tdata), .out_tvalid(out_tvalid), .out_tready(out_tready),");
	out(r, "\t    .out_tdata(out_tdata));");
	out(r, "");
	out(r, "\talways #5 clk = !clk;");
	out(r, "");
	out(r, "\tinitial begin");
	out(r, "\t\tif (!$value$plusargs(\"in=%%s\", inpath))");
	out(r, "\t\t\tinpath = \"/dev/stdin\";");
	out(r, "\t\tif (!$value$plusargs(\"out=%%s\", outpath))");
	out(r, "\t\t\toutpath = \"/dev/stdout\";");
	out(r, "\t\tsync = $test$plusargs(\"sync\");");
	out(r, "\t\tbp = $value$plusargs(\"bp=%%d\", seed);");
	out(r, "\t\tfin = $fopen(inpath, \"r\");");
	out(r, "\t\tfout = $fopen(outpath, \"w\");");
	out(r, "\t\tnin = 0; nout = 0; cyc = 0; first = 0; lastc = 0; eof = 0; took = 0;");
	out(r, "\t\trepeat (2) @(posedge clk);");
	out(r, "\t\t@(negedge clk);");
	out(r, "\t\trst = 1'b0;");
	out(r, "\t\tforever begin");
	out(r, "\t\t\tif (took) begin");
	out(r, "\t\t\t\tin_tvalid = 1'b0;");
	out(r, "\t\t\t\ttook = 0;");
	out(r, "\t\t\tend");
	out(r, "\t\t\tif (!in_tvalid && !eof && (!sync || nout == nin)) begin");
	out(r, "\t\t\t\trc = $fscanf(fin, \"%%h\", w0);");
	out(r, "\t\t\t\tif (rc != 1)");
	out(r, "\t\t\t\t\teof = 1;");
	out(r, "\t\t\t\telse begin");
	for (lo = 1; lo < nf; lo++)
		out(r, "\t\t\t\t\trc = $fscanf(fin, \"%%h\", w%d);", lo);
	lo = 1;
	for (sl = 0; sl < r->pl->nslots; sl++)
		if (rtl_live(rp, sl, 0))
			lo += 2;
	for (sl = r->pl->nslots - 1; sl >= 0; sl--)
		if (rtl_live(rp, sl, 0)) {
			lo -= 2;
			int w = width(rp->kind[sl]);
			flow_buf_printf(&cat, "w%d%s, w%d[0], ", lo + 1, w == 1 ? "[0]" : w == 64 ? "[63:0]" : "", lo);
		}
	out(r, "\t\t\t\t\tin_tdata = {%sw0[0]};", cat.len ? cat.p : "");
	flow_buf_free(&cat);
	out(r, "\t\t\t\t\tin_tvalid = 1'b1;");
	out(r, "\t\t\t\tend");
	out(r, "\t\t\tend");
	out(r, "\t\t\tout_tready = bp ? ($random(seed) & 1) != 0 : 1'b1;");
	out(r, "\t\t\t#1;");
	out(r, "\t\t\tif (out_tvalid && out_tready) begin");
	out(r, "\t\t\t\t$fwrite(fout, \"%%0h %%0h %%0h %%0h\", out_tdata[%d:0], out_tdata[%d:%d], out_tdata[%d:%d], out_tdata[%d]);",
	    W_ERR - 1, W_ERR + r->rp->w_op - 1, W_ERR, W_ERR + r->rp->w_op + r->rp->w_fired - 1, W_ERR + r->rp->w_op, W_ERR + r->rp->w_op + r->rp->w_fired);
	lo = W_ERR + r->rp->w_op + r->rp->w_fired + 1;
	for (sl = 0; sl < r->pl->nslots; sl++)
		if (rp->out[sl]) {
			int w = width(rp->kind[sl]);
			out(r, "\t\t\t\t$fwrite(fout, \" %%0h %%0h\", out_tdata[%d], out_tdata[%d:%d]);", lo, lo + w, lo + 1);
			lo += 1 + w;
		}
	out(r, "\t\t\t\t$fwrite(fout, \"\\n\");");
	out(r, "\t\t\t\t$fflush(fout);");
	out(r, "\t\t\t\tnout = nout + 1;");
	out(r, "\t\t\t\tlastc = cyc;");
	out(r, "\t\t\tend");
	out(r, "\t\t\tif (in_tvalid && in_tready) begin");
	out(r, "\t\t\t\tif (nin == 0)");
	out(r, "\t\t\t\t\tfirst = cyc;");
	out(r, "\t\t\t\tnin = nin + 1;");
	out(r, "\t\t\t\ttook = 1;");
	out(r, "\t\t\tend");
	out(r, "\t\t\tif (eof && !in_tvalid && nout == nin) begin");
	out(r, "\t\t\t\tif (!sync && nin > 0)");
	out(r, "\t\t\t\t\t$fdisplay(32'h80000002, \"rtl: %%0d contexts in %%0d cycles, latency %d%%0s\",",
	    rp->depth + 1);
	out(r, "\t\t\t\t\t    nin, lastc - first + 1, bp ? \" (random back-pressure)\" : \"\");");
	out(r, "\t\t\t\t$fclose(fout);");
	out(r, "\t\t\t\t$finish;");
	out(r, "\t\t\tend");
	out(r, "\t\t\t@(posedge clk);");
	out(r, "\t\t\tcyc = cyc + 1;");
	out(r, "\t\t\t@(negedge clk);");
	out(r, "\t\tend");
	out(r, "\tend");
	out(r, "endmodule");
}

/* ---- the kernel function, through the simulator ---------------------- */

/* The simulator runs as a coprocess: one input word per context down a
 * pipe, one output word back.  Every word is also kept, so that at exit
 * the same words stream through a second run (back to back, and with
 * random back-pressure when FLOWC_RTL_BP is set) whose output must be
 * the same. */
static void
shim_c(Rtl *r)
{
	const char *fn = xprintf("%s_kernel", r->base);
	int sl;

	out(r, "/* The kernel of %s_tb.c, computed by the RTL pipeline in a simulator", r->base);
	out(r, " * (flowc-rtl(7)).  RTL_SIM is the simulator's command (the Makefile sets");
	out(r, " * it); FLOWC_RTL_BP=SEED adds random back-pressure. */");
	out(r, "#define _POSIX_C_SOURCE 200809L");
	out(r, "#include <inttypes.h>");
	out(r, "#include <stdio.h>");
	out(r, "#include <stdlib.h>");
	out(r, "#include <string.h>");
	out(r, "#include <unistd.h>");
	out(r, "#include <sys/wait.h>");
	out(r, "#include \"%s.h\"", fn);
	out(r, "");
	out(r, "#ifndef RTL_SIM");
	out(r, "#define RTL_SIM \"./sim\"");
	out(r, "#endif");
	out(r, "");
	out(r, "static FILE *rtl_to, *rtl_from, *rtl_words;");
	out(r, "static pid_t rtl_pid;");
	out(r, "static char rtl_dir[64];");
	out(r, "");
	out(r, "/* The simulator's command with extra plusargs. */");
	out(r, "static const char *");
	out(r, "rtl_cmd(const char *extra)");
	out(r, "{");
	out(r, "\tstatic char cmd[8192];");
	out(r, "\tconst char *bp = getenv(\"FLOWC_RTL_BP\");");
	out(r, "");
	out(r, "\tsnprintf(cmd, sizeof cmd, \"%%s %%s%%s%%s\", RTL_SIM, extra, bp ? \" +bp=\" : \"\", bp ? bp : \"\");");
	out(r, "\treturn cmd;");
	out(r, "}");
	out(r, "");
	out(r, "/* The second run: the same words streamed; 0 if its output agrees. */");
	out(r, "static int");
	out(r, "rtl_stream(void)");
	out(r, "{");
	out(r, "\tchar cmd[8400], a[4096], b[4096];");
	out(r, "\tFILE *x, *y;");
	out(r, "\tint same = 1;");
	out(r, "");
	out(r, "\tsnprintf(cmd, sizeof cmd, \"%%s\", rtl_cmd(\"\"));");
	out(r, "\tsnprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), \" +in=%%s/words +out=%%s/streamed >/dev/null\", rtl_dir, rtl_dir);");
	out(r, "\tif (system(cmd) != 0)");
	out(r, "\t\treturn -1;");
	out(r, "\tsnprintf(a, sizeof a, \"%%s/results\", rtl_dir);");
	out(r, "\tsnprintf(b, sizeof b, \"%%s/streamed\", rtl_dir);");
	out(r, "\tx = fopen(a, \"r\");");
	out(r, "\ty = fopen(b, \"r\");");
	out(r, "\tif (!x || !y)");
	out(r, "\t\treturn -1;");
	out(r, "\twhile (same) {");
	out(r, "\t\tchar *p = fgets(a, sizeof a, x), *q = fgets(b, sizeof b, y);");
	out(r, "\t\tif (!p || !q) {");
	out(r, "\t\t\tsame = !p && !q;");
	out(r, "\t\t\tbreak;");
	out(r, "\t\t}");
	out(r, "\t\tsame = strcmp(a, b) == 0;");
	out(r, "\t}");
	out(r, "\tfclose(x);");
	out(r, "\tfclose(y);");
	out(r, "\treturn same ? 0 : 1;");
	out(r, "}");
	out(r, "");
	out(r, "static void");
	out(r, "rtl_rm(const char *name)");
	out(r, "{");
	out(r, "\tchar path[128];");
	out(r, "");
	out(r, "\tsnprintf(path, sizeof path, \"%%s/%%s\", rtl_dir, name);");
	out(r, "\tremove(path);");
	out(r, "}");
	out(r, "");
	out(r, "/* At exit: stop the simulator, then check the streamed run. */");
	out(r, "static void");
	out(r, "rtl_stop(void)");
	out(r, "{");
	out(r, "\tint st, rc;");
	out(r, "");
	out(r, "\tfclose(rtl_to);");
	out(r, "\tfclose(rtl_from);");
	out(r, "\tfclose(rtl_words);");
	out(r, "\twaitpid(rtl_pid, &st, 0);");
	out(r, "\tfflush(NULL);");
	out(r, "\trc = rtl_stream();");
	out(r, "\tif (rc != 0)");
	out(r, "\t\tfprintf(stderr, \"tb: %%s\\n\", rc < 0 ? \"the streamed run failed\" :");
	out(r, "\t\t    \"the streamed run gave different words\");");
	out(r, "\trtl_rm(\"words\");");
	out(r, "\trtl_rm(\"results\");");
	out(r, "\trtl_rm(\"streamed\");");
	out(r, "\trmdir(rtl_dir);");
	out(r, "\tif (rc != 0)");
	out(r, "\t\t_exit(3);");
	out(r, "}");
	out(r, "");
	out(r, "/* Start the simulator on pipes (+sync: one word at a time). */");
	out(r, "static void");
	out(r, "rtl_start(void)");
	out(r, "{");
	out(r, "\tint to[2], from[2];");
	out(r, "\tchar path[128];");
	out(r, "");
	out(r, "\tsnprintf(rtl_dir, sizeof rtl_dir, \"%%s\", \"/tmp/flowc-rtl.XXXXXX\");");
	out(r, "\tif (!mkdtemp(rtl_dir) || pipe(to) < 0 || pipe(from) < 0 || (rtl_pid = fork()) < 0) {");
	out(r, "\t\tperror(\"tb: cannot start the simulator\");");
	out(r, "\t\texit(2);");
	out(r, "\t}");
	out(r, "\tif (rtl_pid == 0) {");
	out(r, "\t\tdup2(to[0], 0);");
	out(r, "\t\tdup2(from[1], 1);");
	out(r, "\t\tclose(to[1]);");
	out(r, "\t\tclose(from[0]);");
	out(r, "\t\texecl(\"/bin/sh\", \"sh\", \"-c\", rtl_cmd(\"+sync\"), (char *)NULL);");
	out(r, "\t\t_exit(127);");
	out(r, "\t}");
	out(r, "\tclose(to[0]);");
	out(r, "\tclose(from[1]);");
	out(r, "\trtl_to = fdopen(to[1], \"w\");");
	out(r, "\trtl_from = fdopen(from[0], \"r\");");
	out(r, "\tsnprintf(path, sizeof path, \"%%s/words\", rtl_dir);");
	out(r, "\trtl_words = fopen(path, \"w\");");
	out(r, "\tif (!rtl_to || !rtl_from || !rtl_words) {");
	out(r, "\t\tperror(\"tb: cannot start the simulator\");");
	out(r, "\t\texit(2);");
	out(r, "\t}");
	out(r, "\tatexit(rtl_stop);");
	out(r, "}");
	out(r, "");
	out(r, "/* The test bench runs a simulator (fork, exec, pipes): the Makefile");
	out(r, " * renames the tables' flow_sandbox_request() to this, so that no seccomp");
	out(r, " * filter is installed (flowc(1), SANDBOX). */");
	out(r, "void rtl_no_sandbox(int extra);");
	out(r, "");
	out(r, "void");
	out(r, "rtl_no_sandbox(int extra)");
	out(r, "{");
	out(r, "\t(void)extra;");
	out(r, "}");
	out(r, "");
	out(r, "/* The next hex field of *p. */");
	out(r, "static uint64_t");
	out(r, "rtl_field(char **p)");
	out(r, "{");
	out(r, "\treturn (uint64_t)strtoull(*p, p, 16);");
	out(r, "}");
	out(r, "");
	out(r, "/* One context at a time through the pipeline. */");
	out(r, "void");
	out(r, "%s(const %s_in in[%s_BATCH], %s_out out[%s_BATCH], int32_t n)", fn, fn,
	    xstrupper(fn), fn, xstrupper(fn));
	out(r, "{");
	out(r, "\tstatic FILE *results;");
	out(r, "\tchar word[4096], line[4096], *p;");
	out(r, "\tint32_t i;");
	out(r, "");
	out(r, "\tif (!rtl_to) {");
	out(r, "\t\trtl_start();");
	out(r, "\t\tsnprintf(line, sizeof line, \"%%s/results\", rtl_dir);");
	out(r, "\t\tresults = fopen(line, \"w\");");
	out(r, "\t}");
	out(r, "\tfor (i = 0; i < n; i++) {");
	out(r, "\t\tint len = snprintf(word, sizeof word, \"%%x\", (unsigned)in[i].any);");
	out(r, "");
	out(r, "\t\t(void)len; /* not every flow has input fields */");
	for (sl = 0; sl < r->pl->nslots; sl++) {
		if (!rtl_live(r->rp, sl, 0))
			continue;
		if (r->rp->kind[sl] != RTL_ANY) {
			out(r, "\t\tlen += snprintf(word + len, sizeof word - (size_t)len, \" %%x %%\" PRIx64, "
			    "(unsigned)in[i].p%d, (uint64_t)in[i].s%d);", sl, sl);
			continue;
		}
		out(r, "\t\tif (in[i].p%d && in[i].k%d == FLOW_HLS_FLOAT) {", sl, sl);
		out(r, "\t\t\tout[i].err = FLOW_HLS_E_HOST; /* a float: the host runs it */");
		out(r, "\t\t\tout[i].op = -1;");
		out(r, "\t\t\tcontinue;");
		out(r, "\t\t}");
		out(r, "\t\tlen += snprintf(word + len, sizeof word - (size_t)len, \" %%x %%x%%016\" PRIx64, "
		    "(unsigned)in[i].p%d, in[i].k%d == FLOW_HLS_BOOL, (uint64_t)in[i].i%d);", sl, sl, sl);
	}
	out(r, "\t\tfprintf(rtl_to, \"%%s\\n\", word);");
	out(r, "\t\tfflush(rtl_to);");
	out(r, "\t\tfprintf(rtl_words, \"%%s\\n\", word);");
	out(r, "\t\tif (!fgets(line, sizeof line, rtl_from)) {");
	out(r, "\t\t\tfprintf(stderr, \"tb: the simulator stopped\\n\");");
	out(r, "\t\t\texit(2);");
	out(r, "\t\t}");
	out(r, "\t\tif (results)");
	out(r, "\t\t\tfputs(line, results);");
	out(r, "\t\tp = line;");
	out(r, "\t\tout[i].err = (int32_t)rtl_field(&p);");
	out(r, "\t\tout[i].op = (int32_t)rtl_field(&p);");
	out(r, "\t\tif (out[i].op == %d)", (1 << r->rp->w_op) - 1);
	out(r, "\t\t\tout[i].op = -1;");
	out(r, "\t\tout[i].fired = (int32_t)rtl_field(&p);");
	out(r, "\t\t(void)rtl_field(&p); /* any */");
	for (sl = 0; sl < r->pl->nslots; sl++)
		if (r->rp->out[sl]) {
			out(r, "\t\tout[i].p%d = (uint8_t)rtl_field(&p);", sl);
			out(r, "\t\tout[i].s%d = (%s)rtl_field(&p);", sl, r->rp->kind[sl] == RTL_BOOL ? "uint8_t" : "int64_t");
		}
	out(r, "\t}");
	out(r, "\tif (results)");
	out(r, "\t\tfflush(results);");
	out(r, "}");
}

/* ---- the Makefile --------------------------------------------------- */

static void
makefile(Rtl *r, const Home *home)
{
	const char *b = r->base, *t = r->top;

	out(r, "#");
	out(r, "#   make           ./tb: the flow's test bench, the pipeline simulated by Verilator");
	out(r, "#   make iverilog  ./tb-iverilog: the same through Icarus Verilog");
	out(r, "#   make lint      verilator --lint-only -Wall on the pipeline");
	out(r, "#   make synth     yosys synth, then check -assert (no latches, loops, undriven nets)");
	out(r, "#   make fpga      synth_ice40 + nextpnr-ice40 (HX8K): report.txt");
	out(r, "#   make clean");
	out(r, "#");
	out(r, "# The test bench links the flowc runtime: from FLOWC_HOME when it is set,");
	out(r, "# else from FLOWRT_INCLUDE and FLOWRT_LIB, where flowc found it.");
	out(r, "");
	out(r, "CC = cc");
	out(r, "CFLAGS = -O2 -Wall -Wextra -Wno-unknown-pragmas $(FLOWC_CFLAGS)");
	hls_make_runtime(r->f, home, 0);
	out(r, "LDLIBS = -ljansson -lm");
	out(r, "VERILATOR = verilator");
	out(r, "IVERILOG = iverilog");
	out(r, "YOSYS = yosys");
	out(r, "NEXTPNR = nextpnr-ice40");
	out(r, "HOST = %s_tb.c %s_kernel_rtl.c", b, b);
	out(r, "");
	out(r, "all: tb");
	out(r, "");
	out(r, "obj_dir/V%s_bench: %s.v %s_bench.v", b, t, b);
	out(r, "\t$(VERILATOR) --binary -O1 --x-assign 0 -Wno-fatal -Wno-lint -Wno-style \\");
	out(r, "\t    --top-module %s_bench -o V%s_bench %s.v %s_bench.v >verilator.log 2>&1 || \\", b, b, t, b);
	out(r, "\t    { cat verilator.log; exit 1; }");
	out(r, "");
	out(r, "sim.vvp: %s.v %s_bench.v", t, b);
	out(r, "\t$(IVERILOG) -g2005 -Wall -Wno-timescale -s %s_bench -o sim.vvp %s.v %s_bench.v", b, t, b);
	out(r, "");
	out(r, "tb: obj_dir/V%s_bench $(HOST) %s_tables.c %s_kernel.h", b, b, b);
	out(r, "\t$(MAKE) -s host EXE=tb SIM='$(CURDIR)/obj_dir/V%s_bench'", b);
	out(r, "");
	out(r, "iverilog: tb-iverilog");
	out(r, "");
	out(r, "tb-iverilog: sim.vvp $(HOST) %s_tables.c %s_kernel.h", b, b);
	out(r, "\t$(MAKE) -s host EXE=tb-iverilog SIM='vvp -n $(CURDIR)/sim.vvp'");
	out(r, "");
	out(r, "host:");
	hls_make_find_runtime(r->f);
	out(r, "\t$(CC) -std=c99 $(CFLAGS) -I. -I\"$$inc\" -DRTL_SIM='\"$(SIM)\"' \\");
	out(r, "\t    -Dflow_sandbox_request=rtl_no_sandbox -o $(EXE) $(HOST) \\");
	out(r, "\t    \"$$lib/libflowrt.a\" $(LDLIBS)");
	out(r, "");
	out(r, "lint:");
	out(r, "\t$(VERILATOR) --lint-only -Wall --top-module %s %s.v", t, t);
	out(r, "");
	out(r, "synth:");
	out(r, "\t$(YOSYS) -q -p 'read_verilog %s.v; synth -top %s; check -assert'", t, t);
	out(r, "");
	out(r, "fpga: report.txt");
	out(r, "");
	out(r, "report.txt: %s.v %s_fpga.v", t, b);
	out(r, "\t$(YOSYS) -q -p 'read_verilog %s.v; synth_ice40 -top %s; tee -o core.stat stat'", t, t);
	out(r, "\t$(YOSYS) -q -p 'read_verilog %s.v %s_fpga.v; synth_ice40 -top %s_fpga -json fpga.json'", t, b, b);
	/* nextpnr 0.4's router can loop for ever on a placement (it did
	 * on shared_definition_inputs and redundancy_by_identity, for some
	 * seeds): each seed gets 30 s, where a routable one takes 1-3 s */
	out(r, "\trm -f fpga.asc; for seed in 1 2 3 4 5 6 7 8; do \\");
	out(r, "\t  timeout 30 $(NEXTPNR) -q --hx8k --package ct256 --json fpga.json --asc fpga.asc \\");
	out(r, "\t    --freq 12 --seed $$seed --pcf-allow-unconstrained -l nextpnr.log && break; \\");
	out(r, "\tdone; test -s fpga.asc");
	out(r, "\t@{ echo 'flow: %s (%s)'; \\", c_comment(r->source), t);
	out(r, "\t  echo \"device: iCE40 HX8K (ct256), synth_ice40 + nextpnr-ice40\"; \\");
	out(r, "\t  echo \"LUTs: $$(awk '/SB_LUT4/ {print $$2}' core.stat | tail -n 1)\"; \\");
	out(r, "\t  echo \"FFs: $$(awk '/SB_DFF/ {n += $$2} END {print n + 0}' core.stat)\"; \\");
	out(r, "\t  echo \"RAM: $$(awk '/SB_RAM40/ {n += $$2} END {print n + 0}' core.stat)\"; \\");
	out(r, "\t  echo \"DSP: $$(awk '/SB_MAC16/ {n += $$2} END {print n + 0}' core.stat)\"; \\");
	out(r, "\t  echo \"Fmax: $$(sed -n \"s/.*Max frequency for clock.*: \\([0-9.]*\\) MHz.*/\\1/p\" nextpnr.log | tail -n 1) MHz\"; \\");
	out(r, "\t  echo \"latency: %d cycles\"; \\", r->rp->depth + 1);
	out(r, "\t  echo \"input word: %d bits; output word: %d bits\"; } >report.txt", r->iw, r->ow);
	out(r, "\t@cat report.txt");
	out(r, "");
	out(r, "clean:");
	out(r, "\trm -rf obj_dir sim.vvp tb tb-iverilog verilator.log core.stat fpga.json fpga.asc \\");
	out(r, "\t    nextpnr.log report.txt");
	out(r, "");
	out(r, ".PHONY: all iverilog host lint synth fpga clean");
}

/* The place-and-route wrapper: the words shift in and out one bit per
 * clock (a chip has too few pins for them), so that every bit of the
 * pipeline stays observable and nothing is optimized away. */
static void
fpga_v(Rtl *r)
{
	out(r, "// A wrapper for place and route only (flowc-rtl(7)): serial words.");
	out(r, "`default_nettype none");
	out(r, "module %s_fpga (", r->base);
	out(r, "\tinput wire clk, rst, sin, in_tvalid, out_tready,");
	out(r, "\toutput wire in_tready, out_tvalid, sout");
	out(r, ");");
	out(r, "\treg [%d:0] ish;", r->iw - 1);
	out(r, "\treg [%d:0] osh;", r->ow - 1);
	out(r, "\twire [%d:0] ow;", r->ow - 1);
	out(r, "\t%s core (.clk(clk), .rst(rst), .in_tvalid(in_tvalid), .in_tready(in_tready),", r->top);
	out(r, "\t    .in_tdata(ish), .out_tvalid(out_tvalid), .out_tready(out_tready), .out_tdata(ow));");
	out(r, "\talways @(posedge clk) begin");
	out(r, "\t\tish <= {ish[%d:0], sin};", r->iw > 1 ? r->iw - 2 : 0);
	out(r, "\t\tosh <= out_tvalid && out_tready ? ow : {osh[%d:0], 1'b0};", r->ow - 2);
	out(r, "\tend");
	out(r, "\tassign sout = osh[%d];", r->ow - 1);
	out(r, "endmodule");
	out(r, "`default_nettype wire");
}

/* ---- files ---------------------------------------------------------- */

/* Write one file of DIR, its banner a comment opening with comment,
 * with the emitter fn; 0 or -1. */
static int
write_file(Rtl *r, const char *dir, const char *name, const char *comment, void (*fn)(Rtl *))
{
	if (!(r->f = hls_create(dir, name, comment, r->source)))
		return -1;
	fn(r);
	return hls_finish(r->f, dir, name);
}

static const Home *mk_home;

static void
makefile_fn(Rtl *r)
{
	makefile(r, mk_home);
}

/* Write DIR for g (see flowc.h). */
int
rtl_build(DiagSink *d, const Graph *g, const flow_prog *p, const Plan *plan,
    const char *dir, const char *source)
{
	Rtl r;
	Home home;
	BuildOpts ho;
	int rc;

	memset(&r, 0, sizeof r);
	if (!(r.rp = rtl_pipe(d, g, p, plan)))
		return 1;
	r.g = g;
	r.pl = plan;
	r.source = source;
	r.base = hls_file_prefix(source);
	r.top = xprintf("%s_rtl", r.base);
	widths(&r);
	memset(&ho, 0, sizeof ho);
	ho.output = dir;
	ho.source = source;
	ho.host_only = 1;
	if (!backend_hls.eligible(d, g, plan, &ho))
		return 1;
	if ((rc = backend_hls.emit(d, g, p, plan, &ho)) != 0)
		return rc;
	if (cc_home(&home) < 0)
		return 2;
	mk_home = &home;
	if (write_file(&r, dir, xprintf("%s.v", r.top), "//", module_v) < 0 ||
	    write_file(&r, dir, xprintf("%s_bench.v", r.base), "//", bench_v) < 0 ||
	    write_file(&r, dir, xprintf("%s_fpga.v", r.base), "//", fpga_v) < 0 ||
	    write_file(&r, dir, xprintf("%s_kernel_rtl.c", r.base), "/*", shim_c) < 0 ||
	    write_file(&r, dir, "Makefile", "#", makefile_fn) < 0)
		return 2;
	return 0;
}

static int
rtl_emit(DiagSink *d, const Graph *g, const flow_prog *p, const Plan *plan, const BuildOpts *o)
{
	return rtl_build(d, g, p, plan, o->output, o->source);
}

/* The Verilog target (flowc-rtl(7)): the pipeline, its bench, the host
 * side shared with the HLS target, and a Makefile. */
const Backend backend_verilog = {
	.name = "verilog",
	.static_plan = 1,
	.emit = rtl_emit,
};
