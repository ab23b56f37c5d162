/*
 * emit_c.c: the C backend.  One C99 file per flow:
 *
 *   1. constants (seeds, defaults, configs) as JSON text, parsed once at
 *      start-up into a permanent arena;
 *   2. the flow's tables (flow_prog), printed from the same lowered
 *      program the interpreter runs, so the dynamic orchestrator in the
 *      runtime can run any context of any flow;
 *   3. at -O2, when pass_static found a static schedule, a fast path:
 *      straight-line code over one local per (origin, definition) slot,
 *      typed operation calls (flowops.h) where the kinds are known, the
 *      runtime's boxed operations elsewhere, and the output stage through
 *      a bare network so results are assembled exactly as the
 *      orchestrator does.  A context that breaks the plan's assumptions,
 *      or in which an operation fails, goes to the orchestrator;
 *   4. main(), which hands everything to flow_main.
 *
 * No manifest name becomes an identifier: identifiers are numbered, names
 * appear only in escaped string literals and sanitized comments, and a
 * comment on each block gives the manifest file:line:col it comes from.
 * Output is deterministic: no pointers, times or hash orders.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flowc.h"

typedef struct Em {
	FILE *f;
	const Graph *g;
	const flow_prog *p;
	const Plan *plan;
	const EmitOpts *o;
	int indent;
	int nk;                 /* constants */
	flow_buf kjson;         /* their initialisers */
} Em;

/* printf with indentation at the start of each line. */
static void
out(Em *e, const char *fmt, ...)
{
	va_list ap;
	int i;

	for (i = 0; i < e->indent; i++)
		fputc('\t', e->f);
	va_start(ap, fmt);
	vfprintf(e->f, fmt, ap);
	va_end(ap);
	fputc('\n', e->f);
}

/* A C string literal for any bytes: printable ASCII except \ " ? as is,
 * everything else as an octal escape (no trigraphs, no injection). */
static char *
cstr(const char *s, size_t len)
{
	flow_buf b = {0, 0, 0};
	char *r;
	size_t i;

	flow_buf_putc(&b, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"' && c != '?')
			flow_buf_putc(&b, (char)c);
		else
			flow_buf_printf(&b, "\\%03o", c);
	}
	flow_buf_putc(&b, '"');
	r = xstrndup(b.p, b.len);
	flow_buf_free(&b);
	return r;
}

static char *
cs(const char *s)
{
	return cstr(s, strlen(s));
}

/* Text safe inside a C comment: printable ASCII, no "*" "/" pairs. */
static char *
cmt(const char *s)
{
	size_t n = strlen(s), i, j = 0;
	char *r = xalloc(n + 1);

	for (i = 0; i < n && j < 60; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f || (c == '/' && j > 0 && r[j - 1] == '*') ||
		    (c == '*' && j > 0 && r[j - 1] == '/'))
			c = '?';
		r[j++] = (char)c;
	}
	r[j] = 0;
	return r;
}

/* Where a block comes from in the manifest, as a comment. */
static void
line(Em *e, Pos p)
{
	if (p.line > 0)
		out(e, "/* %s:%d:%d */", cmt(p.file), p.line, p.col);
}

/* Index of a new constant holding v. */
static int
konst(Em *e, flow_val v)
{
	flow_buf j = {0, 0, 0};

	flow_json_write(&j, v);
	flow_buf_printf(&e->kjson, "\t%s,\n", cstr(j.p, j.len));
	flow_buf_free(&j);
	return e->nk++;
}

/* ---- tables ----------------------------------------------------------- */

static void
int_array(Em *e, const char *name, const int *v, int n)
{
	int i;

	fprintf(e->f, "static const int %s[] = {", name);
	for (i = 0; i < n; i++)
		fprintf(e->f, "%s%d", i ? ", " : "", v[i]);
	fprintf(e->f, "%s};\n", n ? "" : "0");
}

static void
src_array(Em *e, const char *name, const flow_src *s, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		int_array(e, xprintf("%s_n%d", name, i), s[i].names, s[i].nnames);
		int_array(e, xprintf("%s_a%d", name, i), s[i].anc, s[i].nanc);
	}
	fprintf(e->f, "static const flow_src %s[] = {\n", name);
	for (i = 0; i < n; i++)
		fprintf(e->f, "\t{%d, %d, %s_n%d, %d, %s_a%d, %d},\n", s[i].origin, s[i].nnames,
		    name, i, s[i].nanc, name, i, s[i].join);
	fprintf(e->f, "%s};\n", n ? "" : "\t{0, 0, 0, 0, 0, 0}\n");
}

