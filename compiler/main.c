/*
 * main.c: the flowc driver.  It reads like the pipeline:
 *
 *   load the manifest (+ overlays) -> read it as a dataflow -> check and
 *   resolve into the graph IR -> passes -> interpret, emit C, emit HLS C,
 *   or draw.
 *
 * Each command is a function below; options common to every command
 * (--overlay, --diagnostics-format, -d) are parsed once.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>
#include "flowc.h"

typedef struct Opts {
	const char *cmd;
	const char **flows;
	int nflows;
	const char **overlays;
	int noverlays;
	int json_diags;
	const char *color;      /* --diagnostics-color */
	int dump_ir;
	const char *inputs;
	const char *output;
	const char *format;
	int opt;                /* -O0 / -O2 */
	int emit_only;          /* -S */
	const char *cc, *cflags;
	const char *target;
	const char **ops;       /* --ops FILE.c */
	int nops;
	int runs;               /* bench --runs */
	int callgrind;          /* bench --callgrind */
	int needs;              /* check --needs */
	const char *svg;        /* bench --svg */
	const char *hls_vendor; /* --hls-vendor */
	int max_values;         /* --max-values */
	int max_string;         /* --max-string-bytes */
	int static_link;        /* build --static */
	int sandbox;            /* build --sandbox: extra FLOW_CAP_* bits, -1 off */
	int schema;             /* schema: 1 --input, 2 --output, 0 both */
	flow_opts run;
} Opts;

static const char usage_text[] =
    "usage: flowc COMMAND [options] FLOW\n"
    "\n"
    "commands:\n"
    "  check FLOW...               type-check; diagnostics only\n"
    "  run FLOW [-i INPUTS]        interpret the flow (DFFML semantics)\n"
    "  build FLOW -o EXE [-O0|-O2] [-S]\n"
    "                              compile the flow to an executable (or C)\n"
    "  build FLOW --target=hls|verilog -o DIR\n"
    "                              emit HLS C or Verilog, test bench, Makefile\n"
    "  bench FLOW -i INPUTS [--runs N] [--callgrind] [--svg FILE]\n"
    "                              interpreted against compiled, measured\n"
    "  graph FLOW [--format=dot|mermaid]\n"
    "                              draw the flow\n"
    "  stubs FLOW [-o FILE.c]      C stubs for the operations the catalogue lacks\n"
    "  schema FLOW [--input|--output]\n"
    "                              JSON Schema of the flow's input and output lines\n"
    "\n"
    "options for every command:\n"
    "  --overlay FILE              merge FILE onto FLOW (repeatable)\n"
    "  --diagnostics-format=json   diagnostics as one JSON array\n"
    "  --diagnostics-color=WHEN    auto (default: on a terminal, unless NO_COLOR\n"
    "                              is set), always or never\n"
    "  -d                          dump the graph IR to standard error\n"
    "  --help, --version\n"
    "\n"
    "Run 'flowc COMMAND --help' for a command's options, or see flowc(1).\n";

/* The usage printed on a usage error: the command's own once known. */
static const char *cur_usage = usage_text;

/* Print msg and the usage on standard error; returns 2. */
static int
usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "flowc: %s\n", msg);
	fputs(cur_usage, stderr);
	return 2;
}

static void
push(const char ***v, int *n, const char *s)
{
	const char **nv = xalloc(sizeof(char *) * (size_t)(*n + 2));

	if (*n)
		memcpy(nv, *v, sizeof(char *) * (size_t)*n);
	nv[(*n)++] = s;
	*v = nv;
}

/* Options that take a value, as --name VALUE or --name=VALUE. */
enum { O_OVERLAY, O_INPUT, O_OUTPUT, O_FORMAT, O_MAXPERM, O_MAXFIRE, O_MAXMEM, O_MAXLINE, O_CC, O_CFLAGS,
	O_TARGET, O_RUNS, O_SVG, O_VENDOR, O_MAXVAL, O_MAXSTR, O_OPS, O_DIAGFMT, O_DIAGCOLOR, O_SANDBOX, O_JOBS };

static const struct {
	const char *name;
	int id;
} valued[] = {
	{"--overlay", O_OVERLAY}, {"-i", O_INPUT}, {"-o", O_OUTPUT}, {"--format", O_FORMAT},
	{"--max-permutations", O_MAXPERM}, {"--max-firings", O_MAXFIRE},
	{"--max-memory", O_MAXMEM}, {"--max-line-bytes", O_MAXLINE}, {"--cc", O_CC},
	{"--cflags", O_CFLAGS}, {"--target", O_TARGET}, {"--runs", O_RUNS}, {"--svg", O_SVG},
	{"--hls-vendor", O_VENDOR}, {"--max-values", O_MAXVAL}, {"--max-string-bytes", O_MAXSTR},
	{"--ops", O_OPS},
	{"--diagnostics-format", O_DIAGFMT}, {"--diagnostics-color", O_DIAGCOLOR},
	{"--sandbox", O_SANDBOX}, {"-j", O_JOBS},
};

