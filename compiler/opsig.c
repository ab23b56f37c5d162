/*
 * opsig.c: the C side of user operations: parse each --ops file with
 * libclang and check each operation's function against the convention
 * (userops.c has it in full).
 *
 * ops_load parses every file as the C compiler will see it (-std=c99,
 * -I for flowrt.h, and --cflags' -I -D -U -std=), turns the file's own
 * compile errors into flowc diagnostics at file:line:col, and keeps, for
 * each function definition named flowop_*, its name, return type and
 * parameters: their types as written and canonical (typedefs resolved,
 * so `long` and `int64_t` are the same type where int64_t is long).
 * The canonical spellings of the convention's types come from a small
 * reference file parsed with the same flags, so the comparison holds on
 * whatever platform flowc runs.  No libclang object outlives ops_load.
 *
 * ops_check then compares each user operation the flow uses with its
 * function: prototype, external linkage, int result, the parameter
 * count, and each parameter's canonical type; a mismatch is an error at
 * the parameter in the C file, with a note at the manifest node that
 * implies the expected type.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <clang-c/Index.h>
#include "flowc.h"

typedef struct Loader {
	DiagSink *d;
	const char *file;       /* as given */
	const char *text;       /* its contents, for columns in characters */
	size_t len;
	CXFile main;
	CXTranslationUnit tu;
	int reported;           /* the last clang diagnostic was reported */
	OpsFn *fns;
	int nfns, cap;
} Loader;

/* A copy of a libclang string, which is disposed. */
static const char *
str(CXString s)
{
	const char *c = clang_getCString(s);
	const char *r = xstrdup(c ? c : "");

	clang_disposeString(s);
	return r;
}

static const char *
spell(CXType t)
{
	return str(clang_getTypeSpelling(t));
}

static const char *
canon(CXType t)
{
	return spell(clang_getCanonicalType(t));
}

/* The canonical spelling of t without top-level qualifiers, which C
 * ignores in a parameter's type ("const long" is "long", "long *const"
 * is "long *"). */
static const char *
canon_param(CXType t)
{
	static const char *const quals[] = {"const ", "volatile ", "restrict "};
	const char *s;
	char *r;
	size_t i;

	t = clang_getCanonicalType(t);
	s = spell(t);
	if (t.kind == CXType_Pointer) {
		r = xstrdup(s);
		if (strrchr(r, '*'))
			*(strrchr(r, '*') + 1) = 0;
		return r;
	}
	for (i = 0; i < 3; i++)
		while (strncmp(s, quals[i], strlen(quals[i])) == 0)
			s += strlen(quals[i]);  /* clang writes const, volatile, restrict */
	return s;
}

/* 1-based column in characters of byte offset off in text. */
static int
char_col(const char *text, size_t len, size_t off)
{
	size_t i = off, start;
	int col = 1;

	if (off > len)
		return 0;
	while (i > 0 && text[i - 1] != '\n')
		i--;
	start = i;
	while (start < off) {
		int k = utf8_len(text + start, text + len);
		start += k > 0 ? (size_t)k : 1;
		col++;
	}
	return col;
}

/* Where loc is, as a flowc position (expansion location: a macro's use). */
static Pos
where(Loader *l, CXSourceLocation loc)
{
	CXFile f;
	unsigned line, col, off;
	Pos p = {l->file, 0, 0};

	clang_getExpansionLocation(loc, &f, &line, &col, &off);
	if (!f)
		return p;
	p.line = (int)line;
	p.col = (int)col;
	if (l->main && clang_File_isEqual(f, l->main))
		p.col = char_col(l->text, l->len, off);
	else
		p.file = str(clang_getFileName(f));
	return p;
}

/* ---- the compiler's own diagnostics ---------------------------------- */

/* Report one of clang's errors, with the notes about it.  Warnings are
 * left to the C compiler, which compiles the file afterwards. */
static void
report(Loader *l, CXDiagnostic dg)
{
	enum CXDiagnosticSeverity s = clang_getDiagnosticSeverity(dg);
	Pos p = where(l, clang_getDiagnosticLocation(dg));
	const char *msg = str(clang_getDiagnosticSpelling(dg));
	CXDiagnosticSet kids;
	unsigned i, n;

	if (s == CXDiagnostic_Note) {   /* about the diagnostic before it */
		if (l->reported)
			diag_note(l->d, p, "%s", msg);
		return;
	}
	if (!(l->reported = s >= CXDiagnostic_Error))
		return;
	diag_error(l->d, p, "%s", msg);
	kids = clang_getChildDiagnostics(dg);   /* owned by dg */
	n = clang_getNumDiagnosticsInSet(kids);
	for (i = 0; i < n; i++) {
		CXDiagnostic k = clang_getDiagnosticInSet(kids, i);
		report(l, k);
		clang_disposeDiagnostic(k);
	}
}