static void
op_table(Em *e, int i, const flow_op *op)
{
	int j;

	fprintf(e->f, "\n/* op %d: %s */\n", i, cmt(op->instance));
	for (j = 0; j < op->nparam; j++)
		src_array(e, xprintf("op%d_p%d", i, j), op->params[j].src, op->params[j].nsrc);
	fprintf(e->f, "static const flow_param op%d_params[] = {\n", i);
	for (j = 0; j < op->nparam; j++)
		fprintf(e->f, "\t{%d, %d, %d, op%d_p%d},\n", op->params[j].argpos,
		    op->params[j].def, op->params[j].nsrc, i, j);
	fprintf(e->f, "%s};\n", op->nparam ? "" : "\t{0, 0, 0, 0}\n");
	fprintf(e->f, "static const char *const op%d_outn[] = {", i);
	for (j = 0; j < op->nout; j++)
		fprintf(e->f, "%s%s", j ? ", " : "", cs(op->out_name[j]));
	fprintf(e->f, "%s};\n", op->nout ? "" : "0");
	int_array(e, xprintf("op%d_outd", i), op->out_def, op->nout);
	int_array(e, xprintf("op%d_outo", i), op->out_origin, op->nout);
	fprintf(e->f, "static const unsigned char op%d_outx[] = {", i);
	for (j = 0; j < op->nout; j++)
		fprintf(e->f, "%s%d", j ? ", " : "", op->out_expand[j]);
	fprintf(e->f, "%s};\n", op->nout ? "" : "0");
	src_array(e, xprintf("op%d_cond", i), op->cond, op->ncond);
}

static void
tables(Em *e)
{
	const flow_prog *p = e->p;
	int i, st;

	fprintf(e->f, "\n/* ---- tables: the flow as the orchestrator runs it ---- */\n");
	fprintf(e->f, "\nstatic flow_def defs[] = {\n");
	for (i = 0; i < p->ndefs; i++)
		fprintf(e->f, "\t{%s, %d, %d, {FLOW_NULL, {0}}, %d},\n", cs(p->defs[i].name),
		    (int)p->defs[i].type, p->defs[i].has_default, p->defs[i].validate);
	fprintf(e->f, "%s};\n", p->ndefs ? "" : "\t{0, 0, 0, {FLOW_NULL, {0}}, -1}\n");
	fprintf(e->f, "\nstatic const char *const origins[] = {\n");
	for (i = 0; i < p->norigins; i++)
		fprintf(e->f, "\t%s,\n", cs(p->origin_names[i]));
	fprintf(e->f, "};\n");
	for (i = 0; i < p->nops; i++)
		op_table(e, i, &p->ops[i]);
	fprintf(e->f, "\nstatic flow_op ops[] = {\n");
	for (i = 0; i < p->nops; i++) {
		const flow_op *op = &p->ops[i];
		fprintf(e->f, "\t{%s, %d, %d, %d, op%d_params, %d, %d, op%d_outn, op%d_outd, op%d_outo,\n"
		    "\t    op%d_outx, %d, op%d_cond, %d, %d, 0, 0},\n", cs(op->instance), op->impl,
		    op->stage, op->nparam, i, op->nargs, op->nout, i, i, i, i, op->ncond, i,
		    op->retry, op->validator);
	}
	fprintf(e->f, "};\n\nstatic flow_seed seeds[] = {\n");
	for (i = 0; i < p->nseeds; i++)
		fprintf(e->f, "\t{%d, %d, {FLOW_NULL, {0}}},\n", p->seeds[i].def, p->seeds[i].origin);
	fprintf(e->f, "%s};\n", p->nseeds ? "" : "\t{0, 0, {FLOW_NULL, {0}}}\n");
	for (st = 0; st < FLOW_NSTAGES; st++) {
		for (i = 0; i < p->norigins; i++)
			if (p->by_origin[st][i].n)
				int_array(e, xprintf("bo%d_%d", st, i), p->by_origin[st][i].ops,
				    p->by_origin[st][i].n);
		fprintf(e->f, "static const flow_consumers by_origin%d[] = {\n", st);
		for (i = 0; i < p->norigins; i++)
			if (p->by_origin[st][i].n)
				fprintf(e->f, "\t{%d, bo%d_%d},\n", p->by_origin[st][i].n, st, i);
			else
				fprintf(e->f, "\t{0, 0},\n");
		fprintf(e->f, "%s};\n", p->norigins ? "" : "\t{0, 0}\n");
		int_array(e, xprintf("stage%d", st), p->stage_order[st], p->nstage[st]);
	}
	fprintf(e->f, "\nstatic const flow_impl *impls[%d];\n", p->nimpls + 1);
	fprintf(e->f, "\nstatic flow_prog prog = {\n\t%s,\n", cs(p->name));
	fprintf(e->f, "\t%d, defs, %d, origins, %d, %d,\n", p->ndefs, p->norigins,
	    p->nstr_origins, p->seed_origin);
	fprintf(e->f, "\t%d, ops, %d, seeds,\n", p->nops, p->nseeds);
	fprintf(e->f, "\t{by_origin0, by_origin1, by_origin2},\n\t{stage0, stage1, stage2},\n");
	fprintf(e->f, "\t{%d, %d, %d},\n\t%d, impls\n};\n", p->nstage[0], p->nstage[1],
	    p->nstage[2], p->nimpls);
}