/* --sandbox=on, off, or a comma list of files, processes, network (the
 * capabilities user operations need): extra FLOW_CAP_* bits, -1 for off,
 * -2 for a bad value. */
static int
sandbox_arg(const char *v)
{
	static const char *const names[] = {"files", "processes", "network"};
	int caps = 0, i;
	size_t n;

	if (strcmp(v, "off") == 0)
		return -1;
	if (strcmp(v, "on") == 0)
		return 0;
	for (; *v; v += n + (v[n] == ',')) {
		n = strcspn(v, ",");
		for (i = 0; i < 3 && !(strlen(names[i]) == n && strncmp(v, names[i], n) == 0); i++)
			;
		if (i == 3)
			return -2;
		caps |= 1 << i;
	}
	return caps;
}

/* A positive count, or -1. */
static long
count_arg(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *s && !*end && v > 0 ? v : -1;
}

/* Apply one valued option; returns 0, or an exit status. */
static int
set_valued(Opts *o, int id, const char *name, const char *v)
{
	long n = 0;

	if (id == O_MAXPERM || id == O_MAXFIRE || id == O_MAXMEM || id == O_MAXLINE || id == O_RUNS ||
	    id == O_MAXVAL || id == O_MAXSTR || id == O_JOBS)
		if ((n = count_arg(v)) < 0)
			return usage(xprintf("%s needs a positive number, not '%s'", name, v));
	switch (id) {
	case O_OVERLAY: push(&o->overlays, &o->noverlays, v); break;
	case O_INPUT: o->inputs = v; break;
	case O_OUTPUT: o->output = v; break;
	case O_FORMAT: o->format = v; break;
	case O_MAXPERM: o->run.max_permutations = n; break;
	case O_MAXFIRE: o->run.max_firings = n; break;
	case O_MAXMEM: o->run.max_memory = n; break;
	case O_MAXLINE: o->run.max_line = n; break;
	case O_CC: o->cc = v; break;
	case O_CFLAGS: o->cflags = v; break;
	case O_TARGET: o->target = v; break;
	case O_RUNS: o->runs = (int)n; break;
	case O_SVG: o->svg = v; break;
	case O_VENDOR: o->hls_vendor = v; break;
	case O_MAXVAL:
		if (n > HLS_MAX_VALUES_MAX)
			return usage(xprintf("--max-values is at most %d", HLS_MAX_VALUES_MAX));
		o->max_values = (int)n;
		break;
	case O_MAXSTR:
		if (n > HLS_STRING_BYTES_MAX)
			return usage(xprintf("--max-string-bytes is at most %d", HLS_STRING_BYTES_MAX));
		o->max_string = (int)n;
		break;
	case O_OPS: push(&o->ops, &o->nops, v); break;
	case O_SANDBOX:
		if ((o->sandbox = sandbox_arg(v)) == -2)
			return usage(xprintf("--sandbox is on, off or a list of files, processes, "
			    "network, not '%s'", v));
		break;
	case O_JOBS:
		if (n > 256)
			return usage("-j is at most 256");
		o->run.jobs = (int)n;
		break;
	case O_DIAGFMT:
		if (strcmp(v, "json") != 0 && strcmp(v, "text") != 0)
			return usage("--diagnostics-format is json or text");
		o->json_diags = strcmp(v, "json") == 0;
		break;
	case O_DIAGCOLOR:
		if (strcmp(v, "auto") != 0 && strcmp(v, "always") != 0 && strcmp(v, "never") != 0)
			return usage("--diagnostics-color is auto, always or never");
		o->color = v;
		break;
	}
	return 0;
}

/* Options every command takes. */
static const char common_opts[] = "--overlay --diagnostics-format --diagnostics-color -d";

/* Does the blank-separated list have the option name? */
static int
in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = list; (p = strstr(p, name)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0))
			return 1;
	return 0;
}

/* 0 when the command takes the option, else a usage error (2). */
static int
allowed(const char *cmd, const char *takes, const char *name)
{
	if (in_list(common_opts, name) || in_list(takes, name))
		return 0;
	return usage(xprintf("%s does not take %s", cmd, name));
}

/* Like allowed(), for the options without a value; unknown options
 * are left to parse_args. */
