/*
 * userops.c: user operations written in C, on the manifest's side.
 *
 * The convention (man/flowc.1):
 *
 * - The C function for an operation whose `name` is N is `flowop_`
 *   followed by N with every character outside [A-Za-z0-9_] replaced by
 *   `_` (e.g. `ops:fn` -> `flowop_ops_fn`).  Two operation names mapping
 *   to the same C name is an error.
 * - Signature: `int flowop_N(flow_opctx *ctx, T1 in1, ..., R1 *out1,
 *   ...)`: one parameter per declared input, in the order of the
 *   operation's `inputs` mapping in the manifest, then one pointer per
 *   declared output, in `outputs` order.  Types from each definition's
 *   primitive as flowc normalizes it (types.c): int -> int64_t, float ->
 *   double (an int value is converted), bool -> int, str -> const
 *   flow_str *, array/map/anything else -> flow_val (boxed, see
 *   flowrt.h).  Outputs: int64_t *, double *, int *, const flow_str **,
 *   flow_val *.  An output listed in the operation's `expand` is always a
 *   flow_val * (the array, map or string whose elements become inputs).
 * - Return 0 (outputs set), 1 (no output, like Python returning None),
 *   or the result of flow_fail(ctx, "message") for a failure.  Results
 *   are allocated with ctx->arena (flow_str_new etc.).
 *
 * Here: the name mangling, ops_bind (the checker's implementations, one
 * per user operation name of the manifest), and ops_emit, which writes
 * for each user operation a boxed wrapper (flow_opfn) that checks each
 * argument's kind against its input's type, converts ints for float
 * inputs, calls the user's function and boxes its outputs (one output:
 * the value; several: a map keyed by output name, as the orchestrator
 * expects when flow_impl.out is NULL), and the flow_impl that names it.
 * For `flowc run --ops`, ops_shared compiles the same wrappers with the
 * user's files into a shared object and loads it, so the interpreter
 * calls the same code; the object's references to the runtime resolve
 * against flowc itself, which exports its runtime and only that
 * (compiler/flowc.dynlist), so the user's own functions stay theirs.
 * opsig.c parses the C files and checks the signatures.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "flowc.h"


/* The C name of operation name N (see the convention). */
const char *
ops_mangle(const char *name)
{
	size_t n = strlen(name), i = 0, j = 0;
	const char *end = name + n;
	char *r = xalloc(n + 8);

	memcpy(r, "flowop_", 7);
	j = 7;
	while (i < n) {
		unsigned char c = (unsigned char)name[i];
		int k = utf8_len(name + i, end);
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_')
			r[j++] = (char)c;
		else
			r[j++] = '_';
		i += k > 0 ? (size_t)k : 1;
	}
	r[j] = 0;
	return r;
}

/* The C type of a definition of type t. */
OpsCType
ops_ctype(flow_type t)
{
	switch (t) {
	case FLOW_T_INT: return OPS_I64;
	case FLOW_T_FLOAT: return OPS_DOUBLE;
	case FLOW_T_BOOL: return OPS_BOOL;
	case FLOW_T_STR: return OPS_STR;
	default: return OPS_VAL;
	}
}

/* The spelling of C type c as an input, or as an output pointer. */
const char *
ops_cspell(OpsCType c, int out)
{
	static const char *const in[] = {"int64_t", "double", "int", "const flow_str *", "flow_val"};
	static const char *const ptr[] = {"int64_t *", "double *", "int *", "const flow_str **",
	    "flow_val *"};

	return out ? ptr[c] : in[c];
}

/* ---- binding manifest names to C functions ------------------------- */

static const OpsFn *
find_fn(const UserOps *u, const char *cname)
{
	int i;

	for (i = 0; i < u->nfns; i++)
		if (strcmp(u->fns[i].name, cname) == 0)
			return &u->fns[i];
	return NULL;
}

static const char *
ref_name(const AstRef *r)
{
	if (r->inline_def && r->inline_def->name)
		return r->inline_def->name;
	return r->def ? r->def : "";
}