/* Statements that fill in what C99 initialisers cannot: constants and
 * implementation pointers. */
static void
init_tables(Em *e)
{
	const flow_prog *p = e->p;
	int i;

	for (i = 0; i < p->ndefs; i++)
		if (p->defs[i].has_default)
			out(e, "defs[%d].dflt = K[%d];", i, konst(e, p->defs[i].dflt));
	for (i = 0; i < p->nseeds; i++)
		out(e, "seeds[%d].value = K[%d];", i, konst(e, p->seeds[i].value));
	for (i = 0; i < p->nops; i++) {
		if (p->ops[i].config)
			out(e, "ops[%d].config = &K[%d];", i, konst(e, *p->ops[i].config));
		out(e, "impls[%d] = flow_stdlib_find(%s);", i, cs(p->impls[i]->name));
		out(e, "if (!impls[%d])", i);
		out(e, "\tflow_die(\"operation %%s is missing from this runtime\", %s);",
		    cs(p->impls[i]->name));
	}
}

/* ---- the fast path (pass_static's plan) ------------------------------- */

static const char *
S(int slot)
{
	return xprintf("s%d", slot);
}

static const char *
P(int slot)
{
	return xprintf("p%d", slot);
}

/* Is origin o present (some input has it)?  A C expression. */
static const char *
exists(Em *e, int origin)
{
	const Graph *g = e->g;
	int i;

	if (g->origins[origin].op >= 0) {
		for (i = 0; i < e->plan->nslots; i++)
			if (e->plan->slots[i].origin == origin)
				return P(i);
		return "0";
	}
	for (i = 0; i < g->nseeds; i++)
		if (g->seeds[i].origin == origin)
			return "1";
	return origin == g->seed_origin ? "nin > 0" : "0";
}

/* The condition walk of §2.7 as C, setting `c`. */
static void
conditions(Em *e, const IrOp *op, int opi)
{
	int i;

	if (op->ncond == 0) {
		out(e, "c = 1;");
		return;
	}
	out(e, "c = 0;");
	out(e, "do {");
	e->indent++;
	for (i = 0; i < op->ncond; i++) {
		int sl = e->plan->cond_slot[opi][i];
		if (!op->cond[i].join)
			out(e, "f = 0;");
		out(e, "if (!(%s))", exists(e, op->cond[i].origin));
		out(e, "\tbreak;");
		out(e, "if (%s)", P(sl));
		out(e, "\tf = flow_truthy(%s);", S(sl));
		if (i + 1 == op->ncond || !op->cond[i + 1].join) {
			out(e, "if (f) {");
			out(e, "\tc = 1;");
			out(e, "\tbreak;");
			out(e, "}");
		}
	}
	e->indent--;
	out(e, "} while (0);");
}