static void
report_all(Loader *l)
{
	unsigned i, n = clang_getNumDiagnostics(l->tu);

	l->reported = 0;
	for (i = 0; i < n; i++) {
		CXDiagnostic dg = clang_getDiagnostic(l->tu, i);
		report(l, dg);
		clang_disposeDiagnostic(dg);
	}
}

/* ---- collecting flowop_ functions ----------------------------------- */

static OpsFn *
new_fn(Loader *l)
{
	if (l->nfns == l->cap) {
		int cap = l->cap ? l->cap * 2 : 8;
		OpsFn *v = xalloc(sizeof(OpsFn) * (size_t)cap);
		if (l->nfns)
			memcpy(v, l->fns, sizeof(OpsFn) * (size_t)l->nfns);
		l->fns = v;
		l->cap = cap;
	}
	memset(&l->fns[l->nfns], 0, sizeof(OpsFn));
	return &l->fns[l->nfns++];
}

static void
collect(Loader *l, CXCursor c, const char *name)
{
	OpsFn *fn = new_fn(l);
	CXType ft = clang_getCursorType(c), rt = clang_getResultType(ft);
	int i, n;

	fn->name = name;
	fn->pos = where(l, clang_getCursorLocation(c));
	fn->retpos = where(l, clang_getRangeStart(clang_getCursorExtent(c)));
	fn->ret = spell(rt);
	fn->ret_canon = canon(rt);
	fn->proto = ft.kind == CXType_FunctionProto;
	fn->variadic = fn->proto && clang_isFunctionTypeVariadic(ft);
	fn->internal = clang_getCursorLinkage(c) == CXLinkage_Internal;
	n = clang_Cursor_getNumArguments(c);
	fn->nparam = n > 0 ? n : 0;
	fn->params = xalloc(sizeof(OpsParam) * (size_t)(fn->nparam + 1));
	for (i = 0; i < fn->nparam; i++) {
		CXCursor pc = clang_Cursor_getArgument(c, (unsigned)i);
		OpsParam *p = &fn->params[i];
		p->name = str(clang_getCursorSpelling(pc));
		p->type = spell(clang_getCursorType(pc));
		/* The function type's parameter (arrays adjusted to
		 * pointers), top-level qualifiers dropped as C does. */
		p->canon = canon_param(fn->proto ? clang_getArgType(ft, (unsigned)i) : clang_getCursorType(pc));
		p->pos = where(l, clang_getCursorLocation(pc));
	}
}

static enum CXChildVisitResult
visit(CXCursor c, CXCursor parent, CXClientData data)
{
	Loader *l = data;
	CXFile f;
	const char *name;

	(void)parent;
	if (clang_getCursorKind(c) != CXCursor_FunctionDecl || !clang_isCursorDefinition(c))
		return CXChildVisit_Continue;
	clang_getExpansionLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
	if (!f || !clang_File_isEqual(f, l->main))
		return CXChildVisit_Continue;
	name = str(clang_getCursorSpelling(c));
	if (strcmp(name, "main") == 0)
		diag_error(l->d, where(l, clang_getCursorLocation(c)), "an --ops file must not "
		    "define main: the flow's program has its own");
	else if (strncmp(name, "flowop_", 7) == 0)
		collect(l, c, name);
	return CXChildVisit_Continue;
}

/* ---- parsing ---------------------------------------------------------- */

/* Does cflags word w reach libclang (1), with its argument (2)? */
static int
wanted_flag(const char *w)
{
	static const char *const sep[] = {"-I", "-D", "-U", "-include", "-isystem", "-iquote", NULL};
	static const char *const joined[] = {"-I", "-D", "-U", "-std=", "-isystem", "-iquote", NULL};
	int i;

	for (i = 0; sep[i]; i++)
		if (strcmp(w, sep[i]) == 0)
			return 2;
	for (i = 0; joined[i]; i++)
		if (strncmp(w, joined[i], strlen(joined[i])) == 0)
			return 1;
	return 0;
}