static int
flag_allowed(const char *cmd, const char *takes, const char *a)
{
	static const char flags[] = "-d --trace -O0 -O2 -S --callgrind --static --input --output --needs";

	return in_list(flags, a) ? allowed(cmd, takes, a) : 0;
}

/* Returns 0, or an exit status for a usage error.  takes lists the
 * options of the command besides the common ones. */
static int
parse_args(int argc, char **argv, Opts *o, const char *takes)
{
	int i, rc;
	size_t k;

	for (i = 2; i < argc; i++) {
		const char *a = argv[i];
		for (k = 0; k < sizeof valued / sizeof valued[0]; k++) {
			size_t n = strlen(valued[k].name);
			if ((strcmp(a, valued[k].name) == 0 || (strncmp(a, valued[k].name, n) == 0 &&
			    a[n] == '=')) && (rc = allowed(argv[1], takes, valued[k].name)) != 0)
				return rc;
			if (strcmp(a, valued[k].name) == 0) {
				if (i + 1 >= argc)
					return usage(xprintf("%s needs a value", a));
				if ((rc = set_valued(o, valued[k].id, a, argv[++i])) != 0)
					return rc;
				break;
			}
			if (strncmp(a, valued[k].name, n) == 0 && a[n] == '=') {
				if ((rc = set_valued(o, valued[k].id, valued[k].name, a + n + 1)) != 0)
					return rc;
				break;
			}
		}
		if (k < sizeof valued / sizeof valued[0])
			continue;
		if (a[0] == '-' && a[1] != 0 && (rc = flag_allowed(argv[1], takes, a)) != 0)
			return rc;
		if (strcmp(a, "-d") == 0)
			o->dump_ir = 1;
		else if (strcmp(a, "--trace") == 0)
			o->run.trace = 1;
		else if (strcmp(a, "-O0") == 0 || strcmp(a, "-O2") == 0)
			o->opt = a[2] - '0';
		else if (strcmp(a, "-S") == 0)
			o->emit_only = 1;
		else if (strcmp(a, "--static") == 0)
			o->static_link = 1;
		else if (strcmp(a, "--callgrind") == 0)
			o->callgrind = 1;
		else if (strcmp(a, "--needs") == 0)
			o->needs = 1;
		else if (strcmp(a, "--input") == 0 || strcmp(a, "--output") == 0)
			o->schema |= a[2] == 'i' ? 1 : 2;
		else if (a[0] == '-' && a[1] != 0)
			return usage(xprintf("unknown option '%s'", a));
		else
			push(&o->flows, &o->nflows, a);
	}
	return 0;
}

/* ---- the front end ---------------------------------------------------- */

/* Can path be read as a file?  Says why not on standard error. */
static int
readable(const char *path)
{
	struct stat st;
	FILE *f;

	if (strcmp(path, "-") == 0)
		return 1;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "flowc: %s: %s\n", path, strerror(EISDIR));
		return 0;
	}
	if (!(f = fopen(path, "r"))) {
		fprintf(stderr, "flowc: %s: %s\n", path, strerror(errno));
		return 0;
	}
	fclose(f);
	return 1;
}

/* Load, merge, read, check.  Returns the graph or NULL (diagnostics are
 * in d; *status is 2 for an unreadable file). */
static Graph *
front_end(DiagSink *d, const Opts *o, const char *path, const CheckOpts *co, UserOps *u,
    int *status)
{
	CheckOpts uco;
	Node *root;
	Manifest *m;
	Graph *g;
	int i, before;

	*status = 1;
	if (!readable(path)) {
		*status = 2;
		return NULL;
	}
	if (!(root = ld_file(d, path)))
		return NULL;
	for (i = 0; i < o->noverlays; i++) {
		Node *over;
		if (!readable(o->overlays[i])) {
			*status = 2;
			return NULL;
		}
		if (!(over = ld_file(d, o->overlays[i])))
			return NULL;
		root = ld_merge(root, over);
	}
	before = d->nerrors;
	if (!(m = mf_read(d, root, path)))
		return NULL;
	if (u) {                /* --ops: the user's operations by manifest name */
		ops_bind(d, m, u);
		uco = *co;
		uco.user = u->impls;
		uco.nuser = u->n;
		co = &uco;
	}
	g = chk_flow(d, m, co);
	if (g && u)             /* the C functions against the checked flow */
		ops_check(d, g, u);
	if (d->nerrors > before)
		return NULL;
	if (g && o->dump_ir)
		ir_dump(g, stderr);
	if (g && ir_verify(g, stderr) > 0) {
		*status = 3;
		return NULL;
	}
	if (g)
		*status = 0;
	return g;
}