/* Some origin the op consumes has arrived (the op was reconsidered). */
static const char *
triggered(Em *e, const IrOp *op)
{
	flow_buf b = {0, 0, 0};
	char *r;
	int j;

	for (j = 0; j < op->nparam; j++)
		flow_buf_printf(&b, "%s(%s)", b.len ? " || " : "", exists(e, op->params[j].src[0].origin));
	for (j = 0; j < op->ncond; j++)
		flow_buf_printf(&b, "%s(%s)", b.len ? " || " : "", exists(e, op->cond[j].origin));
	r = xstrdup(b.len ? b.p : "1");
	flow_buf_free(&b);
	return r;
}

/* A typed call for a scalar catalogue op whose argument kinds are known:
 * returns the C call (with `t` as the result) and the result kind. */
static const char *
typed_call(Em *e, const IrOp *op, int opi, int *rkind)
{
	const char *name = op->impl->name, *a[4], *fn = NULL;
	char k[4] = {0, 0, 0, 0};
	int j, n = op->nparam;

	if (op->user || n > 3)
		return NULL;
	for (j = 0; j < n; j++) {
		int sl = e->plan->param_slot[opi][j], kind = e->plan->slots[sl].kind;
		int pos = op->params[j].argpos;
		if (e->g->defs[op->params[j].def].has_default)
			return NULL;
		k[pos] = kind == FLOW_INT ? 'i' : kind == FLOW_FLOAT ? 'f' : kind == FLOW_BOOL ? 'b' : 0;
		if (!k[pos])
			return NULL;
		a[pos] = xprintf("%s.u.%c", S(sl), k[pos] == 'b' ? 'b' : k[pos]);
	}
	if (strcmp(name, "add") == 0 || strcmp(name, "subtract") == 0 ||
	    strcmp(name, "int_divide") == 0 || strcmp(name, "modulo") == 0) {
		if (strcmp(k, "ii") == 0)
			fn = name, *rkind = FLOW_INT;
	} else if (strcmp(name, "negate") == 0) {
		if (strcmp(k, "i") == 0)
			fn = name, *rkind = FLOW_INT;
	} else if (strcmp(name, "float_divide") == 0) {
		if (k[0] != 'b' && k[1] != 'b')
			return *rkind = FLOW_FLOAT, (const char *)xprintf(
			    "flow_op_float_divide((double)%s, (double)%s, &t.u.f)", a[0], a[1]);
	} else if (strcmp(name, "to_float") == 0) {
		if (k[0] == 'i' || k[0] == 'f')
			return *rkind = FLOW_FLOAT, (const char *)xprintf("flow_op_to_float%s(%s, &t.u.f)",
			    k[0] == 'i' ? "_i" : "", a[0]);
	} else if (strcmp(name, "less_than") == 0 || strcmp(name, "greater_than") == 0 ||
	    strcmp(name, "equals") == 0) {
		if (strchr(k, 'b') == NULL || (strcmp(name, "equals") == 0 && strcmp(k, "bb") == 0))
			return *rkind = FLOW_BOOL, (const char *)xprintf("flow_op_%s_%s(%s, %s, &t.u.b)",
			    name, k, a[0], a[1]);
	} else if (strcmp(name, "logical_not") == 0 || strcmp(name, "logical_and") == 0) {
		if (strspn(k, "b") == (size_t)n)
			return *rkind = FLOW_BOOL, (const char *)(n == 1 ?
			    xprintf("flow_op_%s(%s, &t.u.b)", name, a[0]) :
			    xprintf("flow_op_%s(%s, %s, &t.u.b)", name, a[0], a[1]));
	} else if (strcmp(name, "multiply") == 0) {
		if (strchr(k, 'b') == NULL)
			return *rkind = strcmp(k, "ii") == 0 ? FLOW_INT : FLOW_FLOAT,
			    (const char *)xprintf("flow_op_multiply_%s(%s, %s, &t.u.%c)", k, a[0], a[1],
			    strcmp(k, "ii") == 0 ? 'i' : 'f');
	}
	if (!fn)
		return NULL;
	return n == 1 ? xprintf("flow_op_%s(%s, &t.u.i)", fn, a[0]) :
	    xprintf("flow_op_%s(%s, %s, &t.u.i)", fn, a[0], a[1]);
}

static const char *
kind_const(int k)
{
	static const char *const names[] = { "FLOW_NULL", "FLOW_BOOL", "FLOW_INT",
	    "FLOW_FLOAT", "FLOW_STR", "FLOW_ARRAY", "FLOW_MAP" };
	return names[k];
}