/* The command line libclang parses with; NULL if flowrt.h is nowhere. */
static const char **
clang_args(const UserOps *u, int *n)
{
	int nw = 0, i, k;
	char **w = cc_words(u->cflags ? u->cflags : "", &nw);
	const char **v = xalloc(sizeof(char *) * (size_t)(nw + 6));
	Home h;

	if (cc_home(&h) < 0)
		return NULL;
	*n = 0;
	v[(*n)++] = "-xc";
	v[(*n)++] = "-std=c99";
	/* libclang's driver looks for a CUDA and a GCC installation on every
	 * parse: about 200 system calls, and it reads cuda.h (1 MB) for its
	 * version, a third of the time of a small file.  Neither changes a C
	 * parse on Debian (the GCC one adds a cross-compiler include
	 * directory that does not exist), so point both where there are
	 * none: an empty CUDA path, and flowrt.h's directory, which holds no
	 * lib/gcc.  The search list stays libclang's resource directory,
	 * /usr/local/include, the multiarch directory and /usr/include. */
	v[(*n)++] = "--cuda-path=";
	v[(*n)++] = xprintf("--gcc-toolchain=%s", h.include);
	for (i = 0; i < nw; i++) {
		if (!(k = wanted_flag(w[i])))
			continue;
		v[(*n)++] = w[i];
		if (k == 2 && i + 1 < nw)
			v[(*n)++] = w[++i];
	}
	v[(*n)++] = xprintf("-I%s", h.include);
	return v;
}

typedef struct Ref {
	CXFile file;
	const char *v[2 * OPS_NCTYPES + 2];
	int n;
} Ref;

static enum CXChildVisitResult
visit_ref(CXCursor c, CXCursor parent, CXClientData data)
{
	Ref *r = data;
	CXFile f;

	(void)parent;
	if (clang_getCursorKind(c) != CXCursor_VarDecl)
		return CXChildVisit_Continue;
	clang_getExpansionLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
	if (f && clang_File_isEqual(f, r->file) && r->n < 2 * OPS_NCTYPES + 2)
		r->v[r->n++] = canon(clang_getCursorType(c));
	return CXChildVisit_Continue;
}

/* The canonical spellings of the convention's types, from a reference
 * file parsed with the same flags.  Returns 0, or -1 after an error. */
static int
reference(DiagSink *d, CXIndex idx, const char *const *args, int nargs, UserOps *u)
{
	static const char name[] = "flowc-reference.c";
	flow_buf b = {0, 0, 0};
	struct CXUnsavedFile uf;
	CXTranslationUnit tu = NULL;
	Ref r;
	int o, t, k = 0, bad;
	unsigned i;

	flow_buf_puts(&b, "#include \"flowrt.h\"\n");
	for (o = 0; o < 2; o++)
		for (t = 0; t < OPS_NCTYPES; t++)
			flow_buf_printf(&b, "%s%sflowc_ref_%d;\n", ops_cspell((OpsCType)t, o),
			    t == OPS_STR || o ? "" : " ", k++);
	flow_buf_puts(&b, "flow_opctx *flowc_ref_ctx;\nint flowc_ref_int;\n");
	uf.Filename = name;
	uf.Contents = b.p;
	uf.Length = (unsigned long)b.len;
	bad = clang_parseTranslationUnit2(idx, name, args, nargs, &uf, 1,
	    CXTranslationUnit_None, &tu) != CXError_Success;
	flow_buf_free(&b);
	if (bad)
		diag_error(d, (Pos){NULL, 0, 0}, "libclang cannot parse the runtime header flowrt.h");
	for (i = 0; !bad && i < clang_getNumDiagnostics(tu); i++) {
		CXDiagnostic dg = clang_getDiagnostic(tu, i);
		if (clang_getDiagnosticSeverity(dg) >= CXDiagnostic_Error) {
			diag_error(d, (Pos){NULL, 0, 0}, "the runtime header flowrt.h does not "
			    "parse: %s", str(clang_getDiagnosticSpelling(dg)));
			bad = 1;
		}
		clang_disposeDiagnostic(dg);
	}
	if (!bad) {
		memset(&r, 0, sizeof r);
		r.file = clang_getFile(tu, name);
		clang_visitChildren(clang_getTranslationUnitCursor(tu), visit_ref, &r);
		if (r.n != 2 * OPS_NCTYPES + 2)
			flow_die("opsig.c: %d reference types, expected %d", r.n, 2 * OPS_NCTYPES + 2);
		for (k = 0; k < 2 * OPS_NCTYPES; k++)
			u->canon[k / OPS_NCTYPES][k % OPS_NCTYPES] = r.v[k];
		u->canon_ctx = r.v[k];
		u->canon_int = r.v[k + 1];
	}
	if (tu)
		clang_disposeTranslationUnit(tu);
	return bad ? -1 : 0;
}