/* Parse the --ops files once for every FLOW: NULL when there are none
 * or after errors (*status 1, or 2 for an unreadable file). */
static UserOps *
load_ops(DiagSink *d, const Opts *o, int *status)
{
	UserOps *u;
	int i;

	*status = 0;
	if (o->nops == 0)
		return NULL;
	for (i = 0; i < o->nops; i++)
		if (!readable(o->ops[i])) {
			*status = 2;
			return NULL;
		}
	u = xalloc(sizeof *u);
	u->cflags = o->cflags ? o->cflags : getenv("FLOWC_CFLAGS");
	if (ops_load(d, o->ops, o->nops, u) != 0) {
		*status = 1;
		return NULL;
	}
	return u;
}

/* Print diagnostics, then a count when there are several errors;
 * returns the status to exit with. */
static int
finish(DiagSink *d, const Opts *o, int status)
{
	if (d->n > 0 || o->json_diags)
		diag_print(d, stderr, o->json_diags);
	if (!o->json_diags && d->nerrors > 1)
		fprintf(stderr, "%d errors\n", d->nerrors);
	if (status == 0 && d->nerrors > 0)
		status = 1;
	return status;
}

/* ---- commands ------------------------------------------------------- */

/* check --needs: what g's operations need beyond reading, writing and
 * memory (the catalogue's capabilities, as flow_prog_caps gives the
 * executable's sandbox), one line per capability naming the instances,
 * on standard output. */
static int
graph_caps(const Graph *g)
{
	int caps = 0, i;

	for (i = 0; i < g->nops; i++) {
		if (g->ops[i].impl)
			caps |= g->ops[i].impl->caps;
		if (g->ops[i].subflow)
			caps |= graph_caps(g->ops[i].subflow);
	}
	return caps;
}

static void
print_needs(const char *path, const Graph *g)
{
	static const char *const names[] = {"files", "processes", "network"};
	int caps = graph_caps(g), c, i, k, user = 0;

	for (i = 0; i < g->nops; i++)
		user |= g->ops[i].user;
	if (caps == 0)
		printf("%s: needs nothing beyond its input, its output and memory\n", path);
	for (c = 0; c < 3; c++) {
		if (!(caps & 1 << c))
			continue;
		printf("%s: needs %s:", path, names[c]);
		for (i = k = 0; i < g->nops; i++)
			if (g->ops[i].impl && (g->ops[i].impl->caps & 1 << c))
				printf(strcmp(g->ops[i].inst, g->ops[i].impl->name) == 0 ? "%s %s" : "%s %s (%s)",
				    k++ ? "," : "", g->ops[i].inst, g->ops[i].impl->name);
		if (k == 0)
			printf(" a subflow's operations");
		printf("\n");
	}
	if (user)
		printf("%s: user operations (--ops) declare nothing: give what they need with "
		    "'flowc build --sandbox=LIST'\n", path);
}

static int
cmd_check(Opts *o)
{
	CheckOpts co = {0, NULL, 0};
	DiagSink d;
	int i, status, worst = 0;

	UserOps *u;

	if (o->nflows == 0)
		return usage("check needs a FLOW");
	diag_init(&d);
	u = load_ops(&d, o, &status);
	if (status != 0)
		return finish(&d, o, status);
	for (i = 0; i < o->nflows; i++) {
		Graph *g = front_end(&d, o, o->flows[i], &co, u, &status);
		if (status > worst)
			worst = status;
		if (g && o->needs && status == 0)
			print_needs(o->flows[i], g);
	}
	return finish(&d, o, worst);
}

static int
cmd_run(Opts *o)
{
	CheckOpts co = {0, NULL, 0};
	DiagSink d;
	Graph *g;
	flow_prog *p;
	FILE *in = stdin;
	int status;

	UserOps *u;

	if (o->nflows != 1)
		return usage("run needs exactly one FLOW");
	diag_init(&d);
	u = load_ops(&d, o, &status);
	if (status != 0)
		return finish(&d, o, status);
	g = front_end(&d, o, o->flows[0], &co, u, &status);
	status = finish(&d, o, status);
	if (!g)
		return status;
	if (u && ops_shared(g, u, o->cc, o->cflags) < 0)
		return 1;
	p = lower_prog(g);
	if (o->inputs && !readable(o->inputs))
		return 2;
	if (o->inputs && strcmp(o->inputs, "-") != 0 && !(in = fopen(o->inputs, "r"))) {
		fprintf(stderr, "flowc: %s: %s\n", o->inputs, strerror(errno));
		return 2;
	}
	status = flow_stream(p, &o->run, flow_orch_run, in, stdout, o->inputs ? o->inputs : "<stdin>");
	if (in != stdin)
		fclose(in);
	return status;
}