/* The arguments of op in av[], in the implementation's order.  Returns
 * the condition under which all are present (defaults filled in). */
static const char *
arguments(Em *e, const IrOp *op, int opi)
{
	flow_buf b = {0, 0, 0};
	char *r;
	int j;

	out(e, "for (k = 0; k < %d; k++)", op->impl->nparam);
	out(e, "\tav[k] = flow_null();");
	for (j = 0; j < op->nparam; j++) {
		int sl = e->plan->param_slot[opi][j];
		const IrDef *d = &e->g->defs[op->params[j].def];
		if (d->has_default) {
			out(e, "av[%d] = %s ? %s : prog.defs[%d].dflt;", op->params[j].argpos,
			    P(sl), S(sl), op->params[j].def);
			if (j == 0)
				out(e, "if (!%s && !(%s))\n\t\treturn 0; /* DFFML's UnboundLocalError */",
				    P(sl), exists(e, op->params[0].src[0].origin));
		} else {
			out(e, "av[%d] = %s;", op->params[j].argpos, S(sl));
			flow_buf_printf(&b, "%s%s", b.len ? " && " : "", P(sl));
		}
	}
	r = xstrdup(b.len ? b.p : "1");
	flow_buf_free(&b);
	return r;
}

/* The slot an output goes to, or -1 if nothing reads it. */
static int
out_slot(Em *e, const IrOp *op)
{
	int i;

	for (i = 0; i < e->plan->nslots; i++)
		if (e->plan->slots[i].origin == op->out[0].origin)
			return i;
	return -1;
}

/* One processing or cleanup op: run it if it would run. */
static void
fast_op(Em *e, int opi, int keep)
{
	const IrOp *op = &e->g->ops[opi];
	const char *call, *present;
	int rk = -1, sl = keep ? out_slot(e, op) : -1;

	fprintf(e->f, "\t/* %s: %s (%s) */\n", cmt(op->inst), cmt(op->opname), stage_name(op->stage));
	line(e, op->pos);
	conditions(e, op, opi);
	call = typed_call(e, op, opi, &rk);
	present = call ? NULL : arguments(e, op, opi);
	if (call) {
		flow_buf b = {0, 0, 0};
		int j;
		for (j = 0; j < op->nparam; j++)
			flow_buf_printf(&b, "%s%s", j ? " && " : "", P(e->plan->param_slot[opi][j]));
		present = xstrdup(b.len ? b.p : "1");
		flow_buf_free(&b);
	}
	out(e, "if (c && %s && (%s)) {", present, triggered(e, op));
	e->indent++;
	if (call) {
		out(e, "t.kind = %s;", kind_const(rk));
		out(e, "if (%s != FLOW_E_OK)", call);
		out(e, "\treturn 0;");
	} else {
		out(e, "if ((rc = flow_net_call(n, %d, av, &t)) < 0)", opi);
		out(e, "\treturn 0;");
	}
	if (sl >= 0) {
		if (!call)
			out(e, "if (rc == 0) {");
		else
			out(e, "{");
		out(e, "\t%s = t;", S(sl));
		out(e, "\t%s = 1;", P(sl));
		out(e, "}");
	}
	e->indent--;
	out(e, "}");
}

/* Values the output stage reads, by definition, in insertion order:
 * the context's, then the seeds', then the producing operation's. */
static void
fast_network(Em *e)
{
	const Graph *g = e->g;
	const Plan *pl = e->plan;
	int d, i;

	for (d = 0; d < g->ndefs; d++) {
		if (!pl->viewed[d])
			continue;
		if (pl->def_ctx[d])
			out(e, "if (cx%d) flow_net_add(n, %d, %d, cv%d);", d, d, g->seed_origin, d);
		for (i = 0; i < g->nseeds; i++)
			if (g->seeds[i].def == d)
				out(e, "flow_net_add(n, %d, %d, prog.seeds[%d].value);", d,
				    e->p->seeds[i].origin, i);
		for (i = 0; i < pl->nslots; i++)
			if (pl->slots[i].def == d && pl->slots[i].producer >= 0)
				out(e, "if (%s) flow_net_add(n, %d, 0, %s);", P(i), d, S(i));
	}
}