/* The last reference result and the command line it was parsed with
 * (malloc'd, outliving cc_arena): a process that loads --ops files
 * again with the same flags (the fuzzer, once per input) parses
 * flowrt.h for them once. */
static struct {
	char *key;
	char *canon[2 * OPS_NCTYPES + 2];
} ref_cache;

static char *
args_key(const char *const *args, int nargs)
{
	flow_buf b = {0, 0, 0};
	int i;

	flow_buf_puts(&b, "");  /* allocated even with no arguments */
	for (i = 0; i < nargs; i++) {
		flow_buf_puts(&b, args[i]);
		flow_buf_puts(&b, "\n");
	}
	return b.p;     /* malloc'd by flow_buf */
}

/* reference() through ref_cache. */
static int
reference_cached(DiagSink *d, CXIndex idx, const char *const *args, int nargs, UserOps *u)
{
	char *key = args_key(args, nargs);
	const char **v[2 * OPS_NCTYPES + 2];
	int k;

	for (k = 0; k < 2 * OPS_NCTYPES; k++)
		v[k] = &u->canon[k / OPS_NCTYPES][k % OPS_NCTYPES];
	v[k] = &u->canon_ctx;
	v[k + 1] = &u->canon_int;
	if (ref_cache.key && strcmp(ref_cache.key, key) == 0) {
		for (k = 0; k < 2 * OPS_NCTYPES + 2; k++)
			*v[k] = ref_cache.canon[k];
		free(key);
		return 0;
	}
	if (reference(d, idx, args, nargs, u) < 0) {
		free(key);
		return -1;
	}
	free(ref_cache.key);
	ref_cache.key = key;
	for (k = 0; k < 2 * OPS_NCTYPES + 2; k++) {
		free(ref_cache.canon[k]);
		if (!(ref_cache.canon[k] = strdup(*v[k])))
			flow_die("out of memory");
	}
	return 0;
}

/* Parse one file into l; returns 0, or 1 after errors. */
static int
load_file(Loader *l, CXIndex idx, const char *const *args, int nargs)
{
	size_t len;
	char *text = strcmp(l->file, "-") == 0 ? NULL : read_file(l->file, &len);
	int before = l->d->nerrors;

	if (strcmp(l->file, "-") == 0) {
		diag_error(l->d, (Pos){NULL, 0, 0}, "--ops takes a file, not standard input");
		return 1;
	}
	if (!text) {
		diag_error(l->d, (Pos){l->file, 0, 0}, "cannot read this --ops file: %s", strerror(errno));
		return 1;
	}
	l->text = text;
	l->len = len;
	diag_source(l->file, text, len);
	if (clang_parseTranslationUnit2(idx, l->file, args, nargs, NULL, 0,
	    CXTranslationUnit_KeepGoing, &l->tu) != CXError_Success) {
		diag_error(l->d, (Pos){l->file, 0, 0}, "libclang cannot parse this file");
		return 1;
	}
	l->main = clang_getFile(l->tu, l->file);
	report_all(l);
	clang_visitChildren(clang_getTranslationUnitCursor(l->tu), visit, l);
	clang_disposeTranslationUnit(l->tu);
	l->tu = NULL;
	return l->d->nerrors > before;
}

/* A function defined in two files would not link. */
static void
duplicates(DiagSink *d, const OpsFn *v, int n)
{
	int i, j;

	for (i = 1; i < n; i++)
		for (j = 0; j < i; j++)
			if (strcmp(v[i].name, v[j].name) == 0) {
				diag_error(d, v[i].pos, "%s is defined twice", v[i].name);
				diag_note(d, v[j].pos, "first defined here");
				break;
			}
}