static int
cmd_graph(Opts *o)
{
	CheckOpts co = {1, NULL, 0};
	DiagSink d;
	Graph *g;
	FILE *out = stdout;
	int status;

	if (o->nflows != 1)
		return usage("graph needs exactly one FLOW");
	if (o->format && strcmp(o->format, "dot") != 0 && strcmp(o->format, "mermaid") != 0)
		return usage("--format is dot or mermaid");
	diag_init(&d);
	g = front_end(&d, o, o->flows[0], &co, NULL, &status);
	status = finish(&d, o, status);
	if (!g)
		return status;
	if (o->output && !(out = fopen(o->output, "w"))) {
		fprintf(stderr, "flowc: %s: %s\n", o->output, strerror(errno));
		return 2;
	}
	if (o->format && strcmp(o->format, "mermaid") == 0)
		emit_mermaid(g, out);
	else
		emit_dot(g, out);
	if (out != stdout && fclose(out) != 0)
		return 2;
	return status;
}

static void
verify(const Graph *g, const char *after)
{
	if (ir_verify(g, stderr) > 0)
		flow_die("the IR is broken after %s (a flowc bug)", after);
}

/* After a pass that changed the plan: drop the steps of the operations
 * it removed, check the schedule, and with -d print it. */
static void
reschedule(Plan *plan, const Graph *g, const Opts *o, const char *after)
{
	int n = sched_update(plan->sched, plan);

	if (sched_verify(plan->sched, g, plan, stderr) > 0)
		flow_die("the schedule is broken after %s (a flowc bug)", after);
	if (o->dump_ir && plan->ok) {
		fprintf(stderr, "%s: %d step%s removed; ", after, n, n == 1 ? "" : "s");
		sched_print(plan->sched, g, stderr);
	}
}

/* The optimisation passes, in order, with the verifiers between them:
 * the static schedule (multiplicity analysis, then lowered into steps),
 * seed folding, then dead operations.  -d reports what each did and
 * prints the schedule after it. */
static Plan *
passes(Graph *g, const flow_prog *p, const Opts *o, DiagSink *d)
{
	Plan *plan;
	int n;

	verify(g, "checking");
	if (o->opt < 2)
		return NULL;
	plan = pass_static(g);
	verify(g, "pass_static");
	if (o->dump_ir && plan->ok)
		fprintf(stderr, "pass_static: static schedule\n");
	else if (o->dump_ir)
		fprintf(stderr, "pass_static: dynamic: %s (%s:%d:%d)\n", plan->why,
		    plan->whypos.file ? plan->whypos.file : "?", plan->whypos.line,
		    plan->whypos.col);
	plan->sched = sched_lower(g, p, plan);
	reschedule(plan, g, o, "pass_static");
	n = pass_fold(g, plan, d);
	verify(g, "pass_fold");
	if (o->dump_ir)
		fprintf(stderr, "pass_fold: %d operation%s folded\n", n, n == 1 ? "" : "s");
	reschedule(plan, g, o, "pass_fold");
	n = pass_dce(g, plan);
	verify(g, "pass_dce");
	if (o->dump_ir)
		fprintf(stderr, "pass_dce: %d operation%s dropped\n", n, n == 1 ? "" : "s");
	reschedule(plan, g, o, "pass_dce");
	return plan;
}

/* Print what d gathered since the last call (build reports between
 * steps, so nothing is printed twice). */
static void
flush(DiagSink *d, const Opts *o)
{
	if (d->n > 0)
		diag_print(d, stderr, o->json_diags);
	d->n = 0;
}

/* Options of build that only one target or mode uses: 0, or a usage
 * error (2) for a combination that would ignore one. */
static int
build_combination(const Opts *o)
{
	int hls = o->target && strcmp(o->target, "hls") == 0;
	int hw = hls || (o->target && strcmp(o->target, "verilog") == 0);
	const char *with = hw ? xprintf("--target=%s", o->target) : "-S";

	if (hw && o->emit_only)
		return usage(xprintf("-S and %s do not go together (%s always writes source)",
		    with, o->target));
	if (!hls && (o->hls_vendor || o->max_values || o->max_string))
		return usage(xprintf("%s needs --target=hls", o->hls_vendor ? "--hls-vendor" :
		    o->max_values ? "--max-values" : "--max-string-bytes"));
	if ((hw || o->emit_only) && o->static_link)
		return usage(xprintf("--static is for building an executable, not with %s", with));
	/* --cflags also parses the --ops files */
	if ((hw || o->emit_only) && (o->cc || (o->cflags && o->nops == 0)))
		return usage(xprintf("%s is for building an executable, not with %s",
		    o->cc ? "--cc" : "--cflags", with));
	return 0;
}