/* The checker's implementation for the operations named like a. */
static UserImpl *
new_impl(const AstOp *a, const char *cname, const OpsFn *fn)
{
	UserImpl *ui = xalloc(sizeof *ui);
	const char **params = xalloc(sizeof(char *) * (size_t)(a->ninputs + 1));
	const char **defs = xalloc(sizeof(char *) * (size_t)(a->ninputs + 1));
	int i;

	ui->types = xalloc(sizeof(flow_type) * (size_t)(a->ninputs + 1));
	for (i = 0; i < a->ninputs; i++) {
		params[i] = a->inputs[i].key;
		defs[i] = ref_name(&a->inputs[i]);
		ui->types[i] = FLOW_T_ANY;
	}
	ui->im.name = a->name;
	ui->im.kind = FLOW_IMPL_PURE;
	ui->im.nparam = a->ninputs;
	ui->im.params = params;
	ui->im.param_defs = defs;
	ui->im.param_types = ui->types;
	ui->im.out = a->noutputs == 1 ? a->outputs[0].key : NULL;
	ui->im.out_def = a->noutputs == 1 ? ref_name(&a->outputs[0]) : NULL;
	ui->im.out_type = FLOW_T_ANY;
	ui->im.fails = FLOW_FAILS_DOMAIN | FLOW_FAILS_TYPE;    /* the user's code may */
	ui->cname = cname;
	ui->fn = fn;
	return ui;
}

static const char **
fn_names(const UserOps *u)
{
	const char **v = xalloc(sizeof(char *) * (size_t)(u->nfns + 1));
	int i;

	for (i = 0; i < u->nfns; i++)
		v[i] = u->fns[i].name;
	return v;
}

static const char **
catalogue_names(void)
{
	const char **v = xalloc(sizeof(char *) * (size_t)(flow_stdlib_count + 1));
	int i;

	for (i = 0; i < flow_stdlib_count; i++)
		v[i] = flow_stdlib[i].name;
	return v;
}

