/*
 * emit_hls.c: the HLS backend.  `flowc build FLOW --target=hls -o DIR`
 * writes into DIR
 *
 *   <flow>_kernel.c, .h  the kernel: C99 (and C++), one top function, no
 *                        heap, no recursion, no VLAs, no library calls,
 *                        <stdint.h> widths, one pipelined loop of fixed
 *                        bound (and flowops.h's loops over strings and
 *                        arrays, no longer than their bounds);
 *   <flow>_tables.c      the flow's tables as `flowc build -O0 -S` writes
 *                        them, for the host side of the test bench;
 *   <flow>_tb.c          the C-simulation test bench: JSON Lines in and
 *                        out like every flowc program, the kernel once per
 *                        context, the runtime's orchestrator for the
 *                        contexts the kernel cannot take;
 *   flowhls.h, flowops.h the pragma layer and the typed operations, copied
 *                        from the runtime so DIR is all an HLS tool needs;
 *   hls-lint.sh, Makefile  the open lint and the C-simulation build.
 *
 * A flow can become hardware when pass_static found a static schedule,
 * every processing or cleanup operation is an HLS-safe catalogue
 * operation (expanding, if at all, an array of ints in processing),
 * every value they read is an int, float,
 * bool, string or array of ints with at most one seed, and the output
 * stage is get_single and get_multi (run on the host).  Otherwise the
 * first operation or definition in the way gets a diagnostic saying why
 * (hls_eligible.c).
 *
 * The kernel holds one value per plan slot, so each operation runs at
 * most once; a context that gives a definition more values (which would
 * make operations run several times) goes to the host.  The exception
 * is an expansion: its slot, and the slot of each operation reading it,
 * holds up to --max-values ints and a count, and such an operation runs
 * over every combination of its parameters' values in the -O2
 * schedule's product order (kernel_loop); one value more is an error
 * line of the context.  It computes
 * exactly what emit_c.c's fast path computes for the processing and
 * cleanup stages on such contexts: each operation guarded by its
 * condition walk, its parameters' presence and (in processing) its
 * trigger, called through its typed flowops.h function.  Values whose
 * kind is only known at run time (generic definitions; float ones, which
 * take ints too) travel tagged, and the call is chosen by the tags, so
 * comparisons stay exact.  A string or an array of ints is a fixed-size
 * array (--max-string-bytes, --max-values) and a length, never tagged:
 * results are written in place in the kernel's output, inputs and seeds
 * read where they are.  An operation failure, or anything the plan does
 * not cover, makes the kernel report a status instead of a result, and
 * the test bench hands the context to the orchestrator, which names the
 * failing instance exactly as the interpreter does; a string or array
 * over its bound (FLOW_E_BOUND, or an input the test bench measures) is
 * an error line of its context instead.
 *
 * Manifest names never become identifiers: slots and operations are
 * numbered, names appear only in sanitized comments (and, through
 * emit_c, in escaped strings of the tables).
 * The output is deterministic; DIR's path appears in no file.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "flowc.h"


/* Kinds a kernel value can have, as a bit mask: a value with more than
 * one bit travels tagged (FLOW_HLS_INT/FLOAT/BOOL in flowhls.h). */
enum { KI = HLS_KI, KF = HLS_KF, KB = HLS_KB, KS = HLS_KS, KA = HLS_KA };
/* Not a kind: the several values of an operation over an expansion, for
 * the test bench's message when there are more than --max-values. */
enum { KM = 32 };

typedef struct Hls {
	DiagSink *d;
	const Graph *g;
	const flow_prog *p;
	const Plan *pl;
	const char *vendor;     /* --hls-vendor */
	int host_only;          /* for the RTL target (BuildOpts) */
	const char *source;
	const char *base;       /* file prefix, e.g. "flow" */
	const char *fn;         /* top function, e.g. "flow_kernel" */
	const char *up;         /* its upper-case form, for macros */
	int strcap;             /* --max-string-bytes */
	int maxval;             /* --max-values */
	FILE *f;
	int indent;
	int *mask;              /* per slot: kinds its kernel local holds, 0 if none */
	unsigned char *many;    /* per slot: several ints, an expansion's (hls_many) */
	unsigned char *kread;   /* per slot: read by an operation of the kernel */
	unsigned char *kin;     /* per slot: an input of the kernel */
	unsigned char *kout;    /* per slot: an output of the kernel */
} Hls;

/* ---- text ----------------------------------------------------------- */

/* printf with indentation at the start of the line. */
static void
out(Hls *h, const char *fmt, ...)
{
	va_list ap;
	int i;

	for (i = 0; i < h->indent && *fmt; i++)
		fputc('\t', h->f);
	va_start(ap, fmt);
	vfprintf(h->f, fmt, ap);
	va_end(ap);
	fputc('\n', h->f);
}


/* Where a block comes from in the manifest, as a comment. */
static void
line(Hls *h, Pos p)
{
	if (p.line > 0)
		out(h, "/* %s:%d:%d */", c_comment(p.file), p.line, p.col);
}

/* The file prefix (see flowc.h). */
const char *
hls_file_prefix(const char *source)
{
	const char *s = strrchr(source, '/'), *dot;
	char *r;
	size_t n, i;

	s = s ? s + 1 : source;
	dot = strrchr(s, '.');
	n = dot && dot != s ? (size_t)(dot - s) : strlen(s);
	if (strcmp(source, "-") == 0 || n == 0)
		return "flow";
	r = xalloc(n + 3);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		r[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? (char)c : '_';
	}
	if (r[0] >= '0' && r[0] <= '9')
		return xprintf("f_%s", r);
	return r;
}

/* ---- kinds -------------------------------------------------------------- */

static int
single(int m)
{
	return m == KI || m == KF || m == KB || m == KS || m == KA;
}

/* A string or an array: items (bytes or ints) and a length. */
static int
bounded(int m)
{
	return m == KS || m == KA;
}

static const char *
ctype(int m)
{
	return m == KI ? "int64_t" : m == KF ? "double" : "int";
}

static const char *
tagname(int k)
{
	return k == KI ? "FLOW_HLS_INT" : k == KF ? "FLOW_HLS_FLOAT" : k == KB ? "FLOW_HLS_BOOL" :
	    "FLOW_HLS_STR";
}

/* The string bound, as the macro the kernel's header defines. */
static const char *
strcap(Hls *h)
{
	return xprintf("%s_STR_BYTES", h->up);
}

/* The array bound, likewise. */
static const char *
maxval(Hls *h)
{
	return xprintf("%s_MAX_VALUES", h->up);
}

/* The bound of a value of kind m (a string or an array). */
static const char *
bound_of(Hls *h, int m)
{
	return m == KS ? strcap(h) : maxval(h);
}

/* Is slot sl an array in the kernel: a string, an array of ints, or the
 * several ints of an expansion (a bounded array and a count)? */
static int
arr(Hls *h, int sl)
{
	return bounded(h->mask[sl]) || h->many[sl];
}

/* The C type of a string's or array's items. */
static const char *
item_type(int m)
{
	return m == KS ? "uint8_t" : "int64_t";
}

/* A constant of kind int, float or bool as C. */
static const char *
literal(flow_val v)
{
	char buf[64];

	if (v.kind == FLOW_BOOL)
		return v.u.b ? "1" : "0";
	if (v.kind == FLOW_INT) {
		if (v.u.i == INT64_MIN)
			return "(-INT64_C(9223372036854775807) - 1)";
		return xprintf("INT64_C(%" PRId64 ")", v.u.i);
	}
	snprintf(buf, sizeof buf, "%.17g", v.u.f);
	if (!strpbrk(buf, ".eEn"))
		strcat(buf, ".0");
	return buf[0] == '-' ? xprintf("(%s)", buf) : xstrdup(buf);
}

/* ---- the kernel's layout (eligibility: hls_eligible.c) ---------------- */

/* Warn once per generic definition the kernel reads from contexts. */
static void
warn_generic(Hls *h)
{
	unsigned char *seen = xalloc((size_t)h->g->ndefs + 1);
	int sl;

	for (sl = 0; sl < h->pl->nslots; sl++) {
		const PlanSlot *s = &h->pl->slots[sl];
		const IrDef *def = &h->g->defs[s->def];
		if (!h->kin[sl] || def->type != FLOW_T_ANY || seen[s->def])
			continue;
		seen[s->def] = 1;
		diag_warning(h->d, def->pos, "definition '%s' is generic: the kernel takes its int, float and "
		    "bool values; a context giving it any other value runs on the host", def->name);
	}
}