/* The last component of path. */
static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s && s[1] ? s + 1 : path;
}

/* Is the directory that will hold path there?  Says why not. */
static int
dir_of_ok(const char *path)
{
	const char *s = strrchr(path, '/');
	const char *dir = s ? (s == path ? "/" : xprintf("%.*s", (int)(s - path), path)) : ".";
	struct stat st;

	if (stat(dir, &st) != 0) {
		fprintf(stderr, "flowc: cannot write %s: %s: %s\n", path, dir, strerror(errno));
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "flowc: cannot write %s: %s is not a directory\n", path, dir);
		return 0;
	}
	return 1;
}

static int
cmd_build(Opts *o)
{
	CheckOpts co = {0, NULL, 0};
	const Backend *be = backend_find(o->target ? o->target : "c");
	BuildOpts bo;
	DiagSink d;
	Graph *g;
	flow_prog *p;
	Plan *plan;
	UserOps *u;
	int status, errors, rc;

	if (o->nflows != 1)
		return usage("build needs exactly one FLOW");
	if (!o->output)
		return usage("build needs -o OUTPUT");
	if (!be)
		return usage(xprintf("unknown --target '%s' (%s)", o->target, backend_names()));
	if ((rc = build_combination(o)) != 0)
		return rc;
	if (!o->emit_only && strcmp(be->name, "c") == 0 && !dir_of_ok(o->output))
		return 2;
	diag_init(&d);
	u = load_ops(&d, o, &status);
	if (status != 0)
		return finish(&d, o, status);
	g = front_end(&d, o, o->flows[0], &co, u, &status);
	status = finish(&d, o, status);
	d.n = 0;
	if (!g)
		return status;
	p = lower_prog(g);
	if (strcmp(o->flows[0], "-") == 0)      /* what --version of the program says */
		p->name = base_name(o->output);
	plan = passes(g, p, o, &d);
	flush(&d, o);
	memset(&bo, 0, sizeof bo);
	bo.output = o->output;
	bo.source = o->flows[0];
	bo.opt = o->opt;
	bo.emit_only = o->emit_only;
	bo.cc = o->cc;
	bo.cflags = o->cflags;
	bo.user = u;
	bo.hls_vendor = o->hls_vendor;
	bo.max_values = o->max_values;
	bo.max_string = o->max_string;
	bo.static_link = o->static_link;
	bo.sandbox = o->sandbox;
	if (be->options && (status = be->options(&bo)) != 0)
		return status;
	if (!plan && be->static_plan)
		plan = pass_static(g);
	errors = d.nerrors;
	if (be->eligible && !be->eligible(&d, g, plan, &bo))
		status = 1;
	else
		status = be->emit(&d, g, p, plan, &bo);
	flush(&d, o);
	return status == 0 && d.nerrors > errors ? 1 : status;
}

/* flowc stubs: a C file of stubs for the operations the flow uses that
 * the catalogue lacks (stubs.c), on standard output or -o FILE. */
static int
cmd_stubs(Opts *o)
{
	CheckOpts co = {0, NULL, 0};
	UserOps u;
	DiagSink d;
	Graph *g;
	FILE *out = stdout;
	int status, n;

	if (o->nflows != 1)
		return usage("stubs needs exactly one FLOW");
	if (o->output && !dir_of_ok(o->output))
		return 2;
	memset(&u, 0, sizeof u);
	u.stubs = 1;
	diag_init(&d);
	g = front_end(&d, o, o->flows[0], &co, &u, &status);
	status = finish(&d, o, status);
	if (!g)
		return status;
	if (o->output && !(out = fopen(o->output, "w"))) {
		fprintf(stderr, "flowc: %s: %s\n", o->output, strerror(errno));
		return 2;
	}
	n = stubs_write(g, o->flows[0], out);
	if (out != stdout ? fclose(out) != 0 : fflush(out) != 0) {
		fprintf(stderr, "flowc: %s: write error\n", o->output ? o->output : "<stdout>");
		return 2;
	}
	if (n == 0)
		fprintf(stderr, "flowc: %s: every operation the flow uses is in the catalogue; "
		    "no stubs written\n", o->flows[0]);
	return status;
}

/* flowc schema: JSON Schema documents for the flow's input and output
 * lines (schema.c). */
