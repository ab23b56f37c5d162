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
 *      runtime's boxed operations elsewhere, one run without loops where
 *      each slot holds one value, map operations written out where the
 *      keys are known (flow_impl.form), and the output stage through a
 *      bare network so results are assembled exactly as the
 *      orchestrator does.  A context that breaks the plan's assumptions,
 *      or in which an operation fails, goes to the orchestrator;
 *   4. main(), which asks for the sandbox (unless --sandbox=off) and
 *      hands everything to flow_main.
 *
 * No manifest name becomes an identifier: identifiers are numbered, names
 * appear only in escaped string literals and sanitized comments, and a
 * comment on each block gives the manifest file:line:col it comes from.
 * Output is deterministic: no pointers, times or hash orders.
 */
#include <errno.h>
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
	int nsub;               /* subflows numbered so far */
	int *slot_k;            /* pass_fold's constants: slot -> K index */
	int direct;             /* fast() writes the results (direct_output) */
	int *dseed;             /* then: each output op's spec seed */
	int nparts;             /* split functions numbered so far */
	int *cvi;               /* definition -> its index in x->cv, or -1 */
	int ncv;
	FILE *fns;              /* where split functions go (fast path) */
	int tpl;                /* writing an op template (op_template) */
	int *tp;                /* then: its parameters' values, */
	char *tpk;              /* their kinds ('s' slot, 'o' op, 'd' definition) */
	int ntp, captp;
	const SchedStep **call; /* op -> its SC_CALL step in the schedule, or NULL */
	int one;                /* writing one run: candidates at v[0] */
	unsigned char *many;    /* slot -> fed through an expand: one run
	                         * is not tried there */
	int *fuse;              /* op -> the map update that builds its map
	                         * in one go (map_trees), or -1 */
	struct MapTree *tree;   /* op -> its tree, when op is a tree's root */
	const UserImpl **user;  /* the user operations ops_emit defines */
	int nuser;
} Em;

/* printf with indentation at the start of each line. */
static void
out(Em *e, const char *fmt, ...)
{
	va_list ap;
	int i;

	for (i = 0; *fmt && i < e->indent; i++)     /* no blanks on a blank line */
		fputc('\t', e->f);
	va_start(ap, fmt);
	vfprintf(e->f, fmt, ap);
	va_end(ap);
	fputc('\n', e->f);
}


/* ---- big flows: no C function grows with the flow ----------------------
 *
 * A C compiler's time on one function grows faster than linearly with its
 * size (GCC's PRE and alias walks), so a sequence of more than PART units
 * (a unit: one slot's set-up, one operation's call, one output name, one
 * operation's start-up lookups) is split into functions of PART units
 * each, and the caller calls them in order.  Smaller flows are printed as
 * before, in one function.  Every unit is a statement at the caller's top
 * level, so it means the same in either place. */
enum { PART = 32 };

/* More processing operations than this, and those whose code differs
 * only in their numbers share one function (op_template): the C
 * compiler's time then grows with the number of distinct shapes, not of
 * operations, but each operation costs more per context (its slots are
 * found through a table, and it is a call of its own: about 1.7 times
 * the instructions of the code written out), so flows up to this size
 * keep the faster code. */
enum { TEMPLATES = 128 };

typedef struct Split {
	FILE *home;             /* the caller's body */
	FILE *fns;              /* where the split functions go */
	const char *what;       /* for their comment */
	const char *ret;        /* "void", or "int" (0 stops the caller) */
	const char *sig;        /* their parameters */
	const char *locals;     /* their first statements */
	const char *call;       /* the call, %d the function's number */
	int on;                 /* more than PART units: split */
	int n;                  /* units so far */
	int fn;                 /* the open function's number, or -1 */
} Split;

static void
split_init(Em *e, Split *s, int units, FILE *fns, const char *what, const char *ret,
    const char *sig, const char *locals, const char *call)
{
	memset(s, 0, sizeof *s);
	s->home = e->f;
	s->fns = fns;
	s->what = what;
	s->ret = ret;
	s->sig = sig;
	s->locals = locals;
	s->call = call;
	s->on = units > PART;
	s->fn = -1;
}

static void
split_close(Em *e, Split *s)
{
	if (s->fn < 0)
		return;
	if (strcmp(s->ret, "int") == 0)
		out(e, "return 1;");
	e->indent = 0;
	out(e, "}");
	e->f = s->home;
	e->indent = 1;
	s->fn = -1;
}

/* Before each unit: start the next function when the open one is full. */
static void
split_unit(Em *e, Split *s)
{
	if (!s->on || s->n++ % PART != 0)
		return;
	split_close(e, s);
	s->fn = e->nparts++;
	e->indent = 1;
	out(e, s->call, s->fn);
	e->f = s->fns;
	e->indent = 0;
	out(e, "\n/* %s, part %d */\nstatic %s\npart%d(%s)\n{", s->what, s->n / PART, s->ret,
	    s->fn, s->sig);
	e->indent = 1;
	if (*s->locals)
		out(e, "%s", s->locals);
}

/* After the last unit. */
static void
split_end(Em *e, Split *s)
{
	split_close(e, s);
}


static char *
cs(const char *s)
{
	return c_literal(s, strlen(s));
}