/* Which slots the kernel reads, takes from contexts and gives back. */
static void
layout(Hls *h)
{
	const Graph *g = h->g;
	const Plan *pl = h->pl;
	int i, j, k, sl;

	h->kin = xalloc((size_t)pl->nslots + 1);
	h->kout = xalloc((size_t)pl->nslots + 1);
	h->kread = xalloc((size_t)pl->nslots + 1);
	for (i = 0; i < g->nops; i++) {
		const IrOp *op = &g->ops[i];
		if (!op->has_flow || !hls_in_kernel(op))
			continue;
		for (j = 0; j < op->nparam; j++)
			for (k = 0; k < pl->params[i][j].nslots; k++)
				h->kread[pl->params[i][j].slots[k]] = 1;
		for (j = 0; j < op->ncond; j++)
			h->kread[pl->cond_slot[i][j]] = 1;
	}
	for (sl = 0; sl < pl->nslots; sl++) {
		const PlanSlot *s = &pl->slots[sl];
		h->kin[sl] = h->kread[sl] && s->producer < 0 && s->nseeds == 0 && s->ctx &&
		    pl->def_ctx[s->def] > 0;
		h->kout[sl] = s->producer >= 0 && g->ops[s->producer].stage == FLOW_STAGE_PROCESSING;
	}
}

/* Is slot sl a local of the kernel: read by a kernel op or produced? */
static int
local(Hls *h, int sl)
{
	return h->kread[sl] || h->pl->slots[sl].producer >= 0;
}

/* ---- the kernel's view of values ------------------------------------ */

/* An argument: the kinds it may have and its value in each, with the
 * tag that tells them apart when there are several. */
typedef struct Arg {
	int mask;
	const char *tag;
	const char *iv, *fv, *bv;
	const char *sv, *nv;    /* a string's bytes and length */
} Arg;

static Arg
slot_arg(Hls *h, int sl)
{
	Arg a;
	int m = h->mask[sl];

	memset(&a, 0, sizeof a);
	a.mask = m;
	if (single(m)) {
		const char *v = xprintf("s%d", sl);
		a.tag = tagname(m);
		a.iv = m == KI ? v : "0";
		a.fv = m == KF ? v : "0.0";
		a.bv = m == KB ? v : "0";
		a.sv = bounded(m) ? v : "0";
		a.nv = bounded(m) ? xprintf("n%d", sl) : "0";
	} else {
		a.tag = xprintf("k%d", sl);
		a.iv = xprintf("i%d", sl);
		a.fv = xprintf("f%d", sl);
		a.bv = xprintf("(int)i%d", sl);
		a.sv = a.nv = "0";
	}
	return a;
}

static Arg
const_arg(flow_val v)
{
	Arg a;

	a.mask = hls_value_mask(v);
	a.tag = tagname(a.mask);
	a.iv = a.mask == KI ? literal(v) : "0";
	a.fv = a.mask == KF ? literal(v) : "0.0";
	a.bv = a.mask == KB ? literal(v) : "0";
	a.sv = a.nv = "0";      /* string defaults are refused */
	return a;
}

/* p ? x : y, kind by kind. */
static Arg
merge(const char *p, Arg x, Arg y)
{
	Arg a;

	a.mask = x.mask | y.mask;
	a.tag = single(a.mask) ? x.tag : xprintf("(%s ? %s : %s)", p, x.tag, y.tag);
	a.iv = xprintf("(%s ? %s : %s)", p, x.iv, y.iv);
	a.fv = xprintf("(%s ? %s : %s)", p, x.fv, y.fv);
	a.bv = xprintf("(%s ? %s : %s)", p, x.bv, y.bv);
	a.sv = xprintf("(%s ? %s : %s)", p, x.sv, y.sv);
	a.nv = xprintf("(%s ? %s : %s)", p, x.nv, y.nv);
	return a;
}

/* The value of a as kind k: for a string, its bytes and length. */
static const char *
value_of(Arg a, int k)
{
	return k == KI ? a.iv : k == KF ? a.fv : k == KB ? a.bv : xprintf("%s, %s", a.sv, a.nv);
}

/* Python truthiness of a kernel local. */
static const char *
truthy(Hls *h, int sl)
{
	int m = h->mask[sl];

	if (m == KI)
		return xprintf("(s%d != 0)", sl);
	if (m == KF)
		return xprintf("(s%d != 0.0)", sl);
	if (m == KB)
		return xprintf("s%d", sl);
	if (bounded(m))
		return xprintf("(n%d != 0)", sl);
	return xprintf("(k%d == FLOW_HLS_FLOAT ? f%d != 0.0 : i%d != 0)", sl, sl, sl);
}

/* The statement that calls operation im on arguments of the concrete
 * kinds k[] with values v[] (its signature for them, flow_sig): sets rc,
 * and ti, tf or tb, or for a string result the bytes and length str
 * names ("buf, &len"); a type error where it has none. */
static const char *
call(Hls *h, const flow_impl *im, int n, const int *k, const char *const *v, const char *str)
{
	char kinds[4] = {0, 0, 0, 0};
	const char *fn;
	const flow_sig *sg;
	flow_buf b = {0, 0, 0};
	char *r;
	int j;

	for (j = 0; j < n; j++)
		kinds[j] = k[j] == KI ? 'i' : k[j] == KF ? 'f' : k[j] == KB ? 'b' : k[j] == KS ? 's' : 'a';
	if (!(sg = flow_impl_sig(im, kinds)) || (!sg->fn && !sg->kfn && !sg->value))
		return "rc = FLOW_HLS_E_TYPE;";
	fn = sg->fn ? sg->fn : sg->kfn;
	if (!fn)
		return xprintf("t%c = %s, rc = FLOW_E_OK;", sg->result, sg->value);
	flow_buf_printf(&b, "rc = %s(", fn);
	for (j = 0; j < n; j++)
		flow_buf_printf(&b, "%s%s", j ? ", " : "",
		    sg->kinds[j] == 'n' && k[j] == KI ? xprintf("(double)%s", v[j]) : v[j]);
	if (sg->result == 's' || sg->result == 'a')
		flow_buf_printf(&b, ", %s, %s);", str, bound_of(h, sg->result == 's' ? KS : KA));
	else
		flow_buf_printf(&b, ", &t%c);", sg->result);
	r = xstrdup(b.p);
	flow_buf_free(&b);
	return r;
}

/* The calls for every combination of the arguments' kinds, chosen by
 * their tags (strings and arrays are never tagged); str: see call(). */
static void
dispatch(Hls *h, const flow_impl *im, int n, const Arg *a, const char *str)
{
	static const int kinds[] = { KI, KF, KB, KS, KA };
	int combos[125][3], ncombo = 0, x, j, c;

	for (x = 0; x < 125; x++) {
		int ok = 1;
		for (j = 0; j < 3; j++) {
			/* digit j of x in base 5: the first argument varies slowest */
			int kx = (j == 0 ? x / 25 : j == 1 ? x / 5 : x) % 5;
			if (j < n ? !(a[j].mask & kinds[kx]) : kx != 0)
				ok = 0;
			combos[ncombo][j] = kinds[kx];
		}
		ncombo += ok;
	}
	for (c = 0; c < ncombo; c++) {
		flow_buf g = {0, 0, 0};
		const char *v[3];
		int j;
		for (j = 0; j < n; j++) {
			v[j] = value_of(a[j], combos[c][j]);
			if (!single(a[j].mask))
				flow_buf_printf(&g, "%s%s == %s", g.len ? " && " : "", a[j].tag, tagname(combos[c][j]));
		}
		if (ncombo == 1)
			out(h, "%s", call(h, im, n, combos[c], v, str));
		else {
			if (c == 0)
				out(h, "if (%s) {", g.p);
			else if (c + 1 < ncombo)
				out(h, "} else if (%s) {", g.p);
			else
				out(h, "} else {");
			h->indent++;
			out(h, "%s", call(h, im, n, combos[c], v, str));
			h->indent--;
			if (c + 1 == ncombo)
				out(h, "}");
		}
		flow_buf_free(&g);
	}
}

/* ---- the kernel ------------------------------------------------------ */

/* Is an origin present (plan_origin's answer x)?  A C expression over
 * the kernel's locals (host 0) or the test bench's (host 1). */
static const char *
exists(int x, int host)
{
	if (x >= 0)
		return xprintf(host ? "s%d.n" : "p%d", x);
	if (x == PLAN_INPUT)
		return host ? "nin > 0" : "in->any";
	return x == PLAN_ALWAYS ? "1" : "0";
}

/* The condition walk of §2.7 (plan_conds), straight-line, setting c:
 * `done` stands for emit_c's break out of the walk. */
static void
conditions(Hls *h, int opi, int host)
{
	int i, n;
	const PlanCond *w = plan_conds(h->g, h->pl, opi, &n);

	if (n == 0) {
		out(h, "c = 1;");
		return;
	}
	out(h, "c = 0;");
	out(h, "f = 0;");
	out(h, "done = 0;");
	for (i = 0; i < n; i++) {
		int sl = w[i].slot;
		out(h, "if (!done) {");
		h->indent++;
		if (w[i].opens)
			out(h, "f = 0;");
		out(h, "if (!(%s))", exists(w[i].exists, host));
		out(h, "\tdone = 1;");
		out(h, host ? "else if (s%d.n)" : "else if (p%d)", sl);
		out(h, "\tf = %s;", host ? xprintf("flow_truthy(s%d.v[0])", sl) : truthy(h, sl));
		if (w[i].closes) {
			out(h, "if (!done && f) {");
			out(h, "\tc = 1;");
			out(h, "\tdone = 1;");
			out(h, "}");
		}
		h->indent--;
		out(h, "}");
	}
}