static void
no_function(DiagSink *d, const AstOp *a, const char *cname, const UserOps *u)
{
	const char *near = closest_name(cname, fn_names(u), u->nfns);
	const char *cat = closest_name(a->name, catalogue_names(), flow_stdlib_count);

	diag_error(d, a->namepos, "no function %s in --ops files for operation '%s'%s%s%s",
	    cname, a->name, near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
	if (cat)
		diag_note(d, a->namepos, "'%s' is not a standard operation either; did you "
		    "mean '%s'?", a->name, cat);
}

/* A flowop_ function named like a catalogue operation the flow uses is
 * never called: say so. */
static void
shadowed(DiagSink *d, const AstOp *a, const UserOps *u)
{
	const OpsFn *fn = find_fn(u, ops_mangle(a->name));

	if (!fn)
		return;
	diag_warning(d, fn->pos, "%s is not used: operation '%s' is the standard "
	    "operation of that name", fn->name, a->name);
	diag_note(d, a->namepos, "'%s' is named here", a->name);
}

/* Bind m's operation names (see flowc.h). */
int
ops_bind(DiagSink *d, const Manifest *m, UserOps *u)
{
	const AstOp **firsts = xalloc(sizeof(AstOp *) * (size_t)(m->nops + 1));
	const char **cnames = xalloc(sizeof(char *) * (size_t)(m->nops + 1));
	int i, j, n = 0, before = d->nerrors;

	u->impls = xalloc(sizeof(flow_impl *) * (size_t)(m->nops + 1));
	u->n = 0;
	for (i = 0; i < m->nops; i++) {
		const AstOp *a = &m->ops[i];
		if (!a->name)
			continue;
		for (j = 0; j < n; j++)
			if (strcmp(firsts[j]->name, a->name) == 0)
				break;
		if (j < n)
			continue;
		if (flow_stdlib_find(a->name)) {
			firsts[n] = a;
			cnames[n++] = NULL;
			shadowed(d, a, u);
			continue;
		}
		firsts[n] = a;
		cnames[n] = ops_mangle(a->name);
		for (j = 0; j < n; j++)
			if (cnames[j] && strcmp(cnames[j], cnames[n]) == 0)
				break;
		if (j < n) {
			diag_error(d, a->namepos, "operations '%s' and '%s' both need the C "
			    "function %s", firsts[j]->name, a->name, cnames[n]);
			diag_note(d, firsts[j]->namepos, "'%s' is named here", firsts[j]->name);
		} else if (!find_fn(u, cnames[n]) && !u->stubs)
			no_function(d, a, cnames[n], u);
		u->impls[u->n++] = &new_impl(a, cnames[n], find_fn(u, cnames[n]))->im;
		n++;
	}
	return d->nerrors > before;
}

/* ---- emitting the wrappers ------------------------------------------- */



/* The user operations of g that are emitted, in first-use order. */
static int
emitted(const Graph *g, const UserImpl **v)
{
	int i, k, n = 0;

	for (i = 0; i < g->nops; i++) {
		const IrOp *op = &g->ops[i];
		if (!op->user || !op->impl)
			continue;
		for (k = 0; k < n; k++)
			if (&v[k]->im == op->impl)
				break;
		if (k == n)
			v[n++] = (const UserImpl *)op->impl;
	}
	return n;
}

/* See flowc.h. */
const UserImpl **
ops_emitted(const Graph *g, int *n)
{
	const UserImpl **v = xalloc(sizeof(UserImpl *) * (size_t)(g->nops + 1));

	*n = emitted(g, v);
	return v;
}

/* What a value of type t must be, for messages ("an integer"). */
static const char *
want(flow_type t)
{
	switch (t) {
	case FLOW_T_NULL: return "null";
	case FLOW_T_BOOL: return "a bool";
	case FLOW_T_INT: return "an integer";
	case FLOW_T_FLOAT: return "a number";
	case FLOW_T_STR: return "a string";
	case FLOW_T_ARRAY: return "an array";
	case FLOW_T_MAP: return "a map";
	default: return "anything";
	}
}

static const char *const type_const[] = {
	"FLOW_T_ANY", "FLOW_T_NULL", "FLOW_T_BOOL", "FLOW_T_INT", "FLOW_T_FLOAT",
	"FLOW_T_STR", "FLOW_T_ARRAY", "FLOW_T_MAP"
};

/* The argument expression for input i of type t. */
static const char *
arg_expr(int i, flow_type t)
{
	switch (ops_ctype(t)) {
	case OPS_I64: return xprintf("args[%d].u.i", i);
	case OPS_DOUBLE: return xprintf("(args[%d].kind == FLOW_INT ? (double)args[%d].u.i : "
	    "args[%d].u.f)", i, i, i);
	case OPS_BOOL: return xprintf("args[%d].u.b", i);
	case OPS_STR: return xprintf("args[%d].u.s", i);
	default: return xprintf("args[%d]", i);
	}
}

/* The C type of output j of op (see flowc.h). */
OpsCType
ops_out_ctype(const Graph *g, const IrOp *op, int j)
{
	if (op->out[j].expand || op->out[j].def < 0)
		return OPS_VAL;
	return ops_ctype(g->defs[op->out[j].def].type);
}

/* The boxed value of output j (held in local oj). */
static const char *
boxed(OpsCType c, int j)
{
	switch (c) {
	case OPS_I64: return xprintf("flow_int(o%d)", j);
	case OPS_DOUBLE: return xprintf("flow_float(o%d)", j);
	case OPS_BOOL: return xprintf("flow_bool(o%d)", j);
	case OPS_STR: return xprintf("flow_strv(o%d)", j);
	default: return xprintf("o%d", j);
	}
}

static void
emit_decl(const Graph *g, const UserImpl *ui, FILE *f)
{
	const IrOp *op = ui->first;
	int i;

	fprintf(f, "int %s(flow_opctx *", ui->cname);
	for (i = 0; i < ui->im.nparam; i++)
		fprintf(f, ", %s", ops_cspell(ops_ctype(ui->types[i]), 0));
	for (i = 0; i < op->nout; i++)
		fprintf(f, ", %s", ops_cspell(ops_out_ctype(g, op, i), 1));
	fprintf(f, ");\n");
}

/* Kind checks of the arguments. */
static void
emit_arg_checks(const UserImpl *ui, FILE *f)
{
	int i;

	for (i = 0; i < ui->im.nparam; i++) {
		flow_type t = ui->types[i];
		if (t == FLOW_T_ANY)
			continue;
		fprintf(f, "\tif (!flow_type_accepts(%s, args[%d].kind))\n", type_const[t], i);
		fprintf(f, "\t\treturn flow_fail(c, \"%%s must be %%s, not %%s\", %s, %s,\n"
		    "\t\t    flow_kind_name(args[%d].kind));\n", c_literal(ui->im.params[i], strlen(ui->im.params[i])), c_literal(want(t), strlen(want(t))), i);
	}
}

/* After the call: outputs the user left unset or of the wrong kind. */
static void
emit_out_checks(const Graph *g, const UserImpl *ui, FILE *f)
{
	const IrOp *op = ui->first;
	int j;

	for (j = 0; j < op->nout; j++) {
		OpsCType c = ops_out_ctype(g, op, j);
		flow_type t = op->out[j].def >= 0 && !op->out[j].expand ?
		    g->defs[op->out[j].def].type : FLOW_T_ANY;
		if (c == OPS_STR)
			fprintf(f, "\tif (!o%d)\n", j);
		else if (c == OPS_VAL)
			fprintf(f, "\tif ((unsigned)o%d.kind > FLOW_MAP)\n", j);
		else
			continue;
		fprintf(f, "\t\treturn flow_fail(c, \"%%s returned 0 without setting output %%s\",\n"
		    "\t\t    %s, %s);\n", c_literal(ui->cname, strlen(ui->cname)), c_literal(op->out[j].name, strlen(op->out[j].name)));
		if (c != OPS_VAL || t == FLOW_T_ANY)
			continue;
		fprintf(f, "\tif (!flow_type_accepts(%s, o%d.kind))\n", type_const[t], j);
		fprintf(f, "\t\treturn flow_fail(c, \"output %%s must be %%s, not %%s\", %s, %s,\n"
		    "\t\t    flow_kind_name(o%d.kind));\n", c_literal(op->out[j].name, strlen(op->out[j].name)), c_literal(want(t), strlen(want(t))), j);
	}
}

static void
emit_results(const Graph *g, const UserImpl *ui, FILE *f)
{
	const IrOp *op = ui->first;
	int j;

	if (op->nout == 0) {
		fprintf(f, "\t(void)out;\n\treturn 1;\n");
		return;
	}
	if (op->nout == 1) {
		fprintf(f, "\t*out = %s;\n\treturn 0;\n", boxed(ops_out_ctype(g, op, 0), 0));
		return;
	}
	fprintf(f, "\tm = flow_map_new(c->arena, %d);\n", op->nout);
	for (j = 0; j < op->nout; j++)
		fprintf(f, "\tflow_map_put(m, flow_str_cstr(c->arena, %s), %s);\n",
		    c_literal(op->out[j].name, strlen(op->out[j].name)), boxed(ops_out_ctype(g, op, j), j));
	fprintf(f, "\t*out = flow_mapv(m);\n\treturn 0;\n");
}

/* The wrapper userop_<k>: a flow_opfn around the user's function. */
static void
emit_wrapper(const Graph *g, const UserImpl *ui, int k, FILE *f)
{
	static const char *const init[] = {"0", "0", "0", "NULL", "{(flow_kind)(FLOW_MAP + 1), {0}}"};
	const IrOp *op = ui->first;
	int i, j;

	fprintf(f, "\nstatic int\nuserop_%d(flow_opctx *c, const flow_val *args, flow_val *out)\n{\n", k);
	for (j = 0; j < op->nout; j++) {
		OpsCType oc = ops_out_ctype(g, op, j);
		fprintf(f, "\t%s%so%d = %s;\n", ops_cspell(oc, 0), oc == OPS_STR ? "" : " ", j, init[oc]);
	}
	if (op->nout > 1)
		fprintf(f, "\tflow_map *m;\n");
	fprintf(f, "\tint rc;\n\n");
	if (ui->im.nparam == 0)
		fprintf(f, "\t(void)args;\n");
	emit_arg_checks(ui, f);
	fprintf(f, "\trc = %s(c", ui->cname);
	for (i = 0; i < ui->im.nparam; i++)
		fprintf(f, ",\n\t    %s", arg_expr(i, ui->types[i]));
	for (j = 0; j < op->nout; j++)
		fprintf(f, "%s&o%d", j == 0 ? ",\n\t    " : ", ", j);
	fprintf(f, ");\n");
	fprintf(f, "\tif (rc < 0)\n\t\treturn -1;\n\tif (rc == 1)\n\t\treturn 1;\n");
	fprintf(f, "\tif (rc != 0)\n\t\treturn flow_fail(c, \"%%s returned %%d, not 0, 1 or "
	    "flow_fail's result\",\n\t\t    %s, rc);\n", c_literal(ui->cname, strlen(ui->cname)));
	emit_out_checks(g, ui, f);
	emit_results(g, ui, f);
	fprintf(f, "}\n");
}

static const char *
str_array(const char *const *v, int n)
{
	flow_buf b = {0, 0, 0};
	const char *r;
	int i;

	for (i = 0; i < n; i++)
		flow_buf_printf(&b, "%s%s", i ? ", " : "", c_literal(v[i], strlen(v[i])));
	r = xstrndup(b.p ? b.p : "", b.len);
	flow_buf_free(&b);
	return r;
}

/* The table entry userop_impl_<k>. */
static void
emit_impl(const UserImpl *ui, int k, FILE *f)
{
	const flow_impl *im = &ui->im;
	int i, n = im->nparam;

	if (n > 0) {
		fprintf(f, "static const char *const userop_%d_params[] = {%s};\n", k,
		    str_array(im->params, n));
		fprintf(f, "static const char *const userop_%d_defs[] = {%s};\n", k,
		    str_array(im->param_defs, n));
		fprintf(f, "static const flow_type userop_%d_types[] = {", k);
		for (i = 0; i < n; i++)
			fprintf(f, "%s%s", i ? ", " : "", type_const[ui->types[i]]);
		fprintf(f, "};\n");
	}
	fprintf(f, "static const flow_impl userop_impl_%d = {\n", k);
	fprintf(f, "\t%s, NULL, FLOW_IMPL_PURE, %d,\n", c_literal(im->name, strlen(im->name)), n);
	if (n > 0)
		fprintf(f, "\tuserop_%d_params, userop_%d_defs, userop_%d_types,\n", k, k, k);
	else
		fprintf(f, "\tNULL, NULL, NULL,\n");
	fprintf(f, "\t%s, %s, %s,\n", im->out ? c_literal(im->out, strlen(im->out)) : "NULL",
	    im->out_def ? c_literal(im->out_def, strlen(im->out_def)) : "NULL", type_const[im->out_type]);
	fprintf(f, "\tNULL, userop_%d, NULL, 0, NULL, %d,\n", k, im->caps);
	fprintf(f, "\tFLOW_FAILS_DOMAIN | FLOW_FAILS_TYPE, FLOW_ROLE_ORDINARY, NULL, NULL, 0,\n\tFLOW_FORM_NONE\n};\n");
}

/* Write the wrappers and table entries (see flowc.h). */
void
ops_emit(const Graph *g, const UserOps *u, FILE *f)
{
	const UserImpl **v = xalloc(sizeof(UserImpl *) * (size_t)(g->nops + 1));
	int k, n = emitted(g, v);

	(void)u;
	if (n == 0)
		return;
	fprintf(f, "\n/* ---- user operations (--ops): the C functions and their "
	    "boxed wrappers ---- */\n\n");
	for (k = 0; k < n; k++) {
		const IrOp *op = v[k]->first;
		fprintf(f, "/* %s: %s:%d:%d */\n", c_comment(v[k]->im.name), c_comment(op->namepos.file ?
		    op->namepos.file : ""), op->namepos.line, op->namepos.col);
		emit_decl(g, v[k], f);
	}
	for (k = 0; k < n; k++) {
		emit_wrapper(g, v[k], k, f);
		emit_impl(v[k], k, f);
	}
}

/* ---- flowc run --ops: the wrappers as a shared object ----------------- */

/* Write the wrappers of g and a table of their entries, in the order
 * ops_emit numbers them, to path.  Returns the number of entries, or -1. */
static int
write_shared_source(const Graph *g, const UserOps *u, const char *path)
{
	const UserImpl **v = xalloc(sizeof(UserImpl *) * (size_t)(g->nops + 1));
	int k, n = emitted(g, v);
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f, "/* Generated by flowc %s: the user operations of %s for flowc run. */\n",
	    FLOW_VERSION, c_comment(g->file ? g->file : "-"));
	fprintf(f, "#include \"flowrt.h\"\n");
	ops_emit(g, u, f);
	fprintf(f, "\nconst flow_impl *const flowc_userops[] = {\n");
	for (k = 0; k < n; k++)
		fprintf(f, "\t&userop_impl_%d,\n", k);
	fprintf(f, "\t0\n};\n");
	return fclose(f) == 0 ? n : -1;
}