/* Index of a new constant holding v. */
static int
konst(Em *e, flow_val v)
{
	flow_buf j = {0, 0, 0};

	flow_json_write(&j, v);
	flow_buf_printf(&e->kjson, "\t%s,\n", c_literal(j.p, j.len));
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
op_table(Em *e, const char *P, int i, const flow_op *op)
{
	int j;

	fprintf(e->f, "\n/* %sop %d: %s */\n", P, i, c_comment(op->instance));
	for (j = 0; j < op->nparam; j++)
		src_array(e, xprintf("%sop%d_p%d", P, i, j), op->params[j].src, op->params[j].nsrc);
	fprintf(e->f, "static const flow_param %sop%d_params[] = {\n", P, i);
	for (j = 0; j < op->nparam; j++)
		fprintf(e->f, "\t{%d, %d, %d, %sop%d_p%d},\n", op->params[j].argpos,
		    op->params[j].def, op->params[j].nsrc, P, i, j);
	fprintf(e->f, "%s};\n", op->nparam ? "" : "\t{0, 0, 0, 0}\n");
	fprintf(e->f, "static const char *const %sop%d_outn[] = {", P, i);
	for (j = 0; j < op->nout; j++)
		fprintf(e->f, "%s%s", j ? ", " : "", cs(op->out_name[j]));
	fprintf(e->f, "%s};\n", op->nout ? "" : "0");
	int_array(e, xprintf("%sop%d_outd", P, i), op->out_def, op->nout);
	int_array(e, xprintf("%sop%d_outo", P, i), op->out_origin, op->nout);
	fprintf(e->f, "static const unsigned char %sop%d_outx[] = {", P, i);
	for (j = 0; j < op->nout; j++)
		fprintf(e->f, "%s%d", j ? ", " : "", op->out_expand[j]);
	fprintf(e->f, "%s};\n", op->nout ? "" : "0");
	src_array(e, xprintf("%sop%d_cond", P, i), op->cond, op->ncond);
}

static const char *
type_const(flow_type t)
{
	static const char *const names[] = { "FLOW_T_ANY", "FLOW_T_NULL", "FLOW_T_BOOL",
	    "FLOW_T_INT", "FLOW_T_FLOAT", "FLOW_T_STR", "FLOW_T_ARRAY", "FLOW_T_MAP" };
	return names[t];
}

static int
in_catalogue(const flow_impl *im)
{
	return im >= flow_stdlib && im < flow_stdlib + flow_stdlib_count;
}

/* A flow's tables under prefix P ("" for the flow itself); subflows
 * first, each under its own prefix. */
static void
tables(Em *e, const flow_prog *p, const char *P)
{
	const char **sub = xalloc(sizeof(char *) * (size_t)(p->nops + 1));
	int i, st;

	for (i = 0; i < p->nops; i++)
		if (p->ops[i].subflow) {
			sub[i] = xprintf("sf%d_", ++e->nsub);
			tables(e, p->ops[i].subflow, sub[i]);
		}
	fprintf(e->f, "\n/* ---- %s: the %s as the orchestrator runs it ---- */\n",
	    *P ? P : "tables", *P ? "subflow" : "flow");
	fprintf(e->f, "\nstatic flow_def %sdefs[] = {\n", P);
	for (i = 0; i < p->ndefs; i++)
		fprintf(e->f, "\t{%s, %s, %d, {FLOW_NULL, {0}}, %d},\n", cs(p->defs[i].name),
		    type_const(p->defs[i].type), p->defs[i].has_default, p->defs[i].validate);
	fprintf(e->f, "%s};\n", p->ndefs ? "" : "\t{0, 0, 0, {FLOW_NULL, {0}}, -1}\n");
	fprintf(e->f, "\nstatic const char *const %sorigins[] = {\n", P);
	for (i = 0; i < p->norigins; i++)
		fprintf(e->f, "\t%s,\n", cs(p->origin_names[i]));
	fprintf(e->f, "};\n");
	for (i = 0; i < p->nops; i++) {
		op_table(e, P, i, &p->ops[i]);
		if (!in_catalogue(p->impls[i]) && !p->ops[i].subflow)
			continue;
		if (!in_catalogue(p->impls[i]))
			fprintf(e->f, "static const flow_impl %simpl%d = {%s, 0, FLOW_IMPL_SUBFLOW, %d, 0, 0, "
			    "0, 0, 0, FLOW_T_ANY, 0, 0, 0, 0, 0, 0, FLOW_FAILS_DOMAIN | FLOW_FAILS_TYPE, "
			    "FLOW_ROLE_ORDINARY, 0, 0, 0, FLOW_FORM_NONE};\n", P, i, cs(p->impls[i]->name),
			    p->impls[i]->nparam);
	}
	fprintf(e->f, "\nstatic flow_op %sops[] = {\n", P);
	for (i = 0; i < p->nops; i++) {
		const flow_op *op = &p->ops[i];
		fprintf(e->f, "\t{%s, %d, %d, %d, %sop%d_params, %d, %d, %sop%d_outn, %sop%d_outd,\n"
		    "\t    %sop%d_outo, %sop%d_outx, %d, %sop%d_cond, %d, %d, 0, %s},\n",
		    cs(op->instance), op->impl, op->stage, op->nparam, P, i, op->nargs, op->nout,
		    P, i, P, i, P, i, P, i, op->ncond, P, i, op->retry, op->validator,
		    op->subflow ? xprintf("&%sprog", sub[i]) : "0");
	}
	fprintf(e->f, "};\n\nstatic flow_seed %sseeds[] = {\n", P);
	for (i = 0; i < p->nseeds; i++)
		fprintf(e->f, "\t{%d, %d, {FLOW_NULL, {0}}},\n", p->seeds[i].def, p->seeds[i].origin);
	fprintf(e->f, "%s};\n", p->nseeds ? "" : "\t{0, 0, {FLOW_NULL, {0}}}\n");
	for (st = 0; st < FLOW_NSTAGES; st++) {
		for (i = 0; i < p->norigins; i++)
			if (p->by_origin[st][i].n)
				int_array(e, xprintf("%sbo%d_%d", P, st, i), p->by_origin[st][i].ops,
				    p->by_origin[st][i].n);
		fprintf(e->f, "static const flow_consumers %sby_origin%d[] = {\n", P, st);
		for (i = 0; i < p->norigins; i++)
			if (p->by_origin[st][i].n)
				fprintf(e->f, "\t{%d, %sbo%d_%d},\n", p->by_origin[st][i].n, P, st, i);
			else
				fprintf(e->f, "\t{0, 0},\n");
		fprintf(e->f, "%s};\n", p->norigins ? "" : "\t{0, 0}\n");
		int_array(e, xprintf("%sstage%d", P, st), p->stage_order[st], p->nstage[st]);
	}
	fprintf(e->f, "\nstatic const flow_impl *%simpls[%d];\n", P, p->nimpls + 1);
	fprintf(e->f, "\nstatic flow_prog %sprog = {\n\t%s,\n", P, cs(p->name));
	fprintf(e->f, "\t%d, %sdefs, %d, %sorigins, %d, %d,\n", p->ndefs, P, p->norigins, P,
	    p->nstr_origins, p->seed_origin);
	fprintf(e->f, "\t%d, %sops, %d, %sseeds,\n", p->nops, P, p->nseeds, P);
	fprintf(e->f, "\t{%sby_origin0, %sby_origin1, %sby_origin2},\n\t{%sstage0, %sstage1, %sstage2},\n",
	    P, P, P, P, P, P);
	fprintf(e->f, "\t{%d, %d, %d},\n\t%d, %simpls\n};\n", p->nstage[0], p->nstage[1],
	    p->nstage[2], p->nimpls, P);
}

/* The C expression ops_emit defines for implementation im
 * ("&userop_impl_0"), or NULL if im is not a user operation. */
static const char *
user_ref(const Em *e, const flow_impl *im)
{
	int k;

	for (k = 0; k < e->nuser; k++)
		if (&e->user[k]->im == im)
			return xprintf("&userop_impl_%d", k);
	return NULL;
}

/* init_tables for a big flow: tables of constant numbers and operation
 * names, and a loop over each, rather than a statement per entry. */
static void
init_table_loops(Em *e, const flow_prog *p, const char *P)
{
	int i, n;

	for (i = n = 0; i < p->ndefs; i++)
		n += p->defs[i].has_default;
	if (n) {
		fprintf(e->fns, "\n/* start-up of %s: {definition, constant} per default */\n"
		    "static const int %sdflt_k[][2] = {\n", *P ? P : "the flow", P);
		for (i = 0; i < p->ndefs; i++)
			if (p->defs[i].has_default)
				fprintf(e->fns, "\t{%d, %d},\n", i, konst(e, p->defs[i].dflt));
		fprintf(e->fns, "};\n");
		out(e, "for (i = 0; i < %d; i++)", n);
		out(e, "\t%sdefs[%sdflt_k[i][0]].dflt = K[%sdflt_k[i][1]];", P, P, P);
	}
	if (p->nseeds) {
		fprintf(e->fns, "\n/* the constant of each seed */\nstatic const int %sseed_k[] = {\n", P);
		for (i = 0; i < p->nseeds; i++)
			fprintf(e->fns, "\t%d,\n", konst(e, p->seeds[i].value));
		fprintf(e->fns, "};\n");
		out(e, "for (i = 0; i < %d; i++)", p->nseeds);
		out(e, "\t%sseeds[i].value = K[%sseed_k[i]];", P, P);
	}
	for (i = n = 0; i < p->nops; i++)
		n += p->ops[i].config != NULL;
	if (n) {
		fprintf(e->fns, "\n/* {operation, constant} per configuration */\n"
		    "static const int %sconfig_k[][2] = {\n", P);
		for (i = 0; i < p->nops; i++)
			if (p->ops[i].config)
				fprintf(e->fns, "\t{%d, %d},\n", i, konst(e, *p->ops[i].config));
		fprintf(e->fns, "};\n");
		out(e, "for (i = 0; i < %d; i++)", n);
		out(e, "\t%sops[%sconfig_k[i][0]].config = &K[%sconfig_k[i][1]];", P, P, P);
	}
	fprintf(e->fns, "\n/* each operation's name in the catalogue, NULL for the others */\n"
	    "static const char *const %simpl_names[] = {\n", P);
	for (i = 0; i < p->nops; i++)
		fprintf(e->fns, "\t%s,\n", in_catalogue(p->impls[i]) && !(!*P && user_ref(e, p->impls[i])) ?
		    cs(p->impls[i]->name) : "NULL");
	fprintf(e->fns, "};\n");
	out(e, "for (i = 0; i < %d; i++)", p->nops);
	out(e, "\tif (%simpl_names[i] && !(%simpls[i] = flow_stdlib_find(%simpl_names[i])))", P, P, P);
	out(e, "\t\tflow_die(\"operation %%s is missing from this runtime\", %simpl_names[i]);", P);
	for (i = 0; i < p->nops; i++)
		if (!*P && user_ref(e, p->impls[i]))       /* a user operation */
			out(e, "impls[%d] = %s;", i, user_ref(e, p->impls[i]));
		else if (!in_catalogue(p->impls[i]))
			out(e, "%simpls[%d] = &%simpl%d;", P, i, P, i);
}

/* Statements that fill in what C99 initialisers cannot: constants and
 * implementation pointers; subflows in the order tables() numbered them. */
static void
init_tables(Em *e, const flow_prog *p, const char *P)
{
	const char **sub = xalloc(sizeof(char *) * (size_t)(p->nops + 1));
	int i, n = p->nseeds + p->nops;
	Split sp;

	for (i = 0; i < p->nops; i++)
		if (p->ops[i].subflow) {
			sub[i] = xprintf("sf%d_", ++e->nsub);
			init_tables(e, p->ops[i].subflow, sub[i]);
		}
	for (i = 0; i < p->ndefs; i++)
		n += p->defs[i].has_default;
	if (n > PART) {
		init_table_loops(e, p, P);
		return;
	}
	split_init(e, &sp, n, e->fns, xprintf("start-up of %s", *P ? P : "the flow"), "void", "void",
	    "", "part%d();");
	for (i = 0; i < p->ndefs; i++)
		if (p->defs[i].has_default) {
			split_unit(e, &sp);
			out(e, "%sdefs[%d].dflt = K[%d];", P, i, konst(e, p->defs[i].dflt));
		}
	for (i = 0; i < p->nseeds; i++) {
		split_unit(e, &sp);
		out(e, "%sseeds[%d].value = K[%d];", P, i, konst(e, p->seeds[i].value));
	}
	for (i = 0; i < p->nops; i++) {
		split_unit(e, &sp);
		if (p->ops[i].config)
			out(e, "%sops[%d].config = &K[%d];", P, i, konst(e, *p->ops[i].config));
		if (!*P && user_ref(e, p->impls[i])) {       /* a user operation */
			out(e, "impls[%d] = %s;", i, user_ref(e, p->impls[i]));
			continue;
		}
		if (!in_catalogue(p->impls[i])) {
			out(e, "%simpls[%d] = &%simpl%d;", P, i, P, i);
			continue;
		}
		out(e, "%simpls[%d] = flow_stdlib_find(%s);", P, i, cs(p->impls[i]->name));
		out(e, "if (!%simpls[%d])", P, i);
		out(e, "\tflow_die(\"operation %%s is missing from this runtime\", %s);",
		    cs(p->impls[i]->name));
	}
	split_end(e, &sp);
}

/* ---- the fast path (pass_static's plan) ------------------------------- */

/* A number in an op's code (kind 's' a slot, 'o' an op, 'd' a
 * definition): itself, or while an op template is written, its
 * parameter P[k] (op_template). */
static const char *
ix(Em *e, int kind, int v)
{
	int k;

	if (!e->tpl)
		return xprintf("%d", v);
	for (k = 0; k < e->ntp; k++)
		if (e->tp[k] == v && e->tpk[k] == kind)
			return xprintf("P[%d]", k);
	if (e->ntp == e->captp) {
		int *tp = xalloc(sizeof(int) * (size_t)(2 * e->captp + 8));
		char *tpk = xalloc((size_t)(2 * e->captp + 8));
		if (e->ntp) {
			memcpy(tp, e->tp, sizeof(int) * (size_t)e->ntp);
			memcpy(tpk, e->tpk, (size_t)e->ntp);
		}
		e->tp = tp;
		e->tpk = tpk;
		e->captp = 2 * e->captp + 8;
	}
	e->tp[e->ntp] = v;
	e->tpk[e->ntp] = (char)kind;
	return xprintf("P[%d]", e->ntp++);
}

/* Slot k is a flow_vec sk (values in arrival order); a context's own
 * values of a viewed definition d are also kept in cvd (insertion order
 * for the output stage). */
static const char *
S(Em *e, int slot)
{
	return xprintf("x->s[%s]", ix(e, 's', slot));
}

/* The context's own values of definition d (fast_struct). */
static const char *
CV(Em *e, int d)
{
	if (e->cvi[d] < 0)
		flow_die("internal error: definition %d has no context values", d);
	return xprintf("x->cv[%d]", e->cvi[d]);
}

/* Is an origin present (plan_origin's answer x)?  A C expression. */
static const char *
exists(Em *e, int x)
{
	if (x >= 0)
		return xprintf("%s.n", S(e, x));
	return x == PLAN_ALWAYS ? "1" : x == PLAN_INPUT ? "x->nin > 0" : "0";
}

/* "(a) || (b) ...": each of v[0..n-1] present, or dflt when n is 0. */
static const char *
any_exists(Em *e, const int *v, int n, const char *dflt)
{
	flow_buf b = {0, 0, 0};
	char *r;
	int i;

	for (i = 0; i < n; i++)
		flow_buf_printf(&b, "%s(%s)", i ? " || " : "", exists(e, v[i]));
	r = xstrdup(b.len ? b.p : dflt);
	flow_buf_free(&b);
	return r;
}

/* The condition walk of §2.7 (plan_conds) as C, setting `c` (condition
 * slots hold at most one value): a group fails at its first absent
 * origin, the walk at the first group that holds. */
static void
conditions(Em *e, int opi)
{
	int i, n;
	const PlanCond *w = plan_conds(e->g, e->plan, opi, &n);

	if (n == 0) {
		out(e, "c = 1;");
		return;
	}
	out(e, "c = 0;");
	out(e, "do {");
	e->indent++;
	for (i = 0; i < n; i++) {
		if (w[i].opens)
			out(e, "f = 0;");
		out(e, "if (!(%s))", exists(e, w[i].exists));
		out(e, "\tbreak;");
		out(e, "if (%s.n)", S(e, w[i].slot));
		out(e, "\tf = flow_truthy(%s.v[0]);", S(e, w[i].slot));
		if (w[i].closes) {
			out(e, "if (f) {");
			out(e, "\tc = 1;");
			out(e, "\tbreak;");
			out(e, "}");
		}
	}
	e->indent--;
	out(e, "} while (0);");
}

/* Some origin the op consumes has arrived (it was reconsidered). */
static const char *
triggered(Em *e, const IrOp *op)
{
	int n, *v = plan_sources(e->g, e->plan, op, 0, &n);

	return any_exists(e, v, n, "1");
}

/* The candidate array of parameter j: its one slot's values, or a
 * concatenation built into cj. */
static const char *
cands(Em *e, const IrOp *op, int opi, int j)
{
	const PlanParam *pp = &e->plan->params[opi][j];

	return pp->nslots == 1 && !e->g->defs[op->params[j].def].has_default ?
	    S(e, pp->slots[0]) : xprintf("c%d", j);
}

/* The index of parameter j's candidate in the current run. */
static const char *
run_ix(Em *e, int j)
{
	return e->one ? "0" : xprintf("i%d", j);
}

/* The typed call the schedule chose for op (sched.c: its catalogue
 * signature for the arguments' kinds): the C call (result in t) and the
 * result kind; NULL for a boxed call.  Arguments the function takes as
 * double ('n') are converted. */
static const char *
typed_call(Em *e, const IrOp *op, int opi, int *rkind)
{
	const SchedStep *st = e->call[opi];
	const char *a[4];
	int j, n = op->nparam;

	if (!st || !st->sig)
		return NULL;
	for (j = 0; j < n; j++) {
		int pos = op->params[j].argpos;
		a[pos] = xprintf("%s%s.v[%s].u.%c", st->sig->kinds[pos] == 'n' ? "(double)" : "",
		    cands(e, op, opi, j), run_ix(e, j), st->kinds[pos]);
	}
	*rkind = st->sig->result == 'i' ? FLOW_INT : st->sig->result == 'f' ? FLOW_FLOAT : FLOW_BOOL;
	if (n == 1)
		return xprintf("%s(%s, &t.u.%c)", st->sig->fn, a[0], st->sig->result);
	if (n == 2)
		return xprintf("%s(%s, %s, &t.u.%c)", st->sig->fn, a[0], a[1], st->sig->result);
	return xprintf("%s(%s, %s, %s, &t.u.%c)", st->sig->fn, a[0], a[1], a[2], st->sig->result);
}

static const char *
kind_const(int k)
{
	static const char *const names[] = { "FLOW_NULL", "FLOW_BOOL", "FLOW_INT",
	    "FLOW_FLOAT", "FLOW_STR", "FLOW_ARRAY", "FLOW_MAP" };
	return names[k];
}

/* Candidate arrays that are not a single slot: concatenations of the
 * sources in order, or [default] when the parameter has no candidate. */
static void
build_cands(Em *e, const IrOp *op, int opi)
{
	int j, k;

	for (j = 0; j < op->nparam; j++) {
		const PlanParam *pp = &e->plan->params[opi][j];
		const char *c = cands(e, op, opi, j);
		if (c[0] != 'c')
			continue;       /* a slot itself */
		out(e, "c%d.n = 0;", j);
		for (k = 0; k < pp->nslots; k++)
			out(e, "for (k = 0; k < %s.n; k++)\n\t\t\tflow_vec_push(a, &c%d, %s.v[k]);",
			    S(e, pp->slots[k]), j, S(e, pp->slots[k]));
		if (e->g->defs[op->params[j].def].has_default) {
			out(e, "if (c%d.n == 0)", j);
			out(e, "\tflow_vec_push(a, &c%d, prog.defs[%s].dflt);", j, ix(e, 'd', op->params[j].def));
		}
	}
}

/* The condition under which every parameter has a candidate. */
static const char *
all_present(Em *e, const IrOp *op, int opi)
{
	flow_buf b = {0, 0, 0};
	char *r;
	int j, k;

	for (j = 0; j < op->nparam; j++) {
		const PlanParam *pp = &e->plan->params[opi][j];
		if (e->g->defs[op->params[j].def].has_default)
			continue;
		flow_buf_printf(&b, "%s(", b.len ? " && " : "");
		for (k = 0; k < pp->nslots; k++)
			flow_buf_printf(&b, "%s%s.n", k ? " || " : "", S(e, pp->slots[k]));
		flow_buf_printf(&b, ")");
	}
	r = xstrdup(b.len ? b.p : "1");
	flow_buf_free(&b);
	return r;
}

/* DFFML raises UnboundLocalError when the first parameter takes its
 * default before any of its origins exist (§2.5.3), as soon as the
 * operation is gathered, whether or not its other parameters have
 * candidates: leave that context to the orchestrator.  `when` is the
 * condition under which the operation is gathered. */
static void
unbound_check(Em *e, const IrOp *op, const char *when)
{
	int n, *v = plan_sources(e->g, e->plan, op, 1, &n);

	if (!v)
		return;
	out(e, "if (%s && !(%s))", when, any_exists(e, v, n, "0"));
	out(e, "\treturn 0; /* the default is used before any input was seen */");
}

/* The loop nest over the product of the candidate lists, first parameter
 * slowest, skipping permutations that only swap Inputs between
 * parameters drawing from the same slots (§2.6); `body` runs per run. */
static void
loops_open(Em *e, const IrOp *op, int opi)
{
	int j;

	for (j = 0; j < op->nparam; j++) {
		const PlanParam *pp = &e->plan->params[opi][j];
		const char *c = cands(e, op, opi, j);
		int g = pp->group;
		if (g != j) {
			int prev;
			for (prev = j - 1; prev >= 0 && e->plan->params[opi][prev].group != g; prev--)
				;
			out(e, "for (i%d = i%d; i%d < %s.n; i%d++) {", j, prev, j, c, j);
		} else {
			out(e, "for (i%d = 0; i%d < %s.n; i%d++) {", j, j, c, j);
		}
		e->indent++;
	}
}

static void
loops_close(Em *e, const IrOp *op)
{
	int j;

	for (j = 0; j < op->nparam; j++) {
		e->indent--;
		out(e, "}");
	}
}

/* The product size check: more permutations than the limit is the
 * orchestrator's error to report. */
static void
perm_limit(Em *e, const IrOp *op, int opi)
{
	flow_buf b = {0, 0, 0}, any = {0, 0, 0};
	int j;

	for (j = 0; j < op->nparam; j++) {
		flow_buf_printf(&b, "%s(double)%s.n", j ? " * " : "", cands(e, op, opi, j));
		flow_buf_printf(&any, "%s%s.n", j ? " | " : "", cands(e, op, opi, j));
	}
	/* maxp is at least 1: with one candidate each, it is never exceeded */
	if (op->nparam == 1)
		out(e, "if (%s > 1 && %s > x->maxp)", any.p, b.p);
	else if (op->nparam > 1)
		out(e, "if ((%s) > 1 && %s > x->maxp)", any.p, b.p);
	if (op->nparam > 0)
		out(e, "\treturn 0;");
	flow_buf_free(&b);
	flow_buf_free(&any);
}

/* Call op on the current permutation: typed when possible; the result in
 * t, rc 0 (a value) or 1 (no output); a failure goes to the fallback
 * (failbranch "return 0") or ends the context ("goto done"). */
static void
call_op(Em *e, const IrOp *op, int opi, const char *onfail)
{
	int rk = -1, j;
	const char *tc = typed_call(e, op, opi, &rk);

	out(e, "if (++x->fired > x->maxf)");
	out(e, "\treturn 0;");
	if (tc) {
		out(e, "t.kind = %s;", kind_const(rk));
		out(e, "rc = 0;");
		out(e, "if (%s != FLOW_E_OK)", tc);
		out(e, "\treturn 0;");
		return;
	}
	if (op->nparam < op->impl->nparam) {
		out(e, "for (k = 0; k < %d; k++)", op->impl->nparam);
		out(e, "\tav[k] = flow_null();");
	}
	for (j = 0; j < op->nparam; j++)
		out(e, "av[%d] = %s.v[%s];", op->params[j].argpos, cands(e, op, opi, j), run_ix(e, j));
	if (op->stage == FLOW_STAGE_PROCESSING && op->retry <= 1) {
		/* A failure goes to the orchestrator, which reports it. */
		out(e, "x->oc.config = prog.ops[%s].config;", ix(e, 'o', opi));
		out(e, "if ((rc = impls[%s]->fn(&x->oc, av, &t)) < 0)", ix(e, 'o', opi));
	} else {
		out(e, "if ((rc = flow_net_call(n, %s, av, &t)) < 0)", ix(e, 'o', opi));
	}
	out(e, "\t%s;", onfail);
}

/* Where output j of op goes, or -1 if nothing reads it. */
static int
out_slot(Em *e, const IrOp *op, int j)
{
	return j < op->nout ? e->plan->origin_slot[op->out[j].origin] : -1;
}

/* Queue output j of the run just made (t) into its slot.  An
 * implementation with several outputs (a user operation) returns a map
 * of them, and an output missing from it was not produced. */
static void
keep_output(Em *e, const IrOp *op, int j)
{
	int sl = out_slot(e, op, j);
	const char *v = "t";

	if (sl < 0)
		return;
	if (!op->impl->out) {
		out(e, "if (rc == 0) {");
		e->indent++;
		out(e, "long at = flow_map_find(t.u.m, %s, %zu);", cs(op->out[j].name),
		    strlen(op->out[j].name));
		out(e, "if (at >= 0) {");
		e->indent++;
		v = "t.u.m->vals[at]";
	} else
		out(e, "if (rc == 0) {");
	if (op->out[j].expand) {
		out(e, "\tif (flow_expand(a, %s, &%s) < 0)", v, S(e, sl));
		out(e, "\t\treturn 0;");
	} else
		out(e, "\tflow_vec_add(a, &%s, %s);", S(e, sl), v);
	if (!op->impl->out) {
		e->indent--;
		out(e, "}");
		e->indent--;
	}
	out(e, "}");
}

/* ---- one run: an operation over single values ------------------------
 *
 * When each parameter reads one slot (no default) and every slot holds
 * at most one value, an operation runs at most once: no loops, no
 * permutation limit, candidates at v[0].  The plan proves that for some
 * operations (op_single); for the others a run-time test of the slots'
 * sizes picks this form or the loops. */

/* Can op be written as one run? */
static int
one_run(Em *e, const IrOp *op, int opi)
{
	int j;

	if (e->tpl || !e->many || op->impl->kind == FLOW_IMPL_NETWORK || op->nparam == 0)
		return 0;
	for (j = 0; j < op->nparam; j++)
		if (e->plan->params[opi][j].nslots != 1 || e->g->defs[op->params[j].def].has_default ||
		    e->many[e->plan->params[opi][j].slots[0]])
			return 0;
	return 1;
}

/* Which slots an expand feeds, directly or through operations
 * (e->many): they usually hold several values. */
static void
fanned(Em *e)
{
	const Plan *pl = e->plan;
	int i, j, k;

	e->many = xalloc((size_t)pl->nslots + 1);
	for (i = 0; i < pl->norder; i++) {
		const IrOp *op = &e->g->ops[pl->order[i]];
		int m = 0;
		for (j = 0; j < op->nparam; j++)
			for (k = 0; k < pl->params[pl->order[i]][j].nslots; k++)
				m |= e->many[pl->params[pl->order[i]][j].slots[k]];
		for (j = 0; j < op->nout; j++) {
			int sl = out_slot(e, op, j);
			if (sl >= 0)
				e->many[sl] = (unsigned char)(m || op->out[j].expand);
		}
	}
}

/* The test that op's slots hold at most one value each, or NULL when
 * the plan proves it. */
static const char *
few_values(Em *e, const IrOp *op, int opi)
{
	flow_buf b = {0, 0, 0};
	char *r;
	int j;

	if (e->plan->op_single[opi])
		return NULL;
	for (j = 0; j < op->nparam; j++) {
		int sl = e->plan->params[opi][j].slots[0];
		if (!e->plan->slots[sl].single)
			flow_buf_printf(&b, "%s%s.n", b.len ? " | " : "", S(e, sl));
	}
	r = b.len ? xprintf("(%s) <= 1", b.p) : NULL;
	flow_buf_free(&b);
	return r;
}

/* The seed a slot always holds, or NULL: one seed and contexts may not
 * add a value (pass_static pins map keys). */
static const flow_val *
pinned(Em *e, int sl)
{
	const PlanSlot *s = &e->plan->slots[sl];

	if (s->producer >= 0 || s->nseeds != 1 || e->plan->def_ctx[s->def] != 0)
		return NULL;
	return &e->g->seeds[s->seeds[0]].value;
}

/* The slot of op's parameter at argument position pos. */
static int
arg_slot(Em *e, const IrOp *op, int opi, int pos)
{
	int j;

	for (j = 0; j < op->nparam; j++)
		if (op->params[j].argpos == pos)
			return e->plan->params[opi][j].slots[0];
	return -1;
}

/* The string keys a map walk with a pinned path takes, or -1 (then it is
 * called as it is). */
static int
walk_keys(Em *e, const IrOp *op, int opi, flow_vec *keys)
{
	const flow_val *tr;
	size_t i;

	if (op->user || op->impl->form != FLOW_FORM_MAP_WALK || op->nparam != 2 ||
	    op->impl->nparam != 2 || !(tr = pinned(e, arg_slot(e, op, opi, 1))) ||
	    flow_map_walk_keys(cc_arena, *tr, keys) < 0)
		return -1;
	for (i = 0; i < keys->n; i++)
		if (keys->v[i].kind != FLOW_STR)
			return -1;
	return 0;
}

/* A map walk along known keys, into t; anything but a map holding the
 * key goes to the orchestrator, which gives the operation's message. */
static void
walk_op(Em *e, const IrOp *op, int opi, const flow_vec *keys)
{
	size_t i;

	out(e, "if (++x->fired > x->maxf)");
	out(e, "\treturn 0;");
	out(e, "t = %s.v[0];", S(e, arg_slot(e, op, opi, 0)));
	for (i = 0; i < keys->n; i++) {
		const flow_str *k = keys->v[i].u.s;
		out(e, "if (t.kind != FLOW_MAP || (at = flow_map_find(t.u.m, %s, %zu)) < 0)",
		    c_literal(k->s, k->len), k->len);
		out(e, "\treturn 0; /* the orchestrator says why */");
		out(e, "t = t.u.m->vals[at];");
	}
	out(e, "rc = 0;");
}

/* ---- maps built in one go ----------------------------------------------
 *
 * Map entries {key: value} with pinned keys, merged by map updates where
 * each map is read by the next update alone, make one map whose keys
 * and their order the compiler knows (dict.update: a key seen again
 * takes the new value in its first place).  The last update (the root)
 * builds it directly from the values when each is there once; the
 * other operations of the tree then do not run on their own.  Otherwise
 * the root runs them, then itself, as they are. */

typedef struct MapTree {
	int n;                  /* keys */
	const flow_str **keys;
	int *kseed;             /* each key's seed */
	int *vslot;             /* each key's value slot */
	int nops;
	int *ops;               /* its other operations, in plan order */
} MapTree;

/* Slot sl's readers: the parameters and conditions that read it. */
static int
readers(Em *e, int sl)
{
	const Graph *g = e->g;
	int i, j, k, n = 0;

	for (i = 0; i < g->nops; i++) {
		if (!g->ops[i].has_flow || !e->plan->params[i])
			continue;
		for (j = 0; j < g->ops[i].nparam; j++)
			for (k = 0; k < e->plan->params[i][j].nslots; k++)
				n += e->plan->params[i][j].slots[k] == sl;
		for (j = 0; j < g->ops[i].ncond && e->plan->cond_slot[i]; j++)
			n += e->plan->cond_slot[i][j] == sl;
	}
	return n;
}

/* Is op a map entry or update the tree can take: pure, unconditioned,
 * one plain output, one slot per parameter? */
static int
tree_shape(Em *e, int opi)
{
	const IrOp *op = &e->g->ops[opi];

	if (op->user || !op->impl || op->impl->kind != FLOW_IMPL_PURE || e->plan->op_gone[opi] ||
	    (op->impl->form != FLOW_FORM_MAP_ENTRY && op->impl->form != FLOW_FORM_MAP_UPDATE) ||
	    op->ncond || op->nout != 1 || op->out[0].expand || op->retry > 1 ||
	    op->nparam != 2 || op->impl->nparam != 2)
		return 0;
	return one_run(e, op, opi);
}

/* Add the map slot sl holds to t (its producer and what it reads), as
 * an update of what t holds; 0 if that map is not the tree's. */
static int
tree_add(Em *e, MapTree *t, int sl)
{
	const PlanSlot *s = &e->plan->slots[sl];
	const IrOp *op;
	const flow_val *key;
	int opi = s->producer, i;

	if (opi < 0 || !tree_shape(e, opi) || readers(e, sl) != 1 || e->plan->viewed[s->def] ||
	    e->plan->origin_slot[s->origin] != sl)
		return 0;
	for (i = sl + 1; i < e->plan->nslots; i++)
		if (e->plan->slots[i].origin == s->origin)
			return 0;       /* read as another definition too */
	op = &e->g->ops[opi];
	if (op->impl->form == FLOW_FORM_MAP_UPDATE) {
		if (!tree_add(e, t, arg_slot(e, op, opi, 0)) || !tree_add(e, t, arg_slot(e, op, opi, 1)))
			return 0;
	} else {
		if (!(key = pinned(e, arg_slot(e, op, opi, 0))) || key->kind != FLOW_STR)
			return 0;
		for (i = 0; i < t->n && !(t->keys[i]->len == key->u.s->len &&
		    memcmp(t->keys[i]->s, key->u.s->s, key->u.s->len) == 0); i++)
			;
		if (i == t->n) {
			t->keys[t->n] = key->u.s;
			t->kseed[t->n++] = e->plan->slots[arg_slot(e, op, opi, 0)].seeds[0];
		}
		t->vslot[i] = arg_slot(e, op, opi, 1);
	}
	t->ops[t->nops++] = opi;
	return 1;
}

/* Find the trees (e->fuse, e->tree): roots are updates whose map some
 * other reader takes, tried consumers first. */
static void
map_trees(Em *e)
{
	const Plan *pl = e->plan;
	int i, j, n = e->g->nops + 1;

	e->fuse = xalloc(sizeof(int) * (size_t)n);
	e->tree = xalloc(sizeof(MapTree) * (size_t)n);
	for (i = 0; i < e->g->nops; i++)
		e->fuse[i] = -1;
	for (i = pl->norder - 1; i >= 0; i--) {
		int r = pl->order[i];
		const IrOp *op = &e->g->ops[r];
		MapTree *t = &e->tree[r];
		if (e->fuse[r] >= 0 || !tree_shape(e, r) || op->impl->form != FLOW_FORM_MAP_UPDATE ||
		    out_slot(e, op, 0) < 0)
			continue;
		t->keys = xalloc(sizeof(flow_str *) * (size_t)n);
		t->kseed = xalloc(sizeof(int) * (size_t)n);
		t->vslot = xalloc(sizeof(int) * (size_t)n);
		t->ops = xalloc(sizeof(int) * (size_t)n);
		if (!tree_add(e, t, arg_slot(e, op, r, 0)) || !tree_add(e, t, arg_slot(e, op, r, 1))) {
			memset(t, 0, sizeof *t);
			continue;
		}
		for (j = 0; j < t->nops; j++)
			e->fuse[t->ops[j]] = r;
	}
	for (i = 0; i < e->g->nops; i++) {     /* members in plan order */
		MapTree *t = &e->tree[i];
		int m = 0;
		for (j = 0; t->nops && j < pl->norder; j++)
			if (e->fuse[pl->order[j]] == i)
				t->ops[m++] = pl->order[j];
	}
}

/* The root's map in one go when every value is there once; else its
 * tree's operations, each as it is. */
static void
tree_build(Em *e, int opi)
{
	const MapTree *t = &e->tree[opi];
	const IrOp *op = &e->g->ops[opi];
	flow_buf b = {0, 0, 0};
	int i, j;

	out(e, "/* %s and %d operations before it build one map with known keys */",
	    c_comment(op->inst), t->nops);
	for (i = 0; i < t->n; i++) {
		for (j = 0; j < i && t->vslot[j] != t->vslot[i]; j++)
			;
		if (j == i)
			flow_buf_printf(&b, "%s%s.n == 1", b.len ? " && " : "", S(e, t->vslot[i]));
	}
	out(e, "if (%s) {", b.p);
	flow_buf_free(&b);
	e->indent++;
	out(e, "if ((x->fired += %d) > x->maxf)", t->nops + 1);
	out(e, "\treturn 0;");
	out(e, "m = flow_map_new(a, %d);", t->n);
	for (i = 0; i < t->n; i++)
		out(e, "flow_map_append(m, prog.seeds[%d].value.u.s, %s.v[0]); /* %s */", t->kseed[i],
		    S(e, t->vslot[i]), c_comment_n(t->keys[i]->s, 40));
	out(e, "flow_vec_add(a, &%s, flow_mapv(m));", S(e, out_slot(e, op, 0)));
	out(e, "return 1;");
	e->indent--;
	out(e, "}");
	for (i = 0; i < t->nops; i++)
		out(e, "if (!op%d(x)) /* %s */\n\t\treturn 0;", t->ops[i], c_comment(e->g->ops[t->ops[i]].inst));
}

/* An op's locals. */
static void
op_locals(Em *e, int opi)
{
	const IrOp *op = &e->g->ops[opi];
	int j, nargs = op->impl->nparam > 0 ? op->impl->nparam : 1;
	int only = op->stage == FLOW_STAGE_PROCESSING && one_run(e, op, opi) &&
	    !few_values(e, op, opi);
	flow_vec keys;

	e->indent = 1;
	out(e, "flow_arena *a = x->a;");
	out(e, "flow_net *n = x->n;");
	out(e, "flow_val av[%d], t;", nargs);
	out(e, "int c, f = 0, rc = 0;");
	out(e, "size_t k;");
	if (op->stage == FLOW_STAGE_PROCESSING && one_run(e, op, opi) && walk_keys(e, op, opi, &keys) == 0 &&
	    keys.n > 0)
		out(e, "long at;");
	if (e->tree && e->tree[opi].nops)
		out(e, "flow_map *m;");
	for (j = 0; !only && op->impl->kind != FLOW_IMPL_NETWORK && j < op->nparam; j++) {
		out(e, "size_t i%d;", j);
		if (cands(e, op, opi, j)[0] == 'c')
			out(e, "flow_vec c%d = {0, 0, 0};", j);
	}
	out(e, "");
	out(e, "(void)a, (void)n, (void)av, (void)t, (void)f, (void)rc, (void)k%s;", e->tpl ? ", (void)P" : "");
}

/* The head of an op's function, and its locals. */
static void
op_function(Em *e, int opi, const char *stage)
{
	const IrOp *op = &e->g->ops[opi];

	fprintf(e->f, "\n/* %s: %s (%s) -- %s:%d:%d */\nstatic int\nop%d(struct fx *x)\n{\n",
	    c_comment(op->inst), c_comment(op->opname), stage, c_comment(op->pos.file), op->pos.line,
	    op->pos.col, opi);
	op_locals(e, opi);
}

static void
op_function_end(Em *e)
{
	out(e, "return 1;");
	e->indent = 0;
	out(e, "}");
}

/* One processing op: all its runs, if it runs. */
static void
fast_op_body(Em *e, int opi)
{
	const IrOp *op = &e->g->ops[opi];
	const char *few = NULL;
	flow_vec keys;
	int j;

	if (e->tree && e->tree[opi].nops)
		tree_build(e, opi);
	conditions(e, opi);
	if (one_run(e, op, opi)) {
		if ((few = few_values(e, op, opi)) != NULL) {
			out(e, "if (%s) { /* one run at most */", few);
			e->indent++;
		}
		out(e, "if (c && %s && (%s)) {", all_present(e, op, opi), triggered(e, op));
		e->indent++;
		e->one = 1;
		if (walk_keys(e, op, opi, &keys) == 0)
			walk_op(e, op, opi, &keys);
		else
			call_op(e, op, opi, "return 0");
		for (j = 0; j < (op->impl->out ? 1 : op->nout); j++)
			keep_output(e, op, j);
		e->one = 0;
		e->indent--;
		out(e, "}");
		if (!few)
			return;
		out(e, "return 1;");
		e->indent--;
		out(e, "}");
	}
	unbound_check(e, op, xprintf("c && (%s)", triggered(e, op)));
	out(e, "if (c && %s && (%s)) {", all_present(e, op, opi), triggered(e, op));
	e->indent++;
	build_cands(e, op, opi);
	perm_limit(e, op, opi);
	loops_open(e, op, opi);
	call_op(e, op, opi, "return 0");
	for (j = 0; j < (op->impl->out ? 1 : op->nout); j++)
		keep_output(e, op, j);
	loops_close(e, op);
	e->indent--;
	out(e, "}");
}

static void
fast_op(Em *e, int opi)
{
	op_function(e, opi, "processing");
	fast_op_body(e, opi);
	op_function_end(e);
}

/* A big flow's processing op: its code with its numbers as parameters
 * (ix); ops whose code is then the same share one function tplN(x, P),
 * written the first time, and the table fast_templates writes gives each
 * op its function and its P, at *at in args.  Returns N. */
static int
op_template(Em *e, int opi, StrMap *seen, flow_buf *args, int *at)
{
	const IrOp *op = &e->g->ops[opi];
	char *body = NULL;
	size_t len = 0;
	FILE *home = e->f;
	int id, k;

	e->tpl = 1;
	e->ntp = 0;
	e->f = open_memstream(&body, &len);
	if (!e->f)
		flow_die("out of memory");
	op_locals(e, opi);
	fast_op_body(e, opi);
	op_function_end(e);
	fclose(e->f);
	e->f = home;
	e->tpl = 0;
	if ((id = sm_get(seen, body)) < 0) {
		id = seen->n;
		sm_put(seen, xstrdup(body), id);
		fprintf(e->f, "\n/* processing operations like %s: %s -- %s:%d:%d, their numbers in P */\n"
		    "static int\ntpl%d(struct fx *x, const int *P)\n{\n%s", c_comment(op->inst),
		    c_comment(op->opname), c_comment(op->pos.file), op->pos.line, op->pos.col, id, body);
	}
	free(body);
	for (k = 0; k < e->ntp; k++)
		flow_buf_printf(args, "%s%d", k ? ", " : "\t", e->tp[k]);
	if (e->ntp)
		flow_buf_printf(args, ", /* %s */\n", c_comment(op->inst));
	*at += e->ntp;
	return id;
}

/* A big flow's processing ops as templates (op_template): the table of
 * template functions, and of each op's template and P, which fast()
 * runs in order.  Returns how many ops run. */
static int
fast_templates(Em *e)
{
	const Plan *pl = e->plan;
	StrMap seen = {0, 0, 0, 0};
	flow_buf args = {0, 0, 0}, runs = {0, 0, 0};
	int i, id, at = 0, n = 0;

	for (i = 0; i < pl->norder; i++) {
		const IrOp *op = &e->g->ops[pl->order[i]];
		int from = at;
		if (pl->op_gone[pl->order[i]])
			continue;
		id = op_template(e, pl->order[i], &seen, &args, &at);
		flow_buf_printf(&runs, "\t{%d, %d}, /* %s: %s -- %s:%d:%d */\n", id, from,
		    c_comment(op->inst), c_comment(op->opname), c_comment(op->pos.file), op->pos.line,
		    op->pos.col);
		n++;
	}
	fprintf(e->f, "\nstatic int (*const tpls[])(struct fx *, const int *) = {\n");
	for (i = 0; i < seen.n; i++)
		fprintf(e->f, "\ttpl%d,\n", i);
	fprintf(e->f, "};\n\n/* each template's numbers (P), operation by operation */\n"
	    "static const int opargs[] = {\n%s\t0\n};\n", args.len ? args.p : "");
	fprintf(e->f, "\n/* the processing operations in order: {template, where its P starts} */\n"
	    "static const int runs[][2] = {\n%s};\n", runs.p);
	flow_buf_free(&args);
	flow_buf_free(&runs);
	return n;
}

/* Output operation opi of the network (get_single, get_multi) on each
 * seed its spec names, if c holds. */
static void
spec_calls(Em *e, int opi)
{
	int k;

	for (k = 0; k < e->g->nseeds; k++) {
		if (!plan_spec_seed(e->g, &e->g->ops[opi], k))
			continue;
		out(e, "if (c) {");
		out(e, "\tav[0] = prog.seeds[%d].value;", k);
		/* a failure goes to the orchestrator: it knows what ran,
		 * and get_single's message says so */
		out(e, "\tif ((rc = flow_net_call(n, %d, av, &t)) < 0)", opi);
		out(e, "\t\treturn 0;");
		out(e, "\tflow_net_assemble(n, %d, rc == 0 ? &t : NULL);", opi);
		out(e, "}");
	}
}

/* See flowc.h. */
void
emit_c_spec_calls(FILE *f, int indent, const Graph *g, int opi)
{
	Em e;

	memset(&e, 0, sizeof e);
	e.f = f;
	e.indent = indent;
	e.g = g;
	spec_calls(&e, opi);
}

/* A cleanup or output-stage op: every run, after processing; returns -1
 * when the context ends in its failure. */
static void
fast_stage_op(Em *e, int opi)
{
	const IrOp *op = &e->g->ops[opi];

	op_function(e, opi, stage_name(op->stage));
	conditions(e, opi);
	if (op->impl->kind == FLOW_IMPL_NETWORK) {
		spec_calls(e, opi);
		op_function_end(e);
		return;
	}
	unbound_check(e, op, "c");
	out(e, "if (c && %s) {", all_present(e, op, opi));
	e->indent++;
	build_cands(e, op, opi);
	perm_limit(e, op, opi);
	loops_open(e, op, opi);
	call_op(e, op, opi, "return -1");
	if (op->stage == FLOW_STAGE_OUTPUT)
		out(e, "flow_net_assemble(n, %d, rc == 0 ? &t : NULL);", opi);
	loops_close(e, op);
	e->indent--;
	out(e, "}");
	op_function_end(e);
}

/* Values the output stage reads, by definition, in insertion order:
 * the context's, then the seeds', then the producing operation's. */
static void
fast_network(Em *e)
{
	const Graph *g = e->g;
	const Plan *pl = e->plan;
	int d, i, nv = 0;
	Split sp;

	int **seeds = xalloc(sizeof(int *) * (size_t)(g->ndefs + 1));
	int *nseeds = xalloc(sizeof(int) * (size_t)(g->ndefs + 1));
	int *prod = xalloc(sizeof(int) * (size_t)(g->ndefs + 1));

	for (d = 0; d < g->ndefs; d++)
		prod[d] = -1;
	for (i = 0; i < g->nseeds; i++)
		nseeds[g->seeds[i].def]++;
	for (d = 0; d < g->ndefs; d++) {
		seeds[d] = xalloc(sizeof(int) * (size_t)(nseeds[d] + 1));
		nseeds[d] = 0;
	}
	for (i = 0; i < g->nseeds; i++)
		seeds[g->seeds[i].def][nseeds[g->seeds[i].def]++] = i;
	for (i = 0; i < pl->nslots; i++)
		if (pl->slots[i].producer >= 0)
			prod[pl->slots[i].def] = i;     /* at most one (pass_static) */
	for (d = 0; d < g->ndefs; d++)
		nv += pl->viewed[d] != 0;
	split_init(e, &sp, nv, e->fns, "values the output stage reads", "void", "struct fx *x",
	    "flow_net *n = x->n;\n\tsize_t k;\n\n\t(void)k;", "part%d(x);");
	for (d = 0; d < g->ndefs; d++) {
		if (!pl->viewed[d])
			continue;
		split_unit(e, &sp);
		if (pl->def_ctx[d])
			out(e, "for (k = 0; k < %s.n; k++)\n\t\tflow_net_add(n, %d, %d, %s.v[k]);",
			    CV(e, d), d, g->seed_origin, CV(e, d));
		for (i = 0; i < nseeds[d]; i++)
			out(e, "flow_net_add(n, %d, %d, prog.seeds[%d].value);", d,
			    e->p->seeds[seeds[d][i]].origin, seeds[d][i]);
		if (prod[d] >= 0)
			out(e, "for (k = 0; k < %s.n; k++)\n\t\tflow_net_add(n, %d, 0, %s.v[k]);",
			    S(e, prod[d]), d, S(e, prod[d]));
	}
	split_end(e, &sp);
}

/* The cases of fast_inputs' switch for definitions lo..hi-1: the value
 * v of definition d into its slot; 0 sends the context to the
 * orchestrator. */
static void
input_cases(Em *e, int lo, int hi, const char *v)
{
	const Graph *g = e->g;
	const Plan *pl = e->plan;
	int d;

	out(e, "switch (%s) {", strcmp(v, "v") == 0 ? "d" : "in[k].def");
	for (d = lo; d < hi; d++) {
		int slot = plan_input_slot(g, pl, d);
		if (!pl->viewed[d] && slot < 0)
			continue;
		out(e, "case %d: /* %s */", d, c_comment(g->defs[d].name));
		if (!pl->def_ctx[d]) {
			out(e, "\treturn 0;");
			continue;
		}
		if (pl->def_ctx[d] == 1) {
			out(e, "\tif (%s.n)", slot >= 0 ? S(e, slot) : CV(e, d));
			out(e, "\t\treturn 0;");
		}
		if (pl->viewed[d])
			out(e, "\tflow_vec_push(a, &%s, %s);", CV(e, d), v);
		if (slot >= 0)
			out(e, "\tflow_vec_add(a, &%s, %s);", S(e, slot), v);
		out(e, "\tbreak;");
	}
	out(e, "default:");
	out(e, "\tbreak;");
	out(e, "}");
}

/* Context inputs into their slots; anything unplanned falls back.  A big
 * flow's switch would be a case per definition: it is a table instead,
 * {taken, how many, slot, context values} per definition (input_cases
 * says what each means), and one loop. */
static void
fast_inputs(Em *e)
{
	const Graph *g = e->g;
	const Plan *pl = e->plan;
	int d, i, *slot;
	FILE *home = e->f;

	out(e, "for (k = 0; k < (size_t)nin; k++) {");
	e->indent++;
	if (g->ndefs > PART)
		out(e, "const int *t;\n");
	out(e, "if (in[k].origin != %d)", g->seed_origin);
	out(e, "\treturn 0;");
	if (g->ndefs <= PART) {
		input_cases(e, 0, g->ndefs, "in[k].value");
		e->indent--;
		out(e, "}");
		return;
	}
	e->f = e->fns;
	fprintf(e->f, "\n/* context inputs per definition: {taken (0: ignored), 0: goes to the "
	    "orchestrator, 1: one value, 2: any number, slot, context values}, -1 for none */\n"
	    "static const int inrows[%d][4] = {\n", g->ndefs);
	slot = xalloc(sizeof(int) * (size_t)(g->ndefs + 1));
	for (d = 0; d < g->ndefs; d++)
		slot[d] = -1;
	for (i = 0; i < pl->nslots; i++)       /* the last, as input_cases */
		if (pl->slots[i].origin == g->seed_origin && pl->slots[i].def >= 0)
			slot[pl->slots[i].def] = i;
	for (d = 0; d < g->ndefs; d++)
		fprintf(e->f, "\t{%d, %d, %d, %d}, /* %s */\n", pl->viewed[d] || slot[d] >= 0,
		    pl->def_ctx[d], slot[d], pl->viewed[d] && pl->def_ctx[d] ? e->cvi[d] : -1,
		    c_comment(g->defs[d].name));
	fprintf(e->f, "};\n");
	e->f = home;
	out(e, "if (in[k].def < 0 || in[k].def >= %d || !(t = inrows[in[k].def])[0])", g->ndefs);
	out(e, "\tcontinue;");
	out(e, "if (t[1] == 0 || (t[1] == 1 && (t[2] >= 0 ? x->s[t[2]].n : x->cv[t[3]].n)))");
	out(e, "\treturn 0;");
	out(e, "if (t[3] >= 0)");
	out(e, "\tflow_vec_push(x->a, &x->cv[t[3]], in[k].value);");
	out(e, "if (t[2] >= 0)");
	out(e, "\tflow_vec_add(x->a, &x->s[t[2]], in[k].value);");
	e->indent--;
	out(e, "}");
}

/* The per-context state of the fast path: every slot. */
static void
fast_struct(Em *e)
{
	const Graph *g = e->g;
	const Plan *pl = e->plan;
	int i, d;

	fprintf(e->f, "\n/* ---- fast path: each operation runs in one batch ---- */\n\n");
	fprintf(e->f, "struct fx {\n");
	e->indent = 1;
	out(e, "flow_arena *a;");
	out(e, "flow_net *n;");
	out(e, "flow_opctx oc;");
	out(e, "int nin;");
	out(e, "double maxp;");
	out(e, "long maxf, fired;");
	/* arrays, not a field each: a C compiler walks a struct's fields
	 * on every access to it */
	for (i = 0; i < pl->nslots; i++) {
		const PlanSlot *s = &pl->slots[i];
		out(e, "/* s[%d]: %s from %s%s */", i, c_comment(g->defs[s->def].name),
		    c_comment(g->origins[s->origin].name), s->single ? ", at most one value" : "");
	}
	out(e, "flow_vec s[%d];", pl->nslots > 0 ? pl->nslots : 1);
	out(e, "flow_val s_one[%d]; /* room for each slot's first value */",
	    pl->nslots > 0 ? pl->nslots : 1);
	for (d = 0; d < g->ndefs; d++)
		if (e->cvi[d] >= 0)
			out(e, "/* cv[%d]: given %s */", e->cvi[d], c_comment(g->defs[d].name));
	out(e, "flow_vec cv[%d];", e->ncv > 0 ? e->ncv : 1);
	for (i = 0; e->direct && i < e->p->nstage[FLOW_STAGE_OUTPUT]; i++) {
		size_t n = g->seeds[e->dseed[i]].value.u.a->n;
		out(e, "flow_map out%d; /* %s's result */", i,
		    c_comment(g->ops[e->p->stage_order[FLOW_STAGE_OUTPUT][i]].inst));
		out(e, "const flow_str *out%d_k[%zu];", i, n > 0 ? n : 1);
		out(e, "flow_val out%d_v[%zu];", i, n > 0 ? n : 1);
	}
	if (e->direct && e->p->nstage[FLOW_STAGE_OUTPUT] > 1) {
		out(e, "flow_map all; /* {instance: result} */");
		out(e, "const flow_str *all_k[%d];", e->p->nstage[FLOW_STAGE_OUTPUT]);
		out(e, "flow_val all_v[%d];", e->p->nstage[FLOW_STAGE_OUTPUT]);
	}
	e->indent = 0;
	fprintf(e->f, "};\n");
}

/* fast_seeds for a big flow: {slot, seed} and {slot, constant} tables
 * and a loop over each. */
static void
fast_seed_table(Em *e)
{
	const Plan *pl = e->plan;
	int k, i, n = 0;
	flow_buf t = {0, 0, 0};

	for (k = 0; k < e->g->nseeds; k++)
		if ((i = plan_seed_slot(e->g, pl, k)) >= 0)
			flow_buf_printf(&t, "\t{%d, %d},\n", i, k), n++;
	if (n) {
		fprintf(e->fns, "\n/* {slot, seed} per seeded slot */\n"
		    "static const int seed_slots[][2] = {\n%.*s};\n", (int)t.len, t.p);
		out(e, "for (k = 0; k < %d; k++)", n);
		out(e, "\tflow_vec_add(a, &x->s[seed_slots[k][0]], prog.seeds[seed_slots[k][1]].value);");
	}
	for (i = n = 0; i < pl->nslots; i++)
		n += e->slot_k[i] >= 0;
	if (n) {
		fprintf(e->fns, "\n/* {slot, constant} per slot folded at compile time */\n"
		    "static const int const_slots[][2] = {\n");
		for (i = 0; i < pl->nslots; i++)
			if (e->slot_k[i] >= 0)
				fprintf(e->fns, "\t{%d, %d},\n", i, e->slot_k[i]);
		fprintf(e->fns, "};\n");
		out(e, "for (k = 0; k < %d; k++)", n);
		out(e, "\tflow_vec_add(a, &x->s[const_slots[k][0]], K[const_slots[k][1]]);");
	}
	flow_buf_free(&t);
}

/* Seeds into their slots, after the context's inputs (§2.1), then the
 * slots pass_fold decided. */
static void
fast_seeds(Em *e)
{
	const Plan *pl = e->plan;
	int k, i, n = e->g->nseeds;
	Split sp;

	for (i = 0; i < pl->nslots; i++)
		n += e->slot_k[i] >= 0;
	if (n > PART) {
		fast_seed_table(e);
		return;
	}
	split_init(e, &sp, n, e->fns, "seeds and constants into their slots", "void",
	    "struct fx *x", "flow_arena *a = x->a;\n", "part%d(x);");
	for (k = 0; k < e->g->nseeds; k++)
		if ((i = plan_seed_slot(e->g, pl, k)) >= 0) {
			split_unit(e, &sp);
			out(e, "flow_vec_add(a, &%s, prog.seeds[%d].value);", S(e, i), k);
		}
	for (i = 0; i < pl->nslots; i++)
		if (e->slot_k[i] >= 0) {
			split_unit(e, &sp);
			out(e, "flow_vec_add(a, &%s, K[%d]); /* folded at compile time */", S(e, i),
			    e->slot_k[i]);
		}
	split_end(e, &sp);
}

/* Every slot empty, with room for one value in place; a big flow's in
 * a loop. */
static void
fast_slots(Em *e)
{
	const Plan *pl = e->plan;
	int i;

	if (pl->nslots > PART) {
		out(e, "for (k = 0; k < %d; k++) {", pl->nslots);
		out(e, "\tx->s[k].n = 0;");
		out(e, "\tx->s[k].v = &x->s_one[k];");
		out(e, "\tx->s[k].cap = 1;");
		out(e, "}");
	} else {
		for (i = 0; i < pl->nslots; i++) {
			out(e, "x->s[%d].n = 0;", i);
			out(e, "x->s[%d].v = &x->s_one[%d];", i, i);
			out(e, "x->s[%d].cap = 1;", i);
		}
	}
	if (e->ncv > PART) {
		out(e, "memset(x->cv, 0, sizeof x->cv);");
		return;
	}
	for (i = 0; i < e->ncv; i++) {
		out(e, "x->cv[%d].n = x->cv[%d].cap = 0;", i, i);
		out(e, "x->cv[%d].v = NULL;", i);
	}
}

/* run(): the fast path, or the orchestrator when it declines. */
static void
fast_run(Em *e)
{
	fprintf(e->f, "\nstatic void\nrun(const flow_prog *p, const flow_opts *o, flow_arena *a,\n"
	    "    const char *ctx, const flow_cinput *in, int nin, flow_result *r)\n{\n"
	    "\tif (!fast(o, a, in, nin, r))\n\t\tflow_orch_run(p, o, a, ctx, in, nin, r);\n}\n");
}

/* Are strings a and b the same bytes? */
static int
direct_str_eq(const flow_str *a, const flow_str *b)
{
	return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

/* The nostrict list of an output op's config: 0 with *list (NULL when
 * there is none), -1 when the config is not one get_* understands
 * without running (then the network runs it). */
static int
direct_nostrict(const flow_val *cfg, const flow_array **list)
{
	long j;

	*list = NULL;
	if (cfg == NULL || cfg->kind == FLOW_NULL)
		return 0;
	if (cfg->kind != FLOW_MAP)
		return -1;
	if ((j = flow_map_find(cfg->u.m, "nostrict", 8)) < 0 ||
	    cfg->u.m->vals[j].kind == FLOW_NULL)
		return 0;
	if (cfg->u.m->vals[j].kind != FLOW_ARRAY)
		return -1;
	*list = cfg->u.m->vals[j].u.a;
	return 0;
}

/* The definition called s, or -1. */
static int
direct_def(const Graph *g, const flow_str *s)
{
	int d;

	if (strlen(s->s) == s->len)     /* no NUL inside: the name index */
		return sm_get(&g->defidx, s->s);
	for (d = 0; d < g->ndefs; d++)
		if (strlen(g->defs[d].name) == s->len && memcmp(g->defs[d].name, s->s, s->len) == 0)
			return d;
	return -1;
}

/* Is s a string item of list (which may be NULL)? */
static int
direct_listed(const flow_array *list, const flow_str *s)
{
	size_t i;

	for (i = 0; list != NULL && i < list->n; i++)
		if (list->items[i].kind == FLOW_STR && direct_str_eq(list->items[i].u.s, s))
			return 1;
	return 0;
}

/* Can fast() write output op opi's result itself, without the network?
 * The catalogue's get_single or get_multi, unconditional, run once on a
 * constant spec of distinct definition names (no renaming), with at most
 * a nostrict list as config.  *seed is the spec's seed. */
static int
direct_op(Em *e, int opi, int *seed)
{
	const Graph *g = e->g;
	const IrOp *op = &g->ops[opi];
	const flow_array *spec, *ns;
	StrMap names = {0, 0, 0, 0};
	int k, d, found = 0;
	size_t i, j;

	if (!op->impl || op->user || op->ncond || op->ncdecl || op->retry > 1 ||
	    op->impl->role != FLOW_ROLE_OUTPUT || !op->impl->collect ||
	    op->nparam != 1 || op->params[0].nsrc != 1 || op->params[0].src[0].nnames != 1 ||
	    direct_nostrict(op->config, &ns) < 0)
		return 0;
	for (k = 0; k < g->nseeds; k++)
		if (plan_spec_seed(g, op, k)) {
			*seed = k;
			found++;
		}
	if (found != 1 || g->seeds[*seed].value.kind != FLOW_ARRAY)
		return 0;
	spec = g->seeds[*seed].value.u.a;
	for (i = 0; i < spec->n; i++) {
		const flow_str *si;
		if (spec->items[i].kind != FLOW_STR)
			return 0;
		si = spec->items[i].u.s;
		if (strlen(si->s) == si->len) {         /* distinct: through an index */
			if (sm_get(&names, si->s) >= 0)
				return 0;
			sm_put(&names, si->s, 0);
		} else {
			for (j = 0; j < i; j++)
				if (direct_str_eq(spec->items[j].u.s, si))
					return 0;
		}
		d = direct_def(g, spec->items[i].u.s);
		if (d >= 0 && !e->plan->viewed[d])
			return 0;
	}
	return 1;
}

/* Does fast() write the results itself (direct_op)?  Only when there is
 * no cleanup stage and every output op qualifies; seed[i] is the spec of
 * the i-th op of the output stage. */
static int
direct_output(Em *e, int *seed)
{
	int i;

	if (e->p->nstage[FLOW_STAGE_CLEANUP] != 0 || e->p->nstage[FLOW_STAGE_OUTPUT] == 0)
		return 0;
	for (i = 0; i < e->p->nstage[FLOW_STAGE_OUTPUT]; i++)
		if (!direct_op(e, e->p->stage_order[FLOW_STAGE_OUTPUT][i], &seed[i]))
			return 0;
	return 1;
}

/* Does a processing op of the fast path need the network?  Network and
 * subflow operations read it, and retried ones are called through it. */
static int
fast_needs_net(Em *e)
{
	int i;

	for (i = 0; i < e->plan->norder; i++) {
		const IrOp *op = &e->g->ops[e->plan->order[i]];
		if (!e->plan->op_gone[e->plan->order[i]] &&
		    (!op->impl || op->impl->kind != FLOW_IMPL_PURE || op->retry > 1))
			return 1;
	}
	return 0;
}

/* Where definition d's values are, in the order the network would hold
 * them (fast_network): src[] holds C expressions of flow_vecs, or of one
 * value when one[] is set.  Returns how many. */
static int
direct_sources(Em *e, int d, const char **src, int *one)
{
	const Plan *pl = e->plan;
	int i, n = 0;

	if (d < 0)
		return 0;
	if (pl->def_ctx[d]) {
		one[n] = 0;
		src[n++] = CV(e, d);
	}
	for (i = 0; i < e->g->nseeds; i++)
		if (e->g->seeds[i].def == d) {
			one[n] = 1;
			src[n++] = xprintf("prog.seeds[%d].value", i);
		}
	for (i = 0; i < pl->nslots; i++)
		if (pl->slots[i].producer >= 0 && pl->slots[i].def == d) {
			one[n] = 0;
			src[n++] = S(e, i);
		}
	return n;
}

/* get_single's entry for spec[i]: the most recently added value. */
static void
direct_single(Em *e, int i, const char **src, const int *one, int n, int strict)
{
	int first = 1;

	while (n-- > 0) {
		if (one[n]) {
			if (!first)
				out(e, "else");
			out(e, "%sflow_map_append(m, spec[%d].u.s, %s);", first ? "" : "\t", i, src[n]);
			return;
		}
		out(e, "%sif (%s.n > 0)", first ? "" : "else ", src[n]);
		out(e, "\tflow_map_append(m, spec[%d].u.s, %s.v[%s.n - 1]);", i, src[n], src[n]);
		first = 0;
	}
	if (strict)
		out(e, "else\n\t\treturn 0; /* absent: the orchestrator says why */");
}

/* get_multi's entry for spec[i]: every value, in insertion order. */
static void
direct_multi(Em *e, int i, const char **src, const int *one, int n, int strict)
{
	flow_buf only = {0, 0, 0};
	int k, seeded = 0;

	for (k = 0; k < n; k++)
		seeded |= one[k];
	if (!seeded) {
		/* only the last source has values (the usual case): a copy of it */
		for (k = 0; k < n - 1; k++)
			flow_buf_printf(&only, "%s.n == 0 && ", src[k]);
		out(e, "if (%s%s.n > 0)", only.len ? only.p : "", src[n - 1]);
		out(e, "\tflow_map_append(m, spec[%d].u.s, flow_vec_array(a, &%s));", i, src[n - 1]);
		flow_buf_free(&only);
		if (n == 1) {
			if (strict)
				out(e, "else\n\t\treturn 0; /* absent: the orchestrator says why */");
			return;
		}
		out(e, "else {");
		e->indent++;
	}
	out(e, "tv.n = 0;");
	for (k = 0; k < n; k++)
		if (one[k]) {
			out(e, "flow_vec_add(a, &tv, %s);", src[k]);
		} else {
			out(e, "for (k = 0; k < %s.n; k++)", src[k]);
			out(e, "\tflow_vec_add(a, &tv, %s.v[k]);", src[k]);
		}
	out(e, "if (tv.n > 0)");
	out(e, "\tflow_map_append(m, spec[%d].u.s, flow_vec_array(a, &tv));", i);
	if (strict) {
		out(e, "else");
		out(e, "\treturn 0; /* absent: the orchestrator says why */");
	}
	if (!seeded) {
		e->indent--;
		out(e, "}");
	}
}

/* A big spec (more than PART names, each from at most one slot and one
 * seed besides the context) as a table and one loop rather than code per
 * name: a C compiler takes far longer over code than over data.  Each
 * row is {slot, seed, context values, strict}, -1 for none; the loop
 * does what direct_single and direct_multi write out.  Returns 0 when
 * some name has more sources than a row holds. */
static int
direct_table(Em *e, int k, int opi, const flow_array *spec, const flow_array *ns)
{
	const IrOp *op = &e->g->ops[opi];
	const Plan *pl = e->plan;
	int single = op->impl->collect == FLOW_COLLECT_LAST;
	int *row = xalloc(sizeof(int) * 4 * (spec->n + 1));
	int *seed = xalloc(sizeof(int) * (size_t)(e->g->ndefs + 1));  /* by definition, -2: several */
	int *slot = xalloc(sizeof(int) * (size_t)(e->g->ndefs + 1));
	size_t i;
	int j, d;
	FILE *home = e->f;

	for (d = 0; d < e->g->ndefs; d++)
		seed[d] = slot[d] = -1;
	for (j = 0; j < e->g->nseeds; j++)
		if ((d = e->g->seeds[j].def) >= 0)
			seed[d] = seed[d] == -1 ? j : -2;
	for (j = 0; j < pl->nslots; j++)
		if (pl->slots[j].producer >= 0 && (d = pl->slots[j].def) >= 0)
			slot[d] = slot[d] == -1 ? j : -2;
	for (i = 0; i < spec->n; i++) {
		int *t = &row[4 * i];
		d = direct_def(e->g, spec->items[i].u.s);
		t[0] = t[1] = t[2] = -1;
		t[3] = !direct_listed(ns, spec->items[i].u.s);
		if (d < 0)
			continue;
		if (seed[d] == -2 || slot[d] == -2)
			return 0;
		t[0] = slot[d];
		t[1] = seed[d];
		if (pl->def_ctx[d])
			t[2] = e->cvi[d];
	}
	e->f = e->fns;
	fprintf(e->f, "\n/* %s's result: {slot, seed, context values, strict} per spec name, "
	    "-1 for none */\nstatic const int out%d_rows[%zu][4] = {\n", c_comment(op->inst), k, spec->n);
	for (i = 0; i < spec->n; i++)
		fprintf(e->f, "\t{%d, %d, %d, %d}, /* %s */\n", row[4 * i], row[4 * i + 1], row[4 * i + 2],
		    row[4 * i + 3], c_comment(spec->items[i].u.s->s));
	fprintf(e->f, "};\n");
	e->f = home;
	out(e, "for (k = 0; k < %zu; k++) {", spec->n);
	e->indent++;
	out(e, "const int *t = out%d_rows[k];", k);
	if (!single)
		out(e, "size_t j;");
	out(e, "");
	if (single) {
		/* the most recently added value: a slot's, else a seed, else the context's */
		out(e, "if (t[0] >= 0 && x->s[t[0]].n > 0)");
		out(e, "\tflow_map_append(m, spec[k].u.s, x->s[t[0]].v[x->s[t[0]].n - 1]);");
		out(e, "else if (t[1] >= 0)");
		out(e, "\tflow_map_append(m, spec[k].u.s, prog.seeds[t[1]].value);");
		out(e, "else if (t[2] >= 0 && x->cv[t[2]].n > 0)");
		out(e, "\tflow_map_append(m, spec[k].u.s, x->cv[t[2]].v[x->cv[t[2]].n - 1]);");
		out(e, "else if (t[3])");
		out(e, "\treturn 0; /* absent: the orchestrator says why */");
	} else {
		/* every value: the context's, the seed, the slot's, in that order */
		out(e, "tv.n = 0;");
		out(e, "for (j = 0; t[2] >= 0 && j < x->cv[t[2]].n; j++)");
		out(e, "\tflow_vec_add(a, &tv, x->cv[t[2]].v[j]);");
		out(e, "if (t[1] >= 0)");
		out(e, "\tflow_vec_add(a, &tv, prog.seeds[t[1]].value);");
		out(e, "for (j = 0; t[0] >= 0 && j < x->s[t[0]].n; j++)");
		out(e, "\tflow_vec_add(a, &tv, x->s[t[0]].v[j]);");
		out(e, "if (tv.n > 0)");
		out(e, "\tflow_map_append(m, spec[k].u.s, flow_vec_array(a, &tv));");
		out(e, "else if (t[3])");
		out(e, "\treturn 0; /* absent: the orchestrator says why */");
	}
	e->indent--;
	out(e, "}");
	return 1;
}

/* The output op opi, written straight into the map m: the spec's names,
 * in spec order, as get_single (last value) or get_multi (every value)
 * builds it; a name with no value that nostrict does not list sends the
 * context to the orchestrator, which gives get_*'s message. */
static void
direct_result(Em *e, int k, int opi, int seed)
{
	const IrOp *op = &e->g->ops[opi];
	const flow_array *spec = e->g->seeds[seed].value.u.a, *ns;
	int single = op->impl->collect == FLOW_COLLECT_LAST;
	const char **src = xalloc(sizeof(char *) * (size_t)(e->g->nseeds + e->plan->nslots + 2));
	int *one = xalloc(sizeof(int) * (size_t)(e->g->nseeds + e->plan->nslots + 2));
	size_t i;
	int n;
	Split sp;

	direct_nostrict(op->config, &ns);
	out(e, "/* %s: %s, written here: the spec is a constant */",
	    c_comment(op->inst), op->impl->name);
	out(e, "if (++x->fired > x->maxf)");
	out(e, "\treturn 0;");
	out(e, "spec = prog.seeds[%d].value.u.a->items;", seed);
	out(e, "m = flow_map_init(&x->out%d, %zu, x->out%d_k, x->out%d_v);", k, spec->n, k, k);
	if (spec->n > PART && direct_table(e, k, opi, spec, ns))
		return;
	split_init(e, &sp, (int)spec->n, e->fns, xprintf("%s's result", c_comment(op->inst)), "int",
	    "struct fx *x, flow_map *m, const flow_val *spec",
	    "flow_arena *a = x->a;\n\tflow_vec tv = {0, 0, 0};\n\tsize_t k;\n\n\t(void)a, (void)tv, (void)k;",
	    "if (!part%d(x, m, spec))\n\t\treturn 0;");
	for (i = 0; i < spec->n; i++) {
		const flow_str *s = spec->items[i].u.s;
		int strict = !direct_listed(ns, s);
		split_unit(e, &sp);
		out(e, "/* %s */", c_comment(s->s));
		n = direct_sources(e, direct_def(e->g, s), src, one);
		if (n == 0) {
			if (strict)
				out(e, "return 0; /* never given: the orchestrator says why */");
			continue;
		}
		if (single)
			direct_single(e, (int)i, src, one, n, strict);
		else
			direct_multi(e, (int)i, src, one, n, strict);
	}
	split_end(e, &sp);
}

/* The output stage written straight into the result: one op's map, or
 * {instance: map} in stage order when there are several (as the
 * orchestrator assembles them).  The maps live in struct fx, in the
 * context's arena, which lasts until the line is written. */
static void
direct_results(Em *e, const int *seed)
{
	int i, nout = e->p->nstage[FLOW_STAGE_OUTPUT];

	if (nout > 1)
		out(e, "all = flow_map_init(&x->all, %d, x->all_k, x->all_v);", nout);
	for (i = 0; i < nout; i++) {
		int opi = e->p->stage_order[FLOW_STAGE_OUTPUT][i];
		direct_result(e, i, opi, seed[i]);
		if (nout > 1)
			out(e, "flow_map_append(all, flow_str_cstr(a, prog.ops[%d].instance), flow_mapv(m));",
			    opi);
	}
	out(e, "memset(r, 0, sizeof *r);");
	out(e, "r->ok = 1;");
	out(e, "r->results = flow_mapv(%s);", nout > 1 ? "all" : "m");
	out(e, "return 1;");
}

static void
fast_path(Em *e)
{
	const Plan *pl = e->plan;
	int *seed = xalloc(sizeof(int) * (size_t)(e->p->nstage[FLOW_STAGE_OUTPUT] + 1));
	int i, nrun, ncall, direct = direct_output(e, seed), net = !direct || fast_needs_net(e);
	char *body = NULL;
	size_t bodylen = 0;
	Split sp;

	e->direct = direct;
	e->dseed = seed;
	e->call = xalloc(sizeof(SchedStep *) * (size_t)(e->g->nops + 1));
	for (i = 0; pl->sched && i < pl->sched->n; i++)     /* an op's one call step */
		if (pl->sched->v[i].k == SC_CALL && pl->sched->v[i].op >= 0 && !e->call[pl->sched->v[i].op])
			e->call[pl->sched->v[i].op] = &pl->sched->v[i];
	e->cvi = xalloc(sizeof(int) * (size_t)(e->g->ndefs + 1));
	for (i = 0; i < e->g->ndefs; i++)
		e->cvi[i] = pl->viewed[i] && pl->def_ctx[i] ? e->ncv++ : -1;

	fast_struct(e);
	for (i = nrun = 0; i < pl->norder; i++)
		nrun += !pl->op_gone[pl->order[i]];
	if (nrun <= TEMPLATES) {
		fanned(e);
		map_trees(e);
	}
	if (nrun > TEMPLATES)
		fast_templates(e);
	for (i = 0; nrun <= TEMPLATES && i < pl->norder; i++)
		if (!pl->op_gone[pl->order[i]])
			fast_op(e, pl->order[i]);
	for (i = 0; i < e->p->nstage[FLOW_STAGE_CLEANUP]; i++)
		fast_stage_op(e, e->p->stage_order[FLOW_STAGE_CLEANUP][i]);
	for (i = 0; !direct && i < e->p->nstage[FLOW_STAGE_OUTPUT]; i++)
		fast_stage_op(e, e->p->stage_order[FLOW_STAGE_OUTPUT][i]);
	/* fast() goes to body; its split functions (Split) before it */
	e->fns = e->f;
	e->f = open_memstream(&body, &bodylen);
	if (!e->f)
		flow_die("out of memory");
	fprintf(e->f, "\n/* Returns 0 when the context must go to the orchestrator. */\n");
	fprintf(e->f, "static int\nfast(const flow_opts *o, flow_arena *a, const flow_cinput *in, int nin,\n"
	    "    flow_result *r)\n{\n");
	e->indent = 1;
	out(e, "struct fx *x;");
	out(e, "flow_net *n;");
	out(e, "size_t k;");
	out(e, "int rc = 0;");
	if (direct) {
		out(e, "const flow_val *spec;");
		out(e, "flow_vec tv = {0, 0, 0};");
		out(e, e->p->nstage[FLOW_STAGE_OUTPUT] > 1 ? "flow_map *m, *all;" : "flow_map *m;");
	}
	out(e, "");
	out(e, "(void)rc;");
	if (direct)
		out(e, "(void)tv;");
	out(e, "");
	out(e, "if (o->trace)");
	out(e, "\treturn 0; /* --trace shows the orchestrator's runs */");
	out(e, "x = flow_alloc(a, sizeof *x); /* every field is set below */");
	out(e, "memset(&x->oc, 0, sizeof x->oc);");
	out(e, "x->fired = 0;");
	out(e, "x->a = a;");
	out(e, "x->nin = nin;");
	out(e, "x->maxp = o->max_permutations > 0 ? (double)o->max_permutations :");
	out(e, "    (double)FLOW_DEFAULT_MAX_PERMUTATIONS;");
	out(e, "x->maxf = o->max_firings > 0 ? o->max_firings : FLOW_DEFAULT_MAX_FIRINGS;");
	fast_slots(e);
	fast_inputs(e);
	fast_seeds(e);
	out(e, net ? "x->n = n = flow_net_new(&prog, o, a);" : "x->n = n = NULL; /* no operation reads the network */");
	out(e, "x->oc.arena = a;");
	out(e, "x->oc.net = n;");
	if (nrun > TEMPLATES) {
		out(e, "for (k = 0; k < %d; k++) /* the processing operations (%d more folded or dead) */",
		    nrun, pl->norder - nrun);
		out(e, "\tif (!tpls[runs[k][0]](x, opargs + runs[k][1]))");
		out(e, "\t\treturn 0;");
	} else {
		for (i = ncall = 0; i < pl->norder; i++)
			ncall += !pl->op_gone[pl->order[i]] && e->fuse[pl->order[i]] < 0;
		split_init(e, &sp, ncall, e->fns, "processing", "int", "struct fx *x", "",
		    "if (!part%d(x))\n\t\treturn 0;");
	}
	for (i = 0; nrun <= TEMPLATES && i < pl->norder; i++) {
		const IrOp *op = &e->g->ops[pl->order[i]];
		int sl = op->nout ? pl->origin_slot[op->out[0].origin] : -1;
		if (!pl->op_gone[pl->order[i]] && e->fuse[pl->order[i]] >= 0) {
			out(e, "/* %s: in %s's map */", c_comment(op->inst),
			    c_comment(e->g->ops[e->fuse[pl->order[i]]].inst));
		} else if (!pl->op_gone[pl->order[i]]) {
			split_unit(e, &sp);
			out(e, "if (!op%d(x))\n\t\treturn 0;", pl->order[i]);
		} else {
			out(e, "/* %s: %s */", c_comment(op->inst), sl >= 0 && pl->slots[sl].has_const ?
			    "folded at compile time" : "dead (nothing reads it, and it cannot fail)");
		}
	}
	if (nrun <= TEMPLATES)
		split_end(e, &sp);
	/* A stage op returns 0 to hand the context to the orchestrator (a
	 * typed operation failed), -1 when the context ends in a failure the
	 * network recorded. */
	for (i = 0; i < e->p->nstage[FLOW_STAGE_CLEANUP]; i++)
		out(e, "if ((rc = op%d(x)) <= 0) {\n\t\tif (rc == 0)\n\t\t\treturn 0;\n\t\tgoto done;\n\t}",
		    e->p->stage_order[FLOW_STAGE_CLEANUP][i]);
	if (direct) {
		direct_results(e, seed);
	} else {
		fast_network(e);
		for (i = 0; i < e->p->nstage[FLOW_STAGE_OUTPUT]; i++)
			out(e, "if ((rc = op%d(x)) <= 0) {\n\t\tif (rc == 0)\n\t\t\treturn 0;\n\t\tgoto done;\n\t}",
			    e->p->stage_order[FLOW_STAGE_OUTPUT][i]);
		out(e, "goto done;");
		e->indent = 0;
		out(e, "done:");
		e->indent = 1;
		out(e, "flow_net_finish(n, r);");
		out(e, "return 1;");
	}
	e->indent = 0;
	out(e, "}");
	fclose(e->f);
	e->f = e->fns;
	fwrite(body, 1, bodylen, e->f);
	free(body);
	fast_run(e);
}

/* Write the program (see flowc.h). */
void
emit_c(const Graph *g, const flow_prog *p, const Plan *plan, const EmitOpts *o, FILE *f)
{
	Em e;
	int fast = o->opt >= 2 && plan && plan->ok;
	char *body = NULL, *parts = NULL;
	size_t bodylen = 0, partslen = 0;

	memset(&e, 0, sizeof e);
	e.f = f;
	e.g = g;
	e.p = p;
	e.plan = plan;
	e.o = o;
	e.user = ops_emitted(g, &e.nuser);
	gen_banner(f, "/*", o->source);
	fprintf(f, "/* Schedule: %s. */\n", fast ? "static (straight-line), dynamic fallback" :
	    plan && !plan->ok && o->opt >= 2 ? xprintf("dynamic orchestrator (%s)", c_comment_n(plan->why, 200)) :
	    "dynamic orchestrator");
	fprintf(f, "#include <string.h>\n#include \"flowrt.h\"\n#include \"flowops.h\"\n");
	/* The start-up code is written first: it decides the constants. */
	e.f = open_memstream(&body, &bodylen);
	e.fns = open_memstream(&parts, &partslen);
	if (!e.f || !e.fns)
		flow_die("out of memory");
	e.indent = 1;
	init_tables(&e, p, "");
	e.nsub = 0;
	fclose(e.f);
	fclose(e.fns);
	if (fast) {
		int i;
		e.slot_k = xalloc(sizeof(int) * (size_t)(plan->nslots + 1));
		for (i = 0; i < plan->nslots; i++)
			e.slot_k[i] = plan->slots[i].has_const ? konst(&e, plan->slots[i].konst) : -1;
	}
	e.f = f;
	e.indent = 0;
	fprintf(f, "\n/* ---- constants (seeds, defaults, configs) as JSON ---- */\n\n");
	fprintf(f, "static flow_val K[%d];\nstatic const char *const Kjson[] = {\n%s\t0\n};\n",
	    e.nk + 1, e.kjson.len ? e.kjson.p : "");
	if (o->user)
		ops_emit(g, o->user, f);
	tables(&e, p, "");
	if (fast)
		fast_path(&e);
	fwrite(parts, 1, partslen, f);
	free(parts);
	if (o->entry)
		fprintf(f, "\n/* ---- start-up ---- */\n\nconst flow_prog *%s(void);\n\n"
		    "const flow_prog *\n%s(void)\n{\n", o->entry, o->entry);
	else
		fprintf(f, "\n/* ---- start-up ---- */\n\nint\nmain(int argc, char **argv)\n{\n");
	fprintf(f, "\tstatic flow_arena perm;\n\tflow_jerr err;\n\tint i;\n\n");
	fprintf(f, "\tflow_arena_init(&perm);\n");
	fprintf(f, "\tfor (i = 0; i < %d; i++)\n", e.nk);
	fprintf(f, "\t\tif (flow_json_parse(&perm, Kjson[i], strlen(Kjson[i]), &K[i], &err) < 0)\n");
	fprintf(f, "\t\t\tflow_die(\"constant %%d: %%s\", i, err.text);\n");
	fwrite(body, 1, bodylen, f);
	free(body);
	if (o->sandbox >= 0)    /* seccomp once the input is open (runtime/sandbox.c) */
		fprintf(f, "\tflow_sandbox_request(%d); /* FLOW_CAP_* beyond the operations' */\n",
		    o->sandbox);
	if (!o->entry)          /* the flow's inputs and outputs (iface.c) */
		fprintf(f, "\tflow_help_text(%s);\n", c_literal(iface_help(g), strlen(iface_help(g))));
	if (o->entry)
		fprintf(f, "\treturn &prog;\n}\n");
	else
		fprintf(f, "\treturn flow_main(argc, argv, &prog, %s);\n}\n", fast ? "run" : "flow_orch_run");
	flow_buf_free(&e.kjson);
}

/* -S: the C to o->output ("-": standard output); else an executable
 * through the system C compiler (cc.c). */
static int
c_emit(DiagSink *d, const Graph *g, const flow_prog *p, const Plan *plan, const BuildOpts *o)
{
	EmitOpts eo;
	FILE *f;

	(void)d;
	memset(&eo, 0, sizeof eo);
	eo.opt = o->opt;
	eo.source = o->source;
	eo.user = o->user;
	eo.static_link = o->static_link;
	eo.sandbox = o->sandbox;
	if (!o->emit_only)
		return cc_build(g, p, plan, &eo, o->output, o->cc, o->cflags) == 0 ? 0 : 1;
	f = strcmp(o->output, "-") == 0 ? stdout : fopen(o->output, "w");
	if (!f) {
		fprintf(stderr, "flowc: %s: %s\n", o->output, strerror(errno));
		return 2;
	}
	emit_c(g, p, plan, &eo, f);
	if (f != stdout && fclose(f) != 0)
		return 2;
	return 0;
}

/* The C target: every checked flow can be built. */
const Backend backend_c = {
	.name = "c",
	.emit = c_emit,
};