/* "(a) || (b) ...", plan_any of v[0..n-1] present (the kernel's locals):
 * "1" when one always is; empty when none can be. */
static const char *
any_exists(int *v, int n, int dedup)
{
	flow_buf b = {0, 0, 0};
	char *r;
	int i;

	if ((n = plan_any(v, n, dedup)) == PLAN_ALWAYS)
		return "1";
	for (i = 0; i < n; i++)
		flow_buf_printf(&b, "%s(%s)", i ? " || " : "", exists(v[i], 0));
	r = xstrdup(b.len ? b.p : "");
	flow_buf_free(&b);
	return r;
}

/* Some origin the op consumes has arrived (it was reconsidered). */
static const char *
triggered(Hls *h, const IrOp *op)
{
	int n, *v = plan_sources(h->g, h->pl, op, 0, &n);
	const char *x = any_exists(v, n, 1);

	return *x ? x : op->nparam + op->ncond ? "0" : "1";
}

/* The slot an output goes to, or -1 if nothing reads it. */
static int
out_slot(Hls *h, const IrOp *op)
{
	return op->nout > 0 ? h->pl->origin_slot[op->out[0].origin] : -1;
}

/* Parameter j as one value: its present source (at most one may be),
 * else its default.  Adds to pres the condition that it has a value and
 * to many the count of its present sources when there can be several. */
static Arg
param_arg(Hls *h, const IrOp *op, int opi, int j, flow_buf *pres, flow_buf *many)
{
	const PlanParam *pp = &h->pl->params[opi][j];
	const IrDef *d = &h->g->defs[op->params[j].def];
	Arg a = d->has_default ? const_arg(d->dflt) : slot_arg(h, pp->slots[pp->nslots - 1]);
	int k;

	for (k = pp->nslots - (d->has_default ? 1 : 2); k >= 0; k--)
		a = merge(xprintf("p%d", pp->slots[k]), slot_arg(h, pp->slots[k]), a);
	if (pp->nslots > 1) {
		flow_buf_printf(many, "%s", many->len ? " || " : "");
		for (k = 0; k < pp->nslots; k++)
			flow_buf_printf(many, "%sp%d", k ? " + " : "(", pp->slots[k]);
		flow_buf_printf(many, " > 1)");
	}
	if (!d->has_default) {
		for (k = 0; k < pp->nslots; k++)
			flow_buf_printf(pres, "%sp%d", k ? " || " : " && (", pp->slots[k]);
		flow_buf_printf(pres, ")");
	}
	return a;
}

/* DFFML's UnboundLocalError (§2.5.3): the first parameter takes its
 * default before any of its origins exist.  A C condition, or NULL. */
static const char *
unbound(Hls *h, const IrOp *op)
{
	int n, *v = plan_sources(h->g, h->pl, op, 1, &n);
	const char *x = v ? any_exists(v, n, 0) : "1";

	if (strcmp(x, "1") == 0)
		return NULL;    /* no default, or an origin that always exists */
	return *x ? xprintf("!(%s)", x) : "1";
}

/* If cond, the context stops with status err at operation opi. */
static void
stop(Hls *h, const char *cond, const char *err, const char *why, int opi)
{
	out(h, "if (%s) {", cond);
	out(h, why ? "\tout->err = %s; /* %s */" : "\tout->err = %s;", err, why);
	out(h, "\tout->op = %d;", opi);
	out(h, "\treturn;");
	out(h, "}");
}

/* The slot of parameter j of operation opi if it holds several values
 * (an expansion's; then it is the parameter's one slot), else -1. */
static int
many_param(Hls *h, int opi, int j)
{
	const PlanParam *pp = &h->pl->params[opi][j];

	return pp->nslots == 1 && h->many[pp->slots[0]] ? pp->slots[0] : -1;
}

/* Does operation opi read several values of some parameter? */
static int
loops_over(Hls *h, int opi)
{
	int j;

	for (j = 0; j < h->g->ops[opi].nparam; j++)
		if (many_param(h, opi, j) >= 0)
			return 1;
	return 0;
}

/* Does some kernel operation loop over several values? */
static int
loops(Hls *h)
{
	int i;

	for (i = 0; i < h->pl->norder; i++)
		if (h->g->ops[h->pl->order[i]].has_flow && loops_over(h, h->pl->order[i]))
			return 1;
	return 0;
}

/* An operation over several values of some parameters: every
 * combination, the first parameter slowest (the -O2 schedule's loop
 * steps, §2.5), each result one more value of its slot. */
static void
kernel_loop(Hls *h, const IrOp *op, int opi, Arg *a, int sl)
{
	int j, x, depth = 0;

	for (j = 0; j < op->nparam; j++) {
		if ((x = many_param(h, opi, j)) < 0)
			continue;
		a[op->params[j].argpos].iv = xprintf("s%d[x%d]", x, j);
		out(h, "for (x%d = 0; x%d < %s; x%d++) {", j, j, maxval(h), j);
		out(h, "\tif (x%d >= n%d)", j, x);
		out(h, "\t\tbreak;");
		h->indent++;
		depth++;
	}
	out(h, "fired++;");
	dispatch(h, op->impl, op->impl->nparam, a, "0");
	stop(h, "rc != FLOW_E_OK", "rc", NULL, opi);
	if (sl >= 0) {
		stop(h, xprintf("n%d >= %s", sl, maxval(h)), "FLOW_E_BOUND", "more values than --max-values", opi);
		out(h, "s%d[n%d++] = ti;", sl, sl);
	}
	while (depth-- > 0) {
		h->indent--;
		out(h, "}");
	}
	if (sl >= 0)
		out(h, "p%d = n%d > 0;", sl, sl);
}

/* One processing or cleanup operation, as the fast path runs it: if it
 * runs, it runs once (every value it reads is single), or once per
 * combination of the values of an expansion it reads (kernel_loop). */
static void
kernel_op(Hls *h, int opi)
{
	const IrOp *op = &h->g->ops[opi];
	Arg a[3];
	flow_buf pres = {0, 0, 0}, many = {0, 0, 0};
	int j, n = op->impl->nparam, keep = op->stage == FLOW_STAGE_PROCESSING;
	int sl = keep ? out_slot(h, op) : -1, rm = hls_result_mask(op->impl->out_type);
	const char *ub = unbound(h, op), *trig;

	out(h, "");
	out(h, "/* %s: %s (%s) */", c_comment(op->inst), c_comment(op->opname), stage_name(op->stage));
	line(h, op->pos);
	conditions(h, opi, 0);
	for (j = 0; j < op->nparam; j++)
		a[op->params[j].argpos] = param_arg(h, op, opi, j, &pres, &many);
	trig = keep ? triggered(h, op) : "1";
	/* gathered, so DFFML's crash comes before the presence test */
	if (ub)
		stop(h, xprintf("c%s && %s", strcmp(trig, "1") == 0 ? "" : xprintf(" && (%s)", trig), ub),
		    "FLOW_HLS_E_HOST", "DFFML's UnboundLocalError", opi);
	out(h, "if (c%s%s) {", pres.len ? pres.p : "",
	    strcmp(trig, "1") == 0 ? "" : xprintf(" && (%s)", trig));
	h->indent++;
	if (many.len)
		stop(h, many.p, "FLOW_HLS_E_HOST", "several runs", opi);
	if (loops_over(h, opi)) {
		kernel_loop(h, op, opi, a, sl);
		h->indent--;
		out(h, "}");
		flow_buf_free(&pres);
		flow_buf_free(&many);
		return;
	}
	out(h, "fired++;");
	/* a string or array result goes straight to its slot, or to ts, ta */
	dispatch(h, op->impl, n, a, sl >= 0 ? xprintf("s%d, &n%d", sl, sl) : rm == KS ? "ts, &tn" : "ta, &tn");
	stop(h, "rc != FLOW_E_OK", "rc", NULL, opi);
	if (sl >= 0 && h->many[sl])
		out(h, "p%d = n%d > 0; /* expanded: one value per item */", sl, sl);
	else if (sl >= 0 && bounded(rm))
		out(h, "p%d = 1;", sl);
	else if (sl >= 0) {
		out(h, "s%d = %s;", sl, rm == KI ? "ti" : rm == KF ? "tf" : "tb");
		out(h, "p%d = 1;", sl);
	}
	h->indent--;
	out(h, "}");
	flow_buf_free(&pres);
	flow_buf_free(&many);
}

/* Does some kernel operation's result of kind m (a string or an array)
 * go nowhere (to ts or ta)? */
static int
needs_tmp(Hls *h, int m)
{
	const Graph *g = h->g;
	int i;

	for (i = 0; i < g->nops; i++) {
		const IrOp *op = &g->ops[i];
		if (!op->has_flow || !hls_in_kernel(op) || hls_result_mask(op->impl->out_type) != m)
			continue;
		if (op->stage != FLOW_STAGE_PROCESSING || out_slot(h, op) < 0)
			return 1;
	}
	return 0;
}