/* An output-stage op: once per spec seed (get_*) or once. */
static void
fast_output(Em *e, int opi)
{
	const IrOp *op = &e->g->ops[opi];
	int k;

	fprintf(e->f, "\t/* %s: %s (output) */\n", cmt(op->inst), cmt(op->opname));
	line(e, op->pos);
	conditions(e, op, opi);
	if (op->impl->kind == FLOW_IMPL_NETWORK) {
		const IrSrc *src = &op->params[0].src[0];
		for (k = 0; k < e->g->nseeds; k++) {
			if (e->g->seeds[k].def != src->names[0] || e->g->seeds[k].origin != src->origin)
				continue;
			out(e, "if (c) {");
			out(e, "\tav[0] = prog.seeds[%d].value;", k);
			out(e, "\tif ((rc = flow_net_call(n, %d, av, &t)) < 0)", opi);
			out(e, "\t\tgoto done;");
			out(e, "\tflow_net_assemble(n, %d, rc == 0 ? &t : NULL);", opi);
			out(e, "}");
		}
		return;
	}
	{
		const char *present = arguments(e, op, opi);
		out(e, "if (c && %s) {", present);
		out(e, "\tif ((rc = flow_net_call(n, %d, av, &t)) < 0)", opi);
		out(e, "\t\tgoto done;");
		out(e, "\tflow_net_assemble(n, %d, rc == 0 ? &t : NULL);", opi);
		out(e, "}");
	}
}

/* Context inputs into their slots; anything unplanned falls back. */
static void
fast_inputs(Em *e)
{
	const Graph *g = e->g;
	const Plan *pl = e->plan;
	int d, i;

	out(e, "for (k = 0; k < nin; k++) {");
	e->indent++;
	out(e, "if (in[k].origin != %d)", g->seed_origin);
	out(e, "\treturn 0;");
	out(e, "switch (in[k].def) {");
	for (d = 0; d < g->ndefs; d++) {
		int slot = -1;
		if (!pl->viewed[d])
			continue;
		for (i = 0; i < pl->nslots; i++)
			if (pl->slots[i].def == d && pl->slots[i].origin == g->seed_origin)
				slot = i;
		out(e, "case %d: /* %s */", d, cmt(g->defs[d].name));
		if (!pl->def_ctx[d]) {
			out(e, "\treturn 0;");
			continue;
		}
		out(e, "\tif (cx%d)", d);
		out(e, "\t\treturn 0;");
		out(e, "\tcx%d = 1;", d);
		out(e, "\tcv%d = in[k].value;", d);
		if (slot >= 0) {
			out(e, "\t%s = in[k].value;", S(slot));
			out(e, "\t%s = 1;", P(slot));
		}
		out(e, "\tbreak;");
	}
	out(e, "default:");
	out(e, "\tbreak;");
	out(e, "}");
	e->indent--;
	out(e, "}");
}

static void
fast_decls(Em *e)
{
	const Graph *g = e->g;
	const Plan *pl = e->plan;
	int i, d;

	for (i = 0; i < pl->nslots; i++) {
		const PlanSlot *s = &pl->slots[i];
		out(e, "flow_val %s = {FLOW_NULL, {0}}; /* %s from %s */", S(i),
		    cmt(g->defs[s->def].name), cmt(g->origins[s->origin].name));
		out(e, "int %s = 0;", P(i));
	}
	for (d = 0; d < g->ndefs; d++)
		if (pl->viewed[d] && pl->def_ctx[d]) {
			out(e, "int cx%d = 0;", d);
			out(e, "flow_val cv%d = {FLOW_NULL, {0}};", d);
		}
}

static void
fast_seeds(Em *e)
{
	const Plan *pl = e->plan;
	int i;

	for (i = 0; i < pl->nslots; i++)
		if (pl->slots[i].nseeds == 1) {
			out(e, "%s = prog.seeds[%d].value;", S(i), pl->slots[i].seeds[0]);
			out(e, "%s = 1;", P(i));
		}
}