static int
cmd_schema(Opts *o)
{
	CheckOpts co = {0, NULL, 0};
	DiagSink d;
	Graph *g;
	int status;

	if (o->nflows != 1)
		return usage("schema needs exactly one FLOW");
	if (o->schema == 3)
		return usage("--input and --output do not go together (without either, "
		    "schema prints both)");
	diag_init(&d);
	g = front_end(&d, o, o->flows[0], &co, NULL, &status);
	status = finish(&d, o, status);
	if (!g)
		return status;
	if (schema_write(g, o->schema ? o->schema : 3, stdout) < 0 || fflush(stdout) != 0) {
		fprintf(stderr, "flowc: cannot write the schema\n");
		return 2;
	}
	return status;
}

static int
cmd_bench(Opts *o)
{
	CheckOpts co = {0, NULL, 0};
	BenchOpts b;
	DiagSink d;
	Graph *g;
	UserOps *u;
	int status;

	if (o->nflows != 1 || !o->inputs)
		return usage("bench needs FLOW and -i INPUTS");
	if (!readable(o->inputs))
		return 2;
	diag_init(&d);
	u = load_ops(&d, o, &status);
	if (status != 0)
		return finish(&d, o, status);
	g = front_end(&d, o, o->flows[0], &co, u, &status);
	status = finish(&d, o, status);
	if (!g)
		return status;
	memset(&b, 0, sizeof b);
	b.flow = o->flows[0];
	b.inputs = o->inputs;
	b.runs = o->runs > 0 ? o->runs : 3;
	b.callgrind = o->callgrind;
	b.svg = o->svg;
	b.overlays = o->overlays;
	b.noverlays = o->noverlays;
	b.ops = o->ops;
	b.nops = o->nops;
	b.user = u;
	b.cc = o->cc;
	b.cflags = o->cflags;
	b.sandbox = o->sandbox;
	b.max_memory = o->run.max_memory;
	b.jobs = o->run.jobs;
	return bench_run(g, lower_prog(g), &b);
}

/* Colour diagnostics?  WHEN is always, never or auto (NULL): auto is
 * standard error on a terminal other than TERM=dumb, with NO_COLOR unset
 * or empty (no-color.org). */
static int
want_color(const char *when)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (when != NULL && strcmp(when, "auto") != 0)
		return strcmp(when, "always") == 0;
	return isatty(2) && (nc == NULL || *nc == '\0') && !(term != NULL && strcmp(term, "dumb") == 0);
}

/* Each command: its function, the options it takes besides the common
 * ones (what parse_args accepts; tests/check-b.d/41-options.sh compares
 * them with the help and flowc(1)) and its help. */