/* Does the kernel hold a value of kind m (KS or KA) anywhere: an input,
 * a seed, a result? */
static int
holds(Hls *h, int m)
{
	int sl;

	for (sl = 0; sl < h->pl->nslots; sl++)
		if (local(h, sl) && (h->mask[sl] == m || (m == KA && h->many[sl])))
			return 1;
	return needs_tmp(h, m);
}

/* Does a context give the kernel an array? */
static int
array_inputs(Hls *h)
{
	int sl;

	for (sl = 0; sl < h->pl->nslots; sl++)
		if (h->kin[sl] && h->mask[sl] == KA)
			return 1;
	return 0;
}

/* Kernel operations whose result has kind m. */
static int
result_ops(Hls *h, int m)
{
	int i, n = 0;

	for (i = 0; i < h->g->nops; i++)
		n += h->g->ops[i].has_flow && hls_in_kernel(&h->g->ops[i]) &&
		    hls_result_mask(h->g->ops[i].impl->out_type) == m;
	return n;
}

/* Does the kernel give the host an array of ints (not expanded)? */
static int
array_results(Hls *h)
{
	int sl;

	for (sl = 0; sl < h->pl->nslots; sl++)
		if (h->kout[sl] && h->mask[sl] == KA && !h->many[sl])
			return 1;
	return 0;
}

/* Does a context give the kernel a string or an array? */
static int
bounded_inputs(Hls *h)
{
	int sl;

	for (sl = 0; sl < h->pl->nslots; sl++)
		if (h->kin[sl] && bounded(h->mask[sl]))
			return 1;
	return 0;
}

static void
slot_comment(Hls *h, int sl, const char *decl)
{
	const PlanSlot *s = &h->pl->slots[sl];

	out(h, "%s /* %s from %s */", decl, c_comment(h->g->defs[s->def].name), c_comment(h->g->origins[s->origin].name));
}

/* A bound on the kernel's values (option opt) as the header's macro
 * name, value unless the HLS build defines it first. */
static void
bound_macro(Hls *h, const char *what, const char *opt, const char *name, int value)
{
	out(h, "/* The %s value may have (flowc build %s); a", what, opt);
	out(h, " * longer one is an error of its context. */");
	out(h, "#ifndef %s", name);
	out(h, "#define %s %d", name, value);
	out(h, "#endif");
	out(h, "");
}

/* The header: the interface structs and the top function. */
static void
kernel_h(Hls *h)
{
	const Plan *pl = h->pl;
	int sl;

	out(h, "/* The HLS kernel's interface (flowc-hls(7)). */");
	out(h, "#ifndef %s_H", h->up);
	out(h, "#define %s_H", h->up);
	out(h, "");
	out(h, "#include <stdint.h>");
	out(h, "#include \"flowhls.h\"");
	out(h, "");
	out(h, "/* Contexts per call, at most. */");
	out(h, "#ifndef %s_BATCH", h->up);
	out(h, "#define %s_BATCH 64", h->up);
	out(h, "#endif");
	out(h, "");
	if (holds(h, KS))
		bound_macro(h, "bytes a string", "--max-string-bytes", strcap(h), h->strcap);
	if (holds(h, KA))
		bound_macro(h, "items an array", "--max-values", maxval(h), h->maxval);
	out(h, "/* One context's inputs: each value a context may give, with a");
	out(h, " * present flag; tagged values carry their kind (FLOW_HLS_INT...). */");
	out(h, "typedef struct %s_in {", h->fn);
	h->indent = 1;
	out(h, "uint8_t any; /* the context has at least one input */");
	for (sl = 0; sl < pl->nslots; sl++) {
		if (!h->kin[sl])
			continue;
		if (bounded(h->mask[sl])) {
			slot_comment(h, sl, xprintf("%s s%d[%s];", item_type(h->mask[sl]), sl, bound_of(h, h->mask[sl])));
			out(h, "int32_t n%d;", sl);
		} else if (single(h->mask[sl]))
			slot_comment(h, sl, xprintf("%s s%d;", h->mask[sl] == KB ? "uint8_t" : ctype(h->mask[sl]), sl));
		else {
			slot_comment(h, sl, xprintf("uint8_t k%d;", sl));
			out(h, "int64_t i%d;", sl);
			out(h, "double f%d;", sl);
		}
		out(h, "uint8_t p%d;", sl);
	}
	h->indent = 0;
	out(h, "} %s_in;", h->fn);
	out(h, "");
	out(h, "/* One context's outputs: the status, then each value an operation");
	out(h, " * produced that the output stage may read. */");
	out(h, "typedef struct %s_out {", h->fn);
	h->indent = 1;
	out(h, "int32_t err; /* FLOW_E_OK, a FLOW_E_* code, FLOW_HLS_E_TYPE or FLOW_HLS_E_HOST */");
	out(h, "int32_t op; /* the operation (table index) that set err, or -1 */");
	out(h, "int32_t fired; /* operations run */");
	for (sl = 0; sl < pl->nslots; sl++) {
		if (!h->kout[sl])
			continue;
		if (h->many[sl]) {
			slot_comment(h, sl, xprintf("int64_t s%d[%s]; /* its values, in order */", sl, maxval(h)));
			out(h, "int32_t n%d;", sl);
		} else if (bounded(h->mask[sl])) {
			slot_comment(h, sl, xprintf("%s s%d[%s];", item_type(h->mask[sl]), sl, bound_of(h, h->mask[sl])));
			out(h, "int32_t n%d;", sl);
		} else
			slot_comment(h, sl, xprintf("%s s%d;", h->mask[sl] == KB ? "uint8_t" : ctype(h->mask[sl]), sl));
		out(h, "uint8_t p%d;", sl);
	}
	h->indent = 0;
	out(h, "} %s_out;", h->fn);
	out(h, "");
	out(h, "/* The top function: out[i] from in[i] for i < n <= %s_BATCH. */", h->up);
	out(h, "FLOW_HLS_COMPONENT void %s(const %s_in in[%s_BATCH], %s_out out[%s_BATCH], int32_t n);",
	    h->fn, h->fn, h->up, h->fn, h->up);
	out(h, "");
	out(h, "#endif");
}

static void
kernel_locals(Hls *h)
{
	const Plan *pl = h->pl;
	int sl;

	for (sl = 0; sl < pl->nslots; sl++) {
		int m = h->mask[sl];
		if (!local(h, sl))
			continue;
		if (h->many[sl]) {
			slot_comment(h, sl, xprintf("int64_t *s%d = out->s%d; /* several values */", sl, sl));
			out(h, "int32_t n%d = 0;", sl);
		} else if (bounded(m)) {
			/* a result in place in out; an input, a seed: read where it is */
			slot_comment(h, sl, h->kout[sl] ? xprintf("%s *s%d = out->s%d;", item_type(m), sl, sl) :
			    xprintf("const %s *s%d = 0;", item_type(m), sl));
			out(h, "int32_t n%d = 0;", sl);
		} else if (single(m))
			slot_comment(h, sl, xprintf("%s s%d = %s;", ctype(m), sl, m == KF ? "0.0" : "0"));
		else {
			slot_comment(h, sl, xprintf("int k%d = FLOW_HLS_INT;", sl));
			out(h, "int64_t i%d = 0;", sl);
			out(h, "double f%d = 0.0;", sl);
		}
		out(h, "int p%d = 0;", sl);
	}
	out(h, "int64_t ti = 0;");
	out(h, "double tf = 0.0;");
	out(h, "int tb = 0, c = 0, f = 0, done = 0, rc = FLOW_E_OK;");
	out(h, "int32_t fired = 0;");
	if (loops(h))
		out(h, "int32_t x0 = 0, x1 = 0, x2 = 0; /* the product-order loops' indices */");
	if (needs_tmp(h, KS))
		out(h, "uint8_t ts[%s]; /* a string result nothing reads */", strcap(h));
	if (needs_tmp(h, KA))
		out(h, "int64_t ta[%s]; /* an array result nothing reads */", maxval(h));
	if (needs_tmp(h, KS) || needs_tmp(h, KA))
		out(h, "int32_t tn = 0;");
}

static void
kernel_inputs(Hls *h)
{
	const Plan *pl = h->pl;
	int sl;

	out(h, "");
	out(h, "/* context inputs and seeds */");
	for (sl = 0; sl < pl->nslots; sl++) {
		if (h->kin[sl]) {
			if (bounded(h->mask[sl])) {
				out(h, "s%d = in->s%d;", sl, sl);
				out(h, "n%d = in->n%d;", sl, sl);
			} else if (single(h->mask[sl]))
				out(h, "s%d = in->s%d;", sl, sl);
			else {
				out(h, "k%d = in->k%d;", sl, sl);
				out(h, "i%d = in->i%d;", sl, sl);
				out(h, "f%d = in->f%d;", sl, sl);
			}
			out(h, "p%d = in->p%d;", sl, sl);
		} else if (local(h, sl) && pl->slots[sl].nseeds == 1 && pl->slots[sl].producer < 0) {
			flow_val v = h->g->seeds[pl->slots[sl].seeds[0]].value;
			if (v.kind == FLOW_STR || v.kind == FLOW_ARRAY) {
				out(h, "s%d = %s_seed%d;", sl, h->fn, sl);
				out(h, "n%d = %zu;", sl, v.kind == FLOW_STR ? v.u.s->len : v.u.a->n);
			} else
				out(h, "s%d = %s;", sl, literal(v));
			out(h, "p%d = 1;", sl);
		}
	}
}