/* The compiler's command line for the shared object. */
static char **
shared_argv(const UserOps *u, const char *cc, const char *cflags, const char *inc,
    const char *src, const char *so)
{
	int nw, nf, i, k = 0;
	char **w = cc_words(cc && *cc ? cc : "cc", &nw);
	char **fl = cc_words(cflags && *cflags ? cflags : "-O2", &nf);
	char **argv = xalloc(sizeof(char *) * (size_t)(nw + nf + u->nfiles + 12));

	for (i = 0; i < nw; i++)
		argv[k++] = w[i];
	argv[k++] = "-std=c99";
	for (i = 0; i < nf; i++)
		argv[k++] = fl[i];
	argv[k++] = "-shared";
	argv[k++] = "-fPIC";
	argv[k++] = xprintf("-I%s", inc);
	argv[k++] = "-o";
	argv[k++] = (char *)so;
	argv[k++] = (char *)src;
	for (i = 0; i < u->nfiles; i++)
		argv[k++] = u->files[i][0] == '-' ? xprintf("./%s", u->files[i]) : (char *)u->files[i];
	argv[k++] = "-lm";
	argv[k] = NULL;
	return nw > 0 ? argv : NULL;
}

/* Load so and point each user implementation of g at its wrapper. */
static int
attach(const Graph *g, const char *so, int n)
{
	const UserImpl **v = xalloc(sizeof(UserImpl *) * (size_t)(g->nops + 1));
	void *h = dlopen(so, RTLD_NOW | RTLD_LOCAL);
	const flow_impl *const *tab;
	int k;

	if (!h) {
		fprintf(stderr, "flowc: cannot load the user operations: %s\n", dlerror());
		return -1;
	}
	if (!(tab = (const flow_impl *const *)dlsym(h, "flowc_userops"))) {
		fprintf(stderr, "flowc: %s has no table of user operations\n", so);
		return -1;
	}
	if (emitted(g, v) != n)
		flow_die("ops_shared: the user operations changed");
	for (k = 0; k < n; k++)
		((UserImpl *)v[k])->im.fn = tab[k]->fn;  /* ops_bind's: ours to complete */
	return 0;
}

/* See flowc.h. */
int
ops_shared(const Graph *g, const UserOps *u, const char *cc, const char *cflags)
{
	char dir[] = "/tmp/flowc.XXXXXX";
	const char *src, *so;
	char **argv;
	int n, rc = -1;
	Home h;

	if (cc_home(&h) < 0)
		return -1;
	if (!cflags || !*cflags)
		cflags = getenv("FLOWC_CFLAGS");       /* as cc_build does */
	if (!mkdtemp(dir)) {
		fprintf(stderr, "flowc: cannot make a temporary directory: %s\n", strerror(errno));
		return -1;
	}
	src = xprintf("%s/userops.c", dir);
	so = xprintf("%s/userops.so", dir);
	if ((n = write_shared_source(g, u, src)) < 0)
		fprintf(stderr, "flowc: %s: write error\n", src);
	else if (!(argv = shared_argv(u, cc, cflags, h.include, src, so)) || cc_run(argv) != 0)
		fprintf(stderr, "flowc: the C compiler failed on the --ops files\n");
	else
		rc = attach(g, so, n);
	unlink(so);             /* a loaded object stays mapped */
	unlink(src);
	rmdir(dir);
	return rc;
}