/* Load the --ops files (see flowc.h). */
int
ops_load(DiagSink *d, const char *const *files, int nfiles, UserOps *u)
{
	Loader l;
	CXIndex idx;
	const char **args;
	int nargs = 0, i, before = d->nerrors;

	memset(&l, 0, sizeof l);
	l.d = d;
	u->files = files;
	u->nfiles = nfiles;
	if (!(args = clang_args(u, &nargs))) {
		diag_error(d, (Pos){NULL, 0, 0}, "cannot find the runtime header flowrt.h "
		    "to parse --ops files with; set FLOWC_HOME");
		return 1;
	}
	idx = clang_createIndex(0, 0);
	if (reference_cached(d, idx, args, nargs, u) == 0)
		for (i = 0; i < nfiles; i++) {
			l.file = files[i];
			l.main = NULL;
			load_file(&l, idx, args, nargs);
		}
	clang_disposeIndex(idx);
	duplicates(d, l.fns, l.nfns);
	u->fns = l.fns;
	u->nfns = l.nfns;
	return d->nerrors > before;
}

/* ---- checking signatures against the convention ---------------------- */

static int
is_ident(const char *s)
{
	const char *p;

	if (!*s || (*s >= '0' && *s <= '9'))
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	return 1;
}

static flow_type
in_type(const Graph *g, const IrOp *op, int i)
{
	return op->decl_defs[i] >= 0 ? g->defs[op->decl_defs[i]].type : FLOW_T_ANY;
}

/* "int flowop_x(flow_opctx *ctx, int64_t a, int64_t *result)". */
static const char *
prototype(const Graph *g, const UserImpl *ui, const IrOp *op)
{
	flow_buf b = {0, 0, 0};
	const char *r;
	int i;

	flow_buf_printf(&b, "int %s(flow_opctx *ctx", ui->cname);
	for (i = 0; i < op->ndecl; i++) {
		const char *t = ops_cspell(ops_ctype(in_type(g, op, i)), 0);
		flow_buf_printf(&b, ", %s%s%s", t, t[strlen(t) - 1] == '*' ? "" : " ",
		    is_ident(op->decl_names[i]) ? op->decl_names[i] : xprintf("in%d", i + 1));
	}
	for (i = 0; i < op->nout; i++)
		flow_buf_printf(&b, ", %s%s", ops_cspell(ops_out_ctype(g, op, i), 1),
		    is_ident(op->out[i].name) ? op->out[i].name : xprintf("out%d", i + 1));
	flow_buf_putc(&b, ')');
	r = xstrndup(b.p, b.len);
	flow_buf_free(&b);
	return r;
}

static const char *
plural(int n)
{
	return n == 1 ? "" : "s";
}

/* "parameter 'b' of flowop_x" or "parameter 3 of flowop_x". */
static const char *
param_name(const OpsFn *fn, int k)
{
	if (fn->params[k].name[0])
		return xprintf("parameter '%s' of %s", fn->params[k].name, fn->name);
	return xprintf("parameter %d of %s", k + 1, fn->name);
}

/* Why input or output definition d is of C type: a note at d. */
static void
def_note(DiagSink *d, const Graph *g, int def)
{
	const IrDef *df;

	if (def < 0)
		return;
	df = &g->defs[def];
	if (df->primitive)
		diag_note(d, df->pos, "definition '%s' has primitive '%s' (%s)", df->name,
		    df->primitive, flow_type_name(df->type));
	else
		diag_note(d, df->pos, "definition '%s' has no primitive (any)", df->name);
}

/* The function's shape: prototype, linkage, result, parameter count.
 * Returns 0 when its parameters can be compared one by one. */
static int
check_shape(DiagSink *d, const Graph *g, const UserOps *u, const UserImpl *ui, const IrOp *op)
{
	const OpsFn *fn = ui->fn;
	int want = 1 + op->ndecl + op->nout;

	if (fn->internal)
		diag_error(d, fn->pos, "%s is static, but the flow's generated code calls it "
		    "from another file", fn->name);
	if (strcmp(fn->ret_canon, u->canon_int) != 0)
		diag_error(d, fn->retpos, "%s returns '%s'; the function of an operation "
		    "returns int (0, 1 for no output, or flow_fail's result)", fn->name, fn->ret);
	if (!fn->proto || fn->variadic || fn->nparam != want) {
		if (!fn->proto)
			diag_error(d, fn->pos, "%s has no prototype; operation '%s' needs %d "
			    "parameter%s", fn->name, op->opname, want, plural(want));
		else
			diag_error(d, fn->pos, "%s takes %d parameter%s%s, but operation '%s' "
			    "needs %d: the context, %d input%s and %d output%s", fn->name,
			    fn->nparam, plural(fn->nparam), fn->variadic ? " and '...'" : "",
			    op->opname, want, op->ndecl, plural(op->ndecl), op->nout, plural(op->nout));
		diag_note(d, op->namepos, "instance '%s' of '%s' needs: %s", op->inst, op->opname,
		    prototype(g, ui, op));
		return -1;
	}
	return 0;
}