/* The items of an array of ints, as C. */
static const char *
int_items(const flow_array *a)
{
	flow_buf b = {0, 0, 0};
	char *r;
	size_t i;

	for (i = 0; i < a->n; i++)
		flow_buf_printf(&b, "%s%s", i ? ", " : "", literal(a->items[i]));
	r = xstrdup(b.len ? b.p : "0");
	flow_buf_free(&b);
	return r;
}

/* The string and array seeds the kernel reads, as constant arrays. */
static void
kernel_seeds(Hls *h)
{
	const Plan *pl = h->pl;
	int sl, any = 0;

	for (sl = 0; sl < pl->nslots; sl++) {
		flow_val v;
		if (h->kin[sl] || !local(h, sl) || pl->slots[sl].nseeds != 1 || pl->slots[sl].producer >= 0)
			continue;
		v = h->g->seeds[pl->slots[sl].seeds[0]].value;
		if (v.kind != FLOW_STR && v.kind != FLOW_ARRAY)
			continue;
		if (!any++)
			out(h, "/* string and array seeds */");
		if (v.kind == FLOW_STR)
			slot_comment(h, sl, xprintf("static const uint8_t %s_seed%d[%zu] = %s;", h->fn, sl,
			    v.u.s->len + 1, c_literal(v.u.s->s, v.u.s->len)));
		else
			slot_comment(h, sl, xprintf("static const int64_t %s_seed%d[%zu] = {%s};", h->fn, sl,
			    v.u.a->n + (v.u.a->n == 0), int_items(v.u.a)));
	}
	if (any)
		out(h, "");
}

/* The kernel: one function per context, the top function around it. */
static void
kernel_c(Hls *h)
{
	const Graph *g = h->g;
	const Plan *pl = h->pl;
	int i, sl;

	out(h, "/* The HLS kernel (flowc-hls(7)): the processing and cleanup stages,");
	out(h, " * straight-line in dependency order, each operation through its typed");
	out(h, " * function; the output stage runs on the host (%s_tb.c). */", h->base);
	out(h, "#include <stdint.h>");
	out(h, "#include \"flowhls.h\"");
	out(h, "#include \"flowops.h\"");
	out(h, "#include \"%s.h\"", h->fn);
	out(h, "");
	kernel_seeds(h);
	out(h, "/* One context: what the C backend's fast path computes. */");
	out(h, "static void");
	out(h, "%s_one(const %s_in *in, %s_out *out)", h->fn, h->fn, h->fn);
	out(h, "{");
	h->indent = 1;
	kernel_locals(h);
	out(h, "");
	out(h, "(void)in, (void)ti, (void)tf, (void)tb, (void)c, (void)f, (void)done, (void)rc;");
	if (loops(h))
		out(h, "(void)x0, (void)x1, (void)x2;");
	for (sl = 0; sl < pl->nslots; sl++)
		if (local(h, sl) && !single(h->mask[sl]))
			out(h, "(void)k%d, (void)i%d, (void)f%d; /* not every kind is read */", sl, sl, sl);
		else if (local(h, sl) && pl->slots[sl].producer < 0 && !pl->slots[sl].ctx &&
		    pl->slots[sl].nseeds == 0)
			out(h, "(void)s%d;%s /* no input has this origin */", sl,
			    bounded(h->mask[sl]) ? xprintf(" (void)n%d;", sl) : "");
		else if (local(h, sl) && pl->slots[sl].producer >= 0 &&
		    g->ops[pl->slots[sl].producer].stage != FLOW_STAGE_PROCESSING)
			out(h, "(void)s%d, %s(void)p%d; /* a %s result: never kept */", sl,
			    bounded(h->mask[sl]) ? xprintf("(void)n%d, ", sl) : "", sl,
			    stage_name(g->ops[pl->slots[sl].producer].stage));
		else if (local(h, sl) && bounded(h->mask[sl]) && !h->kout[sl])
			out(h, "(void)s%d, (void)n%d; /* unread when no signature of its readers takes it */", sl, sl);
	kernel_inputs(h);
	for (i = 0; i < pl->norder; i++)
		if (g->ops[pl->order[i]].has_flow)
			kernel_op(h, pl->order[i]);
	for (i = 0; i < h->p->nstage[FLOW_STAGE_CLEANUP]; i++)
		kernel_op(h, h->p->stage_order[FLOW_STAGE_CLEANUP][i]);
	out(h, "");
	out(h, "out->err = FLOW_E_OK;");
	out(h, "out->op = -1;");
	out(h, "out->fired = fired;");
	for (sl = 0; sl < pl->nslots; sl++)
		if (h->kout[sl]) {
			if (arr(h, sl))
				out(h, "out->n%d = n%d; /* its items are in place */", sl, sl);
			else
				out(h, "out->s%d = %ss%d;", sl, h->mask[sl] == KB ? "(uint8_t)" : "", sl);
			out(h, "out->p%d = (uint8_t)p%d;", sl, sl);
		}
	h->indent = 0;
	out(h, "}");
	out(h, "");
	out(h, "/* The top function: a pipeline over up to %s_BATCH contexts. */", h->up);
	out(h, "FLOW_HLS_COMPONENT void");
	out(h, "%s(const %s_in in[%s_BATCH], %s_out out[%s_BATCH], int32_t n)", h->fn, h->fn, h->up, h->fn, h->up);
	out(h, "{");
	out(h, "\tint32_t i;");
	out(h, "");
	out(h, "\tFLOW_HLS_TOP(%s)", h->fn);
	out(h, "\tFLOW_HLS_INTERFACE_AXIS(in)");
	out(h, "\tFLOW_HLS_INTERFACE_AXIS(out)");
	out(h, "\tFLOW_HLS_INTERFACE_AXILITE(n)");
	out(h, "\tFLOW_HLS_INTERFACE_CONTROL");
	out(h, "\tFLOW_HLS_LOOP_II1");
	out(h, "\tfor (i = 0; i < %s_BATCH; i++) {", h->up);
	out(h, "\t\tFLOW_HLS_PIPELINE_II1");
	out(h, "\t\tif (i < n)");
	out(h, "\t\t\t%s_one(&in[i], &out[i]);", h->fn);
	out(h, "\t}");
	out(h, "}");
}

/* ---- the test bench ---------------------------------------------------- */

/* The prog id of a graph origin (string origins are renumbered). */
static int
prog_origin(Hls *h, int origin)
{
	int i;

	for (i = 0; i < h->p->norigins; i++)
		if (strcmp(h->p->origin_names[i], h->g->origins[origin].name) == 0)
			return i;
	return 0;
}

static void
tb_decls(Hls *h)
{
	const Graph *g = h->g;
	const Plan *pl = h->pl;
	int i, d, nargs = 1;

	for (i = 0; i < g->nops; i++)
		if (g->ops[i].impl && g->ops[i].impl->nparam > nargs)
			nargs = g->ops[i].impl->nparam;
	out(h, "long maxf = o->max_firings > 0 ? o->max_firings : FLOW_DEFAULT_MAX_FIRINGS;");
	out(h, "%s_in *ki = &tb_in[0];", h->fn);
	out(h, "%s_out *ko = &tb_out[0];", h->fn);
	out(h, "flow_net *n;");
	out(h, "flow_val av[%d], t;", nargs);
	out(h, "int c = 0, f = 0, done = 0, rc = 0;");
	out(h, "size_t k;");
	if (bounded_inputs(h)) {
		out(h, "const char *big = NULL; /* why a string or array input does not fit */");
		out(h, "int bigop = -1; /* and the first operation that reads it */");
	}
	if (array_inputs(h))
		out(h, "size_t j;");
	for (i = 0; i < pl->nslots; i++)
		slot_comment(h, i, xprintf("flow_vec s%d = {0, 0, 0};", i));
	for (d = 0; d < g->ndefs; d++)
		if (pl->viewed[d] && pl->def_ctx[d])
			out(h, "flow_vec cv%d = {0, 0, 0};", d);
	out(h, "");
	out(h, "(void)c, (void)f, (void)done, (void)rc, (void)av, (void)t;");
	for (i = 0; i < pl->nslots; i++)
		out(h, "(void)s%d;", i);
}

/* Does operation opi read slot sl? */
static int
reads(Hls *h, int opi, int sl)
{
	const IrOp *op = &h->g->ops[opi];
	int j, k;

	for (j = 0; j < op->nparam; j++)
		for (k = 0; k < h->pl->params[opi][j].nslots; k++)
			if (h->pl->params[opi][j].slots[k] == sl)
				return 1;
	for (j = 0; j < op->ncond; j++)
		if (h->pl->cond_slot[opi][j] == sl)
			return 1;
	return 0;
}