static const struct {
	const char *name;
	int (*fn)(Opts *);
	const char *takes;
	const char *help;
} commands[] = {
	{"check", cmd_check, "--ops --cflags --needs",
	    "usage: flowc check [--needs] [--ops FILE.c]... [--cflags FLAGS] [--overlay FILE]...\n"
	    "                   [--diagnostics-format=json|text]\n"
	    "                   [--diagnostics-color=auto|always|never] [-d] FLOW...\n"
	    "Load and type-check each FLOW; print diagnostics; exit 1 if any has errors.\n"
	    "--ops checks the user operations' C functions against the flow (parsed\n"
	    "with --cflags).  --needs prints what each flow's operations need beyond\n"
	    "their input, output and memory (files, processes, network), which is what\n"
	    "its executable's sandbox allows.\n"},
	{"run", cmd_run, "-i -j --ops --cc --cflags --max-permutations --max-firings --max-memory "
	    "--max-line-bytes --trace",
	    "usage: flowc run FLOW [-i INPUTS] [-j N] [--max-permutations N] [--max-firings N]\n"
	    "                 [--max-memory MIB] [--max-line-bytes N] [--trace]\n"
	    "                 [--ops FILE.c]... [--cc CC] [--cflags FLAGS]\n"
	    "                 [--overlay FILE]... [--diagnostics-format=json|text]\n"
	    "                 [--diagnostics-color=auto|always|never] [-d]\n"
	    "Interpret FLOW with DFFML's semantics over the JSON Lines contexts in INPUTS\n"
	    "(standard input by default); one JSON line per context on standard output.\n"
	    "-j N runs contexts on N threads; the output is that of -j 1.\n"},
	{"build", cmd_build, "-o -O0 -O2 -S --ops --cc --cflags --static --sandbox --target --hls-vendor "
	    "--max-values --max-string-bytes",
	    "usage: flowc build FLOW -o EXE [-O0|-O2] [--ops FILE.c]... [--cc CC]\n"
	    "                   [--cflags FLAGS] [--static]\n"
	    "                   [--sandbox=on|off|files,processes,network]\n"
	    "       flowc build FLOW -S -o FILE.c [-O0|-O2] [--ops FILE.c]...\n"
	    "       flowc build FLOW --target=hls -o DIR [--hls-vendor=vitis|intel|bambu|none]\n"
	    "                   [--max-values N] [--max-string-bytes N] [-O0|-O2]\n"
	    "       flowc build FLOW --target=verilog -o DIR [-O0|-O2]\n"
	    "   each also [--overlay FILE]... [--diagnostics-format=json|text]\n"
	    "             [--diagnostics-color=auto|always|never] [-d]\n"
	    "Compile FLOW into a standalone executable that reads and writes JSON Lines\n"
	    "like 'flowc run'.  -S writes the C source to FILE.c instead.  -O0 runs the\n"
	    "flow's tables through the runtime's orchestrator; -O2 (the default) adds\n"
	    "the static schedule when the flow has one.  The executable is hardened\n"
	    "(PIE, full RELRO, stack protector, fortify) and sandboxed with seccomp:\n"
	    "after start-up it may make only the calls its operations need.\n"
	    "--static links it into one self-contained file.  --target=hls (--target=c\n"
	    "is the default) writes C for high-level synthesis into DIR: the kernel, a\n"
	    "test bench and a Makefile; 'make -C DIR' builds DIR/tb.  See flowc-hls(7).\n"
	    "--max-values N and --max-string-bytes N bound the kernel's arrays (default\n"
	    "64 values) and strings (default 256 bytes); a longer one is an error of\n"
	    "its context.\n"
	    "--target=verilog writes the flow as a Verilog pipeline into DIR, with a\n"
	    "simulation bench and a Makefile (Verilator, Icarus, Yosys, nextpnr-ice40).\n"
	    "See flowc-rtl(7).\n"},
	{"bench", cmd_bench, "-i --runs --callgrind --svg --ops --max-memory -j --sandbox",
	    "usage: flowc bench FLOW -i INPUTS [--runs N] [--callgrind] [--svg FILE]\n"
	    "                   [--ops FILE.c]... [--max-memory MIB] [-j N]\n"
	    "                   [--sandbox=on|off|files,processes,network]\n"
	    "                   [--overlay FILE]... [--diagnostics-format=json|text]\n"
	    "                   [--diagnostics-color=auto|always|never] [-d]\n"
	    "Run INPUTS through the interpreter and the flow compiled at -O0 and -O2,\n"
	    "interleaved, N times (default 3); check that the outputs are identical (else\n"
	    "name the first context that differs and keep the outputs); print contexts/s,\n"
	    "ns per context and the speed-up over the interpreter (best of N, each\n"
	    "program's start-up on an empty input subtracted; a warning when a run is too\n"
	    "short to time), and with --callgrind the instructions per context.\n"},
	{"stubs", cmd_stubs, "-o",
	    "usage: flowc stubs FLOW [-o FILE.c] [--overlay FILE]...\n"
	    "                   [--diagnostics-format=json|text]\n"
	    "                   [--diagnostics-color=auto|always|never] [-d]\n"
	    "Write C stubs for the operations FLOW uses that the standard catalogue\n"
	    "lacks, with the signatures 'flowc build --ops' checks, each failing with\n"
	    "\"not implemented: NAME\" (to standard output, or FILE.c).\n"},
	{"schema", cmd_schema, "--input --output",
	    "usage: flowc schema FLOW [--input|--output] [--overlay FILE]...\n"
	    "                    [--diagnostics-format=json|text]\n"
	    "                    [--diagnostics-color=auto|always|never] [-d]\n"
	    "Print JSON Schema (draft 2020-12) for FLOW's input lines (--input), its\n"
	    "output lines (--output), or both as {\"input\": ..., \"output\": ...}.\n"},
	{"graph", cmd_graph, "--format -o",
	    "usage: flowc graph FLOW [--format=dot|mermaid] [-o FILE] [--overlay FILE]...\n"
	    "                   [--diagnostics-format=json|text]\n"
	    "                   [--diagnostics-color=auto|always|never] [-d]\n"
	    "Draw FLOW as Graphviz dot (default) or Mermaid, one subgraph per stage.\n"},
};

int
main(int argc, char **argv)
{
	Opts o;
	size_t i;
	int k;

	memset(&o, 0, sizeof o);
	o.opt = 2;
	if (argc < 2)
		return usage(NULL);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("flowc %s\n", FLOW_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		for (k = 2; k < argc; k++)
			if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
				fputs(commands[i].help, stdout);
				return 0;
			}
		cur_usage = commands[i].help;
		if ((k = parse_args(argc, argv, &o, commands[i].takes)) != 0)
			return k;
		o.cmd = argv[1];
		diag_color(want_color(o.color));
		return commands[i].fn(&o);
	}
	return usage(xprintf("unknown command '%s'", argv[1]));
}