static void
check_param(DiagSink *d, const UserImpl *ui, int k, const char *canon_want,
    const char *want, const char *what)
{
	const OpsParam *p = &ui->fn->params[k];

	if (strcmp(p->canon, canon_want) == 0)
		return;
	diag_error(d, p->pos, "%s is '%s', but %s needs '%s'", param_name(ui->fn, k),
	    p->type, what, want);
}

/* The function against the convention for op (see the file comment). */
static void
check_sig(DiagSink *d, const Graph *g, const UserOps *u, const UserImpl *ui, const IrOp *op)
{
	int i, before;

	if (check_shape(d, g, u, ui, op) < 0)
		return;
	check_param(d, ui, 0, u->canon_ctx, "flow_opctx *", "an operation's first parameter");
	for (i = 0; i < op->ndecl; i++) {
		OpsCType c = ops_ctype(in_type(g, op, i));
		before = d->nerrors;
		check_param(d, ui, 1 + i, u->canon[0][c], ops_cspell(c, 0), xprintf("input '%s' "
		    "of operation '%s'", op->decl_names[i], op->opname));
		if (d->nerrors > before)
			def_note(d, g, op->decl_defs[i]);
	}
	for (i = 0; i < op->nout; i++) {
		OpsCType c = ops_out_ctype(g, op, i);
		before = d->nerrors;
		check_param(d, ui, 1 + op->ndecl + i, u->canon[1][c], ops_cspell(c, 1),
		    xprintf("output '%s' of operation '%s'", op->out[i].name, op->opname));
		if (d->nerrors == before)
			continue;
		if (op->out[i].expand)
			diag_note(d, op->out[i].pos, "output '%s' is expanded: the function "
			    "returns the whole array, map or string", op->out[i].name);
		else
			def_note(d, g, op->out[i].def);
	}
}

/* Does op declare the same inputs and outputs as ui's first instance? */
static int
same_shape(const Graph *g, const UserImpl *ui, const IrOp *op)
{
	const IrOp *f = ui->first;
	int i;

	if (op->ndecl != f->ndecl || op->nout != f->nout)
		return 0;
	for (i = 0; i < op->ndecl; i++)
		if (strcmp(op->decl_names[i], f->decl_names[i]) != 0 ||
		    in_type(g, op, i) != in_type(g, f, i))
			return 0;
	for (i = 0; i < op->nout; i++)
		if (strcmp(op->out[i].name, f->out[i].name) != 0 ||
		    op->out[i].expand != f->out[i].expand ||
		    ops_out_ctype(g, op, i) != ops_out_ctype(g, f, i) || (op->out[i].def >= 0) != (f->out[i].def >= 0) ||
		    (f->out[i].def >= 0 && g->defs[op->out[i].def].type != g->defs[f->out[i].def].type))
			return 0;
	return 1;
}

/* The first instance decides the implementation's types. */
static void
complete(const Graph *g, UserImpl *ui, const IrOp *op)
{
	int i;

	ui->first = op;
	for (i = 0; i < op->ndecl && i < ui->im.nparam; i++)
		ui->types[i] = in_type(g, op, i);
	ui->im.out_type = FLOW_T_ANY;
	if (op->nout == 1 && !op->out[0].expand && op->out[0].def >= 0)
		ui->im.out_type = g->defs[op->out[0].def].type;
}

/* Check the user operations of g (see flowc.h).  The implementations
 * are ops_bind's, so completing them here is allowed. */
int
ops_check(DiagSink *d, const Graph *g, const UserOps *u)
{
	int i, before = d->nerrors;

	for (i = 0; i < g->nops; i++) {
		const IrOp *op = &g->ops[i];
		UserImpl *ui = (UserImpl *)op->impl;
		if (!op->user || !ui || !ui->fn)
			continue;
		if (!ui->first) {
			complete(g, ui, op);
			check_sig(d, g, u, ui, op);
		} else if (!same_shape(g, ui, op)) {
			diag_error(d, op->pos, "instance '%s' declares operation '%s' with other "
			    "inputs or outputs than instance '%s' does; one C function, %s, "
			    "cannot serve both", op->inst, op->opname, ui->first->inst, ui->cname);
			diag_note(d, ui->first->pos, "instance '%s' is declared here", ui->first->inst);
		}
	}
	return d->nerrors > before;
}