/* The first kernel operation, in the order the kernel runs them, that
 * reads slot sl: the one an input over its bound is an error of. */
static int
first_reader(Hls *h, int sl)
{
	int i;

	for (i = 0; i < h->pl->norder; i++)
		if (h->g->ops[h->pl->order[i]].has_flow && reads(h, h->pl->order[i], sl))
			return h->pl->order[i];
	for (i = 0; i < h->p->nstage[FLOW_STAGE_CLEANUP]; i++)
		if (reads(h, h->p->stage_order[FLOW_STAGE_CLEANUP][i], sl))
			return h->p->stage_order[FLOW_STAGE_CLEANUP][i];
	flow_die("first_reader: slot %d is read by no kernel operation", sl);
	return -1;
}

/* Pack a context value into the kernel's input slot sl. */
static void
tb_pack(Hls *h, int sl)
{
	int m = h->mask[sl];

	if (h->pl->def_ctx[h->pl->slots[sl].def] > 1) {
		out(h, "\tif (ki->p%d)", sl);
		out(h, "\t\treturn 0; /* two values: the operations would run twice */");
	}
	if (m == KS) {
		const char *name = h->g->defs[h->pl->slots[sl].def].name;
		out(h, "\tif (in[k].value.kind != FLOW_STR)");
		out(h, "\t\treturn 0;");
		out(h, "\tif (in[k].value.u.s->len > %s) {", strcap(h));
		out(h, "\t\tif (!big) {");
		out(h, "\t\t\tbig = \"input '\" %s \"' is longer than the HLS kernel's bound of \"", c_literal(name, strlen(name)));
		out(h, "\t\t\t    FLOW_HLS_STRINGIFY(%s) \" bytes (--max-string-bytes)\";", strcap(h));
		out(h, "\t\t\tbigop = %d;", first_reader(h, sl));
		out(h, "\t\t}");
		out(h, "\t} else {");
		out(h, "\t\tmemcpy(ki->s%d, in[k].value.u.s->s, in[k].value.u.s->len);", sl);
		out(h, "\t\tki->n%d = (int32_t)in[k].value.u.s->len;", sl);
		out(h, "\t}");
	} else if (m == KA) {
		const char *name = h->g->defs[h->pl->slots[sl].def].name;
		out(h, "\tif (in[k].value.kind != FLOW_ARRAY)");
		out(h, "\t\treturn 0;");
		out(h, "\tfor (j = 0; j < in[k].value.u.a->n; j++)");
		out(h, "\t\tif (in[k].value.u.a->items[j].kind != FLOW_INT)");
		out(h, "\t\t\treturn 0; /* not all ints: the host runs this context */");
		out(h, "\tif (in[k].value.u.a->n > %s) {", maxval(h));
		out(h, "\t\tif (!big) {");
		out(h, "\t\t\tbig = \"input '\" %s \"' has more than the HLS kernel's bound of \"", c_literal(name, strlen(name)));
		out(h, "\t\t\t    FLOW_HLS_STRINGIFY(%s) \" values (--max-values)\";", maxval(h));
		out(h, "\t\t\tbigop = %d;", first_reader(h, sl));
		out(h, "\t\t}");
		out(h, "\t} else {");
		out(h, "\t\tfor (j = 0; j < in[k].value.u.a->n; j++)");
		out(h, "\t\t\tki->s%d[j] = in[k].value.u.a->items[j].u.i;", sl);
		out(h, "\t\tki->n%d = (int32_t)in[k].value.u.a->n;", sl);
		out(h, "\t}");
	} else if (single(m)) {
		const char *k = m == KI ? "FLOW_INT" : m == KF ? "FLOW_FLOAT" : "FLOW_BOOL";
		out(h, "\tif (in[k].value.kind != %s)", k);
		out(h, "\t\treturn 0;");
		out(h, "\tki->s%d = %sin[k].value.u.%s;", sl, m == KB ? "(uint8_t)" : "", m == KI ? "i" : m == KF ? "f" : "b");
	} else {
		out(h, "\tswitch (in[k].value.kind) {");
		if (m & KI)
			out(h, "\tcase FLOW_INT: ki->k%d = FLOW_HLS_INT; ki->i%d = in[k].value.u.i; break;", sl, sl);
		if (m & KF)
			out(h, "\tcase FLOW_FLOAT: ki->k%d = FLOW_HLS_FLOAT; ki->f%d = in[k].value.u.f; break;", sl, sl);
		if (m & KB)
			out(h, "\tcase FLOW_BOOL: ki->k%d = FLOW_HLS_BOOL; ki->i%d = in[k].value.u.b; break;", sl, sl);
		out(h, "\tdefault: return 0; /* not a scalar: the host runs this context */");
		out(h, "\t}");
	}
	out(h, "\tki->p%d = 1;", sl);
}

/* Context inputs: the guards of emit_c's fast_inputs(), the kernel's own
 * (one value per slot it reads), and packing. */
static void
tb_inputs(Hls *h)
{
	const Graph *g = h->g;
	const Plan *pl = h->pl;
	int d, i, k;

	out(h, "memset(ki, 0, sizeof *ki);");
	out(h, "ki->any = nin > 0;");
	out(h, "for (k = 0; k < (size_t)nin; k++) {");
	h->indent++;
	out(h, "if (in[k].origin != %d)", h->p->seed_origin);
	out(h, "\treturn 0;");
	out(h, "switch (in[k].def) {");
	for (d = 0; d < g->ndefs; d++) {
		int slot = plan_input_slot(g, pl, d);
		if (!pl->viewed[d] && slot < 0)
			continue;
		out(h, "case %d: /* %s */", d, c_comment(g->defs[d].name));
		if (!pl->def_ctx[d] || (slot >= 0 && h->kread[slot] && pl->slots[slot].nseeds > 0)) {
			out(h, "\treturn 0;");
			continue;
		}
		if (pl->def_ctx[d] == 1) {
			out(h, "\tif (%s.n)", slot >= 0 ? xprintf("s%d", slot) : xprintf("cv%d", d));
			out(h, "\t\treturn 0;");
		}
		if (pl->viewed[d])
			out(h, "\tflow_vec_push(a, &cv%d, in[k].value);", d);
		if (slot >= 0) {
			out(h, "\tflow_vec_push(a, &s%d, in[k].value);", slot);
			if (h->kin[slot])
				tb_pack(h, slot);
		}
		out(h, "\tbreak;");
	}
	out(h, "default:");
	out(h, "\tbreak;");
	out(h, "}");
	h->indent--;
	out(h, "}");
	for (k = 0; k < g->nseeds; k++)
		if ((i = plan_seed_slot(g, pl, k)) >= 0)
			out(h, "flow_vec_push(a, &s%d, prog.seeds[%d].value);", i, k);
	if (bounded_inputs(h)) {
		out(h, "if (big) { /* an error of this context, not a wrong result */");
		out(h, "\tmemset(r, 0, sizeof *r);");
		out(h, "\tr->err_op = prog.ops[bigop].instance;");
		out(h, "\tr->err_msg = big;");
		out(h, "\treturn 1;");
		out(h, "}");
	}
}

/* What a result over the bound of kind m is, as a C string literal. */
static const char *
bound_msg(Hls *h, int m)
{
	if (m == KM)
		return xprintf("\"more values than the HLS kernel's bound of \" "
		    "FLOW_HLS_STRINGIFY(%s) \" (--max-values)\"", maxval(h));
	return m == KS ? xprintf("\"a string longer than the HLS kernel's bound of \" "
	    "FLOW_HLS_STRINGIFY(%s) \" bytes (--max-string-bytes)\"", strcap(h)) :
	    xprintf("\"an array longer than the HLS kernel's bound of \" "
	    "FLOW_HLS_STRINGIFY(%s) \" values (--max-values)\"", maxval(h));
}

/* What can go over a bound in kernel operation i: its string (KS) or
 * array (KA) result, its several values (KM), or nothing (0). */
static int
bound_kind(Hls *h, int i)
{
	const IrOp *op = &h->g->ops[i];
	int m;

	if (!op->has_flow || !hls_in_kernel(op))
		return 0;
	if (op->stage == FLOW_STAGE_PROCESSING && loops_over(h, i))
		return KM;
	m = hls_result_mask(op->impl->out_type);
	return bounded(m) ? m : 0;
}

/* The test bench's message for FLOW_E_BOUND, by the operation that set
 * it: one case per kind in kinds, the string one (or the last) the
 * default. */