static void
fast_path(Em *e)
{
	const Graph *g = e->g;
	const Plan *pl = e->plan;
	int i, nargs = 1;

	for (i = 0; i < g->nops; i++)
		if (g->ops[i].impl && g->ops[i].impl->nparam > nargs)
			nargs = g->ops[i].impl->nparam;
	fprintf(e->f, "\n/* ---- fast path: every operation runs at most once ---- */\n\n");
	fprintf(e->f, "/* Returns 0 when the context must go to the orchestrator. */\n");
	fprintf(e->f, "static int\nfast(const flow_opts *o, flow_arena *a, const flow_cinput *in, int nin,\n"
	    "    flow_result *r)\n{\n");
	e->indent = 1;
	out(e, "flow_net *n;");
	out(e, "flow_val av[%d], t;", nargs);
	out(e, "int k, c, f, rc = 0;");
	fast_decls(e);
	out(e, "");
	out(e, "(void)f;");
	out(e, "(void)rc;");
	out(e, "(void)av;");
	fast_inputs(e);
	fast_seeds(e);
	out(e, "n = flow_net_new(&prog, o, a);");
	for (i = 0; i < pl->norder; i++)
		if (g->ops[pl->order[i]].has_flow)
			fast_op(e, pl->order[i], 1);
	for (i = 0; i < e->p->nstage[FLOW_STAGE_CLEANUP]; i++)
		fast_op(e, e->p->stage_order[FLOW_STAGE_CLEANUP][i], 0);
	fast_network(e);
	for (i = 0; i < e->p->nstage[FLOW_STAGE_OUTPUT]; i++)
		fast_output(e, e->p->stage_order[FLOW_STAGE_OUTPUT][i]);
	out(e, "goto done;");
	e->indent = 0;
	out(e, "done:");
	e->indent = 1;
	out(e, "flow_net_finish(n, r);");
	out(e, "return 1;");
	e->indent = 0;
	out(e, "}");
	fprintf(e->f, "\nstatic void\nrun(const flow_prog *p, const flow_opts *o, flow_arena *a,\n"
	    "    const char *ctx, const flow_cinput *in, int nin, flow_result *r)\n{\n"
	    "\tif (!fast(o, a, in, nin, r))\n\t\tflow_orch_run(p, o, a, ctx, in, nin, r);\n}\n");
}

/* Write the program (see flowc.h). */
void
emit_c(const Graph *g, const flow_prog *p, const Plan *plan, const EmitOpts *o, FILE *f)
{
	Em e;
	int fast = o->opt >= 2 && plan && plan->ok;
	char *body = NULL;
	size_t bodylen = 0;

	memset(&e, 0, sizeof e);
	e.f = f;
	e.g = g;
	e.p = p;
	e.plan = plan;
	e.o = o;
	fprintf(f, "/* Generated by flowc %s from %s: do not edit. */\n", FLOW_VERSION, cmt(o->source));
	fprintf(f, "/* Schedule: %s. */\n", fast ? "static (straight-line), dynamic fallback" :
	    plan && !plan->ok && o->opt >= 2 ? xprintf("dynamic orchestrator (%s)", cmt(plan->why)) :
	    "dynamic orchestrator");
	fprintf(f, "#include <string.h>\n#include \"flowrt.h\"\n#include \"flowops.h\"\n");
	/* The start-up code is written first: it decides the constants. */
	e.f = open_memstream(&body, &bodylen);
	if (!e.f)
		flow_die("out of memory");
	e.indent = 1;
	init_tables(&e);
	fclose(e.f);
	e.f = f;
	e.indent = 0;
	fprintf(f, "\n/* ---- constants (seeds, defaults, configs) as JSON ---- */\n\n");
	fprintf(f, "static flow_val K[%d];\nstatic const char *const Kjson[] = {\n%s\t0\n};\n",
	    e.nk + 1, e.kjson.len ? e.kjson.p : "");
	tables(&e);
	if (fast)
		fast_path(&e);
	fprintf(f, "\n/* ---- start-up ---- */\n\nint\nmain(int argc, char **argv)\n{\n");
	fprintf(f, "\tstatic flow_arena perm;\n\tflow_jerr err;\n\tint i;\n\n");
	fprintf(f, "\tflow_arena_init(&perm);\n");
	fprintf(f, "\tfor (i = 0; i < %d; i++)\n", e.nk);
	fprintf(f, "\t\tif (flow_json_parse(&perm, Kjson[i], strlen(Kjson[i]), &K[i], &err) < 0)\n");
	fprintf(f, "\t\t\tflow_die(\"constant %%d: %%s\", i, err.text);\n");
	fwrite(body, 1, bodylen, f);
	free(body);
	fprintf(f, "\treturn flow_main(argc, argv, &prog, %s);\n}\n", fast ? "run" : "flow_orch_run");
	flow_buf_free(&e.kjson);
}