static void
bound_switch(Hls *h, int kinds)
{
	static const int order[] = { KA, KM, KS };
	int last = kinds & KS ? KS : kinds & KM ? KM : KA, x, i;

	out(h, "\tswitch (ko->op) {");
	for (x = 0; x < 3; x++) {
		if (!(kinds & order[x]) || order[x] == last)
			continue;
		for (i = 0; i < h->g->nops; i++)
			if (bound_kind(h, i) == order[x])
				out(h, "\tcase %d:", i);
		out(h, "\t\tr->err_msg = %s;", bound_msg(h, order[x]));
		out(h, "\t\tbreak;");
	}
	out(h, "\tdefault:");
	out(h, "\t\tr->err_msg = %s;", bound_msg(h, last));
	out(h, "\t}");
}

/* The kernel's results back into the host's slots. */
static void
tb_unpack(Hls *h)
{
	int sl;

	out(h, "%s(tb_in, tb_out, 1);", h->fn);
	if (result_ops(h, KS) || result_ops(h, KA)) {
		int i, kinds = 0;
		for (i = 0; i < h->g->nops; i++)
			kinds |= bound_kind(h, i);
		out(h, "if (ko->err == FLOW_E_BOUND) { /* an error of this context, not a wrong result */");
		out(h, "\tmemset(r, 0, sizeof *r);");
		out(h, "\tr->err_op = prog.ops[ko->op].instance;");
		if (single(kinds))
			out(h, "\tr->err_msg = %s;", bound_msg(h, kinds));
		else
			bound_switch(h, kinds);
		out(h, "\treturn 1;");
		out(h, "}");
	}
	out(h, "if (ko->err != FLOW_E_OK || ko->fired > maxf)");
	out(h, "\treturn 0; /* the orchestrator names the failure */");
	for (sl = 0; sl < h->pl->nslots; sl++)
		if (h->kout[sl]) {
			int m = h->mask[sl];
			out(h, "if (ko->p%d)", sl);
			if (h->many[sl])
				out(h, "\tfor (k = 0; k < (size_t)ko->n%d; k++)\n\t\t\tflow_vec_push(a, &s%d, flow_int(ko->s%d[k]));",
				    sl, sl, sl);
			else if (m == KS)
				out(h, "\tflow_vec_push(a, &s%d, flow_string(a, (const char *)ko->s%d, (size_t)ko->n%d));",
				    sl, sl, sl);
			else if (m == KA)
				out(h, "\tflow_vec_push(a, &s%d, tb_ints(a, ko->s%d, ko->n%d));", sl, sl, sl);
			else
				out(h, "\tflow_vec_push(a, &s%d, %s(ko->s%d));", sl,
				    m == KI ? "flow_int" : m == KF ? "flow_float" : "flow_bool", sl);
		}
}

/* Values the output stage reads, in insertion order (fast_network). */
static void
tb_network(Hls *h)
{
	const Graph *g = h->g;
	const Plan *pl = h->pl;
	int d, i;

	out(h, "n = flow_net_new(&prog, o, a);");
	for (d = 0; d < g->ndefs; d++) {
		if (!pl->viewed[d])
			continue;
		if (pl->def_ctx[d])
			out(h, "for (k = 0; k < cv%d.n; k++)\n\t\tflow_net_add(n, %d, %d, cv%d.v[k]);",
			    d, d, h->p->seed_origin, d);
		for (i = 0; i < g->nseeds; i++)
			if (g->seeds[i].def == d)
				out(h, "flow_net_add(n, %d, %d, prog.seeds[%d].value);", d, h->p->seeds[i].origin, i);
		for (i = 0; i < pl->nslots; i++)
			if (pl->slots[i].def == d && pl->slots[i].producer >= 0)
				out(h, "for (k = 0; k < s%d.n; k++)\n\t\tflow_net_add(n, %d, %d, s%d.v[k]);", i, d,
				    prog_origin(h, pl->slots[i].origin), i);
	}
}

/* get_single / get_multi, once per spec seed (fast_stage_op). */
static void
tb_output(Hls *h, int opi)
{
	const IrOp *op = &h->g->ops[opi];

	out(h, "");
	out(h, "/* %s: %s (output) */", c_comment(op->inst), c_comment(op->opname));
	line(h, op->pos);
	conditions(h, opi, 1);
	emit_c_spec_calls(h->f, h->indent, h->g, opi);  /* as at -O2 */
}

static void
tb_c(Hls *h)
{
	int i;

	out(h, "/* The C-simulation test bench (flowc-hls(7)): JSON Lines in and out like");
	out(h, " * every flowc program.  Each context goes through the kernel once; one");
	out(h, " * the kernel cannot take (see the guards below) or in which an operation");
	out(h, " * failed is run by the runtime's orchestrator instead, and their number");
	out(h, " * is printed on standard error at exit when it is not zero. */");
	out(h, "#include <string.h>");
	out(h, "#include \"flowrt.h\"");
	out(h, "#include \"flowops.h\"");
	out(h, "#include \"%s.h\"", h->fn);
	out(h, "");
	out(h, "/* The flow's tables as `flowc build -O0 -S` writes them, with");
	out(h, " * tb_tables() (which sets them up and returns the program) for main(). */");
	out(h, "#include \"%s_tables.c\"", h->base);
	out(h, "");
	if (array_results(h)) {
		out(h, "/* An array of ints the kernel made, as a value. */");
		out(h, "static flow_val");
		out(h, "tb_ints(flow_arena *a, const int64_t *v, int32_t n)");
		out(h, "{");
		out(h, "\tflow_array *arr = flow_array_new(a, (size_t)n);");
		out(h, "\tint32_t i;");
		out(h, "");
		out(h, "\tfor (i = 0; i < n; i++)");
		out(h, "\t\tarr->items[i] = flow_int(v[i]);");
		out(h, "\treturn flow_arrayv(arr);");
		out(h, "}");
		out(h, "");
	}
	out(h, "static %s_in tb_in[%s_BATCH];", h->fn, h->up);
	out(h, "static %s_out tb_out[%s_BATCH];", h->fn, h->up);
	out(h, "static long tb_host; /* contexts run by the orchestrator */");
	out(h, "");
	out(h, "/* One context through the kernel; 0 when the orchestrator must run it. */");
	out(h, "static int");
	out(h, "tb_kernel(const flow_opts *o, flow_arena *a, const flow_cinput *in, int nin, flow_result *r)");
	out(h, "{");
	h->indent = 1;
	tb_decls(h);
	tb_inputs(h);
	tb_unpack(h);
	tb_network(h);
	for (i = 0; i < h->p->nstage[FLOW_STAGE_OUTPUT]; i++)
		tb_output(h, h->p->stage_order[FLOW_STAGE_OUTPUT][i]);
	out(h, "goto done;");
	h->indent = 0;
	out(h, "done:");
	out(h, "\tflow_net_finish(n, r);");
	out(h, "\treturn 1;");
	out(h, "}");
	out(h, "");
	out(h, "static void");
	out(h, "tb_run(const flow_prog *p, const flow_opts *o, flow_arena *a, const char *ctx,");
	out(h, "    const flow_cinput *in, int nin, flow_result *r)");
	out(h, "{");
	out(h, "\tif (!tb_kernel(o, a, in, nin, r)) {");
	out(h, "\t\ttb_host++;");
	out(h, "\t\tflow_orch_run(p, o, a, ctx, in, nin, r);");
	out(h, "\t}");
	out(h, "}");
	out(h, "");
	out(h, "int");
	out(h, "main(int argc, char **argv)");
	out(h, "{");
	out(h, "\tint status = flow_main(argc, argv, tb_tables(), tb_run);");
	out(h, "");
	out(h, "\tif (tb_host > 0)");
	out(h, "\t\tfprintf(stderr, \"tb: %%ld context(s) run by the host orchestrator, not the kernel\\n\", tb_host);");
	out(h, "\treturn status;");
	out(h, "}");
}

/* ---- the Makefile (the lint is scripts/hls-lint.sh, copied) ------------- */

/* A path for a Makefile line, or NULL if it cannot be written safely:
 * inside single quotes (the HLS Makefile), or bare when spaces is 0 (the
 * RTL one, whose tools take it unquoted). */
static const char *
make_path(const char *s, int spaces)
{
	flow_buf b = {0, 0, 0};
	char *r;

	if (strpbrk(s, "'\n\r#\\") || (!spaces && strchr(s, ' ')))
		return NULL;
	for (; *s; s++)
		if (*s == '$')
			flow_buf_puts(&b, "$$");
		else
			flow_buf_putc(&b, *s);
	r = xstrndup(b.p ? b.p : "", b.len);
	flow_buf_free(&b);
	return r;
}

/* See flowc.h. */
void
hls_make_runtime(FILE *f, const Home *home, int spaces)
{
	const char *inc = make_path(home->include, spaces), *lib = make_path(home->lib, spaces);

	fprintf(f, "FLOWRT_INCLUDE = %s\n", inc ? inc : "");
	fprintf(f, "FLOWRT_LIB = %s\n", lib ? lib : "");
}

/* See flowc.h. */
void
hls_make_find_runtime(FILE *f)
{
	fputs("\t@inc='$(FLOWRT_INCLUDE)'; lib='$(FLOWRT_LIB)'; \\\n"
	    "\tif [ -n \"$${FLOWC_HOME:-}\" ]; then \\\n"
	    "\t\tinc=\"$$FLOWC_HOME/include\"; lib=\"$$FLOWC_HOME\"; \\\n"
	    "\t\t[ -f \"$$lib/libflowrt.a\" ] || lib=\"$$FLOWC_HOME/lib\"; \\\n"
	    "\tfi; \\\n", f);
}

static void
makefile(Hls *h, const Home *home)
{
	const char *v = xstrupper(h->vendor);

	out(h, "#");
	out(h, "#   make          build ./tb, the C simulation of the kernel (host C compiler)");
	out(h, "#   make lint     the open lint of the kernel (gcc; see flowc-hls(7))");
	out(h, "#   make clean");
	out(h, "#");
	out(h, "# The test bench links the flowc runtime: from FLOWC_HOME (a build tree or an");
	out(h, "# install prefix) when it is set, else from FLOWRT_INCLUDE and FLOWRT_LIB,");
	out(h, "# where flowc found it.  HLS_VENDOR picks the pragma spellings (flowhls.h).");
	out(h, "");
	out(h, "CC = cc");
	out(h, "# FLOWC_CFLAGS from the environment, as for flowc build (sanitizers...)");
	out(h, "CFLAGS = -O2 -Wall -Wextra -Wno-unknown-pragmas $(FLOWC_CFLAGS)");
	out(h, "HLS_VENDOR = -DFLOW_HLS_VENDOR_%s", v);
	hls_make_runtime(h->f, home, 1);
	out(h, "LDLIBS = -ljansson -lseccomp -lm -lpthread");
	out(h, "");
	out(h, "all: tb");
	out(h, "");
	out(h, "tb: %s_tb.c %s_tables.c %s.c %s.h flowhls.h flowops.h", h->base, h->base, h->fn, h->fn);
	hls_make_find_runtime(h->f);
	out(h, "\techo \"$(CC) -std=c99 $(CFLAGS) $(HLS_VENDOR) -I. -I$$inc -o tb %s_tb.c %s.c $$lib/libflowrt.a $(LDLIBS)\"; \\",
	    h->base, h->fn);
	out(h, "\t$(CC) -std=c99 $(CFLAGS) $(HLS_VENDOR) -I. -I\"$$inc\" -o tb %s_tb.c %s.c \"$$lib/libflowrt.a\" $(LDLIBS)",
	    h->base, h->fn);
	out(h, "");
	out(h, "lint:");
	out(h, "\tsh hls-lint.sh %s.c", h->fn);
	out(h, "");
	out(h, "clean:");
	out(h, "\trm -f tb");
	out(h, "");
	out(h, ".PHONY: all lint clean");
}

/* ---- files ------------------------------------------------------------ */

/* See flowc.h. */
FILE *
hls_create(const char *dir, const char *name, const char *comment, const char *source)
{
	const char *path = xprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	if (!f)
		fprintf(stderr, "flowc: %s: %s\n", path, strerror(errno));
	else if (comment)
		gen_banner(f, comment, source);
	return f;
}

/* See flowc.h. */
int
hls_finish(FILE *f, const char *dir, const char *name)
{
	if (ferror(f) | fclose(f)) {
		fprintf(stderr, "flowc: %s/%s: write error\n", dir, name);
		return -1;
	}
	return 0;
}

/* Write one file of DIR, a C file, with the emitter fn; 0 or -1. */
static int
write_file(Hls *h, const char *dir, const char *name, void (*fn)(Hls *))
{
	if (!(h->f = hls_create(dir, name, "/*", h->source)))
		return -1;
	h->indent = 0;
	fn(h);
	return hls_finish(h->f, dir, name);
}

/* Copy file name of directory from (the runtime's headers, share/flowc)
 * into DIR. */
static int
copy_file(const char *from, const char *dir, const char *name)
{
	const char *src = xprintf("%s/%s", from, name);
	size_t len;
	char *text = read_file(src, &len);
	FILE *f;

	if (!text) {
		fprintf(stderr, "flowc: %s: %s (is flowc's runtime installed? FLOWC_HOME overrides)\n",
		    src, strerror(errno));
		return -1;
	}
	if (!(f = hls_create(dir, name, NULL, NULL)))
		return -1;
	fwrite(text, 1, len, f);
	return hls_finish(f, dir, name);
}

static int
write_all(Hls *h, const char *dir, const Home *home)
{
	FILE *f;
	EmitOpts eo;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		fprintf(stderr, "flowc: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if (write_file(h, dir, xprintf("%s.h", h->fn), kernel_h) < 0 ||
	    (!h->host_only && write_file(h, dir, xprintf("%s.c", h->fn), kernel_c) < 0) ||
	    write_file(h, dir, xprintf("%s_tb.c", h->base), tb_c) < 0 ||
	    copy_file(home->include, dir, "flowhls.h") < 0 ||
	    copy_file(home->include, dir, "flowops.h") < 0 || copy_file(home->share, dir, "hls-lint.sh") < 0)
		return -1;
	if (!(f = hls_create(dir, xprintf("%s_tables.c", h->base), NULL, NULL)))
		return -1;
	memset(&eo, 0, sizeof eo);      /* sandboxed like a compiled flow */
	eo.opt = 0;
	eo.source = h->source;
	eo.entry = "tb_tables";
	emit_c(h->g, h->p, h->pl, &eo, f);
	if (hls_finish(f, dir, xprintf("%s_tables.c", h->base)) < 0)
		return -1;
	if (h->host_only)
		return 0;       /* the RTL target writes the rest */
	h->f = NULL;
	if (!(f = hls_create(dir, "Makefile", "#", h->source)))
		return -1;
	h->f = f;
	h->indent = 0;
	makefile(h, home);
	return hls_finish(f, dir, "Makefile");
}

/* Run the lint on the kernel just written: 0 clean, 1 rejected. */
static int
lint(Hls *h, const char *dir)
{
	char *argv[5];
	int rc;

	argv[0] = "sh";
	argv[1] = (char *)xprintf("%s/hls-lint.sh", dir);
	argv[2] = "-q";
	argv[3] = (char *)xprintf("%s/%s.c", dir, h->fn);
	argv[4] = NULL;
	rc = cc_run(argv);
	if (rc == 0)
		return 0;
	if (rc == 2) {
		diag_warning(h->d, (Pos){h->g->file, 0, 0}, "the HLS lint could not run (it needs gcc); "
		    "the kernel was not checked");
		return 0;
	}
	diag_error(h->d, (Pos){h->g->file, 0, 0}, "the generated kernel fails the HLS lint (a flowc bug; "
	    "the messages above say why)");
	return 1;
}

static const char *const vendors[] = { "vitis", "intel", "bambu", "none", NULL };

/* --hls-vendor: 0, or 2 after a message. */
static int
hls_options(const BuildOpts *o)
{
	const char *v = o->hls_vendor ? o->hls_vendor : "none";
	int i;

	for (i = 0; vendors[i] && strcmp(vendors[i], v) != 0; i++)
		;
	if (vendors[i])
		return 0;
	fprintf(stderr, "flowc: unknown --hls-vendor '%s' (vitis, intel, bambu or none)\n", v);
	return 2;
}

/* Can g become hardware (hls_eligible.c)? */
static int
hls_can_build(DiagSink *d, const Graph *g, const Plan *plan, const BuildOpts *o)
{
	return hls_eligible(d, g, plan, o->max_values, o->max_string, NULL);
}

/* Write DIR (o->output) for an eligible g: 0, 1 when the lint rejects
 * the kernel, 2 for I/O. */
static int
hls_emit(DiagSink *d, const Graph *g, const flow_prog *p, const Plan *plan, const BuildOpts *o)
{
	const char *base = hls_file_prefix(o->source), *fn = xprintf("%s_kernel", base);
	Hls h = {
		.d = d, .g = g, .p = p, .pl = plan,
		.vendor = o->hls_vendor ? o->hls_vendor : "none",
		.host_only = o->host_only,
		.source = o->source, .base = base, .fn = fn, .up = xstrupper(fn),
		.strcap = o->max_string > 0 ? o->max_string : HLS_STRING_BYTES,
		.maxval = o->max_values > 0 ? o->max_values : HLS_MAX_VALUES,
	};
	DiagSink quiet;
	Home home;

	diag_init(&quiet);      /* hls_can_build has said it all */
	if (!hls_eligible(&quiet, g, plan, h.maxval, h.strcap, &h.mask))
		flow_die("hls_emit: the flow is not eligible (a flowc bug)");
	h.many = hls_many(g, plan);
	layout(&h);
	warn_generic(&h);
	if (cc_home(&home) < 0)
		return 2;
	if (write_all(&h, o->output, &home) < 0)
		return 2;
	return o->host_only ? 0 : lint(&h, o->output);
}

/* The HLS target: a directory with the kernel, its test bench, a
 * Makefile and the lint (flowc-hls(7)). */
const Backend backend_hls = {
	.name = "hls",
	.static_plan = 1,
	.options = hls_options,
	.eligible = hls_can_build,
	.emit = hls_emit,
};
