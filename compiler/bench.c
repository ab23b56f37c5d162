/*
 * bench.c: `flowc bench FLOW -i INPUTS`, optimized against interpreted.
 *
 * The same inputs go through three programs: the interpreter (this very
 * flowc, `run`), the flow compiled at -O0 (its tables through the
 * runtime's orchestrator) and at -O2 (the static schedule where the flow
 * has one), each with the --max-memory and -j given to bench (and the
 * --ops files).  The runs are interleaved (interpreter, -O0, -O2, then
 * again) so that a noisy machine slows all three alike, and each program
 * also runs on an empty input: its start-up.  The best of N times of
 * each counts, and the figures are per context after subtracting the
 * best start-up, so that a program that takes 75 ms to start does not
 * look slow on a small input; a run whose time beyond start-up is under
 * MIN_NET seconds gets a warning (too short to mean anything).  Before
 * any number is printed the three outputs must be byte-identical; if not,
 * the first output line that differs and its context are named and the
 * outputs are kept, named after their program.  With --callgrind, each
 * program also runs under valgrind's callgrind on the inputs and on no
 * input at all; the difference divided by the number of contexts is the
 * instructions per context, a figure that does not move with machine
 * load.  --svg draws the same figures as a bar chart.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "flowc.h"

enum { NVAR = 3 };
#define MIN_NET 0.1     /* seconds beyond start-up that a timing needs */

typedef struct Variant {
	const char *label;
	const char *file;       /* its output, kept if it differs: "O2.jsonl" */
	char **argv;            /* NULL-terminated; the input file is last */
	double best;            /* seconds on the inputs */
	double start;           /* seconds on an empty input */
	double ir;              /* instructions per context, or -1 */
} Variant;

/* Seconds per context beyond start-up, or -1 when not positive. */
static double
per_context(const Variant *v, long contexts)
{
	double net = v->best - v->start;

	return net > 0 ? net / (double)contexts : -1;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Run argv with stdin from /dev/null, stdout to `out` (or /dev/null) and
 * stderr to `err` (or inherited); returns the exit status or -1. */
static int
spawn(char *const *argv, const char *out, const char *err)
{
	pid_t pid;
	int st;

	fflush(NULL);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int o = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (in < 0 || o < 0)
			_exit(127);
		dup2(in, 0);
		dup2(o, 1);
		if (err) {
			int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (e < 0)
				_exit(127);
			dup2(e, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static long
count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	long n = 0;
	int c;

	if (!f)
		return -1;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* The next line of f (without its newline) in buf, or NULL at the end. */
static char *
next_line(FILE *f, char *buf, size_t size)
{
	size_t n;

	if (!fgets(buf, (int)size, f))
		return NULL;
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = 0;
	else            /* a longer line: compare its first size - 1 bytes */
		while (getc(f) != '\n' && !feof(f))
			;
	return buf;
}

/* The context a result line names (its JSON string, quotes included, cut
 * at 80 bytes), or a description of the line. */
static const char *
line_context(const char *line)
{
	const char *p;
	size_t n;

	if (!line)
		return "none (the output ends before)";
	if (strncmp(line, "{\"context\": \"", 13) != 0)
		return xprintf("none (a line error: %.80s)", line);
	for (p = line + 13; *p && *p != '"'; p += *p == '\\' && p[1] ? 2 : 1)
		;
	n = (size_t)(p - line - 12) + (*p == '"');
	return xprintf("%.*s", (int)(n > 80 ? 80 : n), line + 12);
}

/* 0 if files a and b are the same; else the number of the first line that
 * differs, with the context it is about in *ctx. */
static long
first_difference(const char *a, const char *b, const char **ctx)
{
	static char la[1 << 16], lb[1 << 16];
	FILE *fa = fopen(a, "r"), *fb = fopen(b, "r");
	char *pa, *pb;
	long n = 0, diff = 0;

	if (!fa || !fb) {
		*ctx = "none (an output is missing)";
		diff = 1;
	}
	while (!diff) {
		n++;
		pa = next_line(fa, la, sizeof la);
		pb = next_line(fb, lb, sizeof lb);
		if (!pa && !pb)
			break;
		if (!pa || !pb || strcmp(pa, pb) != 0) {
			diff = n;
			*ctx = line_context(pa ? pa : pb);
		}
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return diff;
}

/* Instructions of one run under callgrind (from its "refs" summary). */
static double
callgrind(Variant *v, const char *inputs, const char *dir)
{
	char **argv = xalloc(sizeof(char *) * 32);
	const char *log = xprintf("%s/cg.log", dir);
	char line[512];
	double ir = -1;
	FILE *f;
	int i, k = 0;

	argv[k++] = "valgrind";
	argv[k++] = "--tool=callgrind";
	argv[k++] = "--callgrind-out-file=/dev/null";
	for (i = 0; v->argv[i]; i++)
		argv[k++] = v->argv[i];
	argv[k - 1] = (char *)inputs;
	argv[k] = NULL;
	if (spawn(argv, NULL, log) < 0 || !(f = fopen(log, "r")))
		return -1;
	while (fgets(line, sizeof line, f)) {
		char *p = strstr(line, "refs:");
		if (p) {
			char digits[64];
			int j = 0;
			for (p += 5; *p && j < 63; p++)
				if (*p >= '0' && *p <= '9')
					digits[j++] = *p;
			digits[j] = 0;
			ir = atof(digits);
		}
	}
	fclose(f);
	return ir;
}

static void
progress(int tty, int run, int runs, const char *label)
{
	if (tty) {
		fprintf(stderr, "\rflowc bench: run %d/%d: %-14s", run, runs, label);
		fflush(stderr);
	}
}

/* One bar of the chart: v's contexts/s beyond start-up (of max). */
static void
svg_bar(FILE *f, const Variant *v, int i, long contexts, double max, double ref)
{
	double pc = per_context(v, contexts), w = pc > 0 && max > 0 ? 360.0 / pc / max : 0;
	int y = 64 + 56 * i;

	fprintf(f, "<text x=\"10\" y=\"%d\">%s</text>\n", y + 22, v->label);
	fprintf(f, "<rect x=\"130\" y=\"%d\" width=\"%.1f\" height=\"32\" fill=\"%s\"/>\n",
	    y, w, i == 0 ? "#a0a0a0" : "#3b7dd8");
	if (pc > 0)
		fprintf(f, "<text x=\"%.1f\" y=\"%d\">%.0f/s, %.0f ns, %.2fx%s</text>\n", 136 + w, y + 14,
		    1 / pc, pc * 1e9, ref > 0 ? ref / pc : 0, v->best - v->start < MIN_NET ?
		    " (too short)" : "");
	else
		fprintf(f, "<text x=\"136\" y=\"%d\">n/a (no time beyond start-up)</text>\n", y + 14);
	fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">start-up %.1f ms</text>\n",
	    136 + w, y + 30, v->start * 1e3);
}

/* The table's figures as a bar chart in SVG. */
static void
svg(const char *path, const Variant *v, long contexts)
{
	FILE *f = fopen(path, "w");
	double max = 0, pc;
	int i;

	if (!f) {
		fprintf(stderr, "flowc: %s: %s\n", path, strerror(errno));
		return;
	}
	for (i = 0; i < NVAR; i++)
		if ((pc = per_context(&v[i], contexts)) > 0 && 1 / pc > max)
			max = 1 / pc;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"%d\" "
	    "font-family=\"sans-serif\" font-size=\"14\">\n", 80 + 56 * NVAR);
	fprintf(f, "<text x=\"10\" y=\"24\">contexts per second, ns per context and speed-up "
	    "(best of runs, start-up subtracted; longer is faster)</text>\n");
	fprintf(f, "<text x=\"10\" y=\"44\" font-size=\"11\">%ld contexts</text>\n", contexts);
	for (i = 0; i < NVAR; i++)
		svg_bar(f, &v[i], i, contexts, max, per_context(&v[0], contexts));
	fprintf(f, "</svg>\n");
	fclose(f);
}

/* argv of one program: cmd, then the options every program takes, then
 * -i inputs (last). */
static char **
program_argv(const char *const *cmd, int ncmd, const BenchOpts *b)
{
	char **argv = xalloc(sizeof(char *) * (size_t)(ncmd + 8));
	int i, k = 0;

	for (i = 0; i < ncmd; i++)
		argv[k++] = (char *)cmd[i];
	if (b->max_memory > 0) {
		argv[k++] = "--max-memory";
		argv[k++] = xprintf("%ld", b->max_memory);
	}
	if (b->jobs > 0) {
		argv[k++] = "-j";
		argv[k++] = xprintf("%d", b->jobs);
	}
	argv[k++] = "-i";
	argv[k++] = (char *)b->inputs;
	argv[k] = NULL;
	return argv;
}

/* The interpreter's command: flowc run FLOW, overlays, --ops and the C
 * compiler for them. */
static char **
interp_argv(const char *self, const BenchOpts *b)
{
	const char **cmd = xalloc(sizeof(char *) * (size_t)(8 + 2 * (b->noverlays + b->nops)));
	int i, k = 0;

	cmd[k++] = xstrdup(self);
	cmd[k++] = "run";
	cmd[k++] = b->flow;
	for (i = 0; i < b->noverlays; i++) {
		cmd[k++] = "--overlay";
		cmd[k++] = b->overlays[i];
	}
	for (i = 0; i < b->nops; i++) {
		cmd[k++] = "--ops";
		cmd[k++] = b->ops[i];
	}
	if (b->cc) {
		cmd[k++] = "--cc";
		cmd[k++] = b->cc;
	}
	if (b->cflags) {
		cmd[k++] = "--cflags";
		cmd[k++] = b->cflags;
	}
	return program_argv(cmd, k, b);
}

/* The three programs: flowc run, and the flow built at -O0 and -O2. */
static int
variants(Variant *v, const Graph *g, const flow_prog *p, const BenchOpts *b, const char *dir)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	EmitOpts eo;
	const char *exe;
	int i;

	if (n <= 0)
		return -1;
	self[n] = 0;
	memset(&eo, 0, sizeof eo);
	v[0].label = "interpreter";
	v[0].file = "interpreter.jsonl";
	v[0].argv = interp_argv(self, b);
	for (i = 1; i <= 2; i++) {
		Plan *plan = i == 2 ? pass_static((Graph *)g) : NULL;
		exe = xprintf("%s/flow-O%d", dir, i == 1 ? 0 : 2);
		eo.opt = i == 1 ? 0 : 2;
		eo.source = b->flow;
		eo.user = b->user;
		/* valgrind (--callgrind) cannot run a seccomp filter */
		eo.sandbox = b->callgrind ? -1 : b->sandbox;
		if (cc_build(g, p, plan, &eo, exe, b->cc, b->cflags) != 0)
			return -1;
		v[i].label = i == 1 ? "compiled -O0" : "compiled -O2";
		v[i].file = i == 1 ? "O0.jsonl" : "O2.jsonl";
		v[i].argv = program_argv(&exe, 1, b);
	}
	return 0;
}

/* Run v on its inputs (output to out) or, with out NULL, on the empty
 * file; returns the seconds, or -1 if it did not exit 0 or 1. */
static double
timed(const Variant *v, const char *out, const char *empty, int tty)
{
	char **argv = v->argv;
	const char *keep;
	double t0;
	int st, k;

	for (k = 0; argv[k]; k++)
		;
	keep = argv[k - 1];
	if (!out)
		argv[k - 1] = (char *)empty;
	t0 = now();
	st = spawn(argv, out, NULL);
	t0 = now() - t0;
	argv[k - 1] = (char *)keep;
	if (st < 0 || st > 1) {
		fprintf(stderr, "%sflowc: bench: %s exited with %d%s\n", tty ? "\n" : "", v->label,
		    st, out ? "" : " on an empty input");
		return -1;
	}
	return t0;
}

/* The interleaved timed runs: best times on the inputs and on none. */
static int
time_all(Variant *v, const BenchOpts *b, const char *dir, const char *empty, int tty)
{
	double t;
	int r, i;

	for (i = 0; i < NVAR; i++)
		v[i].best = v[i].start = 1e30;
	for (r = 1; r <= b->runs; r++)
		for (i = 0; i < NVAR; i++) {
			progress(tty, r, b->runs, v[i].label);
			if ((t = timed(&v[i], xprintf("%s/%s", dir, v[i].file), empty, tty)) < 0)
				return -1;
			if (t < v[i].best)
				v[i].best = t;
			if ((t = timed(&v[i], NULL, empty, tty)) < 0)
				return -1;
			if (t < v[i].start)
				v[i].start = t;
		}
	if (tty)
		fprintf(stderr, "\r%40s\r", "");
	return 0;
}

/* 0 if the compiled outputs are the interpreter's; else says where they
 * first differ and returns -1 (the outputs stay in dir). */
static int
check_outputs(const Variant *v, const char *dir)
{
	const char *ref = xprintf("%s/%s", dir, v[0].file), *ctx = NULL;
	long line;
	int i;

	for (i = 1; i < NVAR; i++) {
		const char *out = xprintf("%s/%s", dir, v[i].file);
		if ((line = first_difference(ref, out, &ctx)) == 0)
			continue;
		fprintf(stderr, "flowc: bench: %s and the interpreter disagree first at output "
		    "line %ld, context %s\nflowc: bench: the outputs are kept: %s and %s\n",
		    v[i].label, line, ctx, ref, out);
		return -1;
	}
	return 0;
}

/* Instructions per context of each program, with --callgrind. */
static void
count_instructions(Variant *v, const BenchOpts *b, const char *dir, const char *empty,
    long contexts, int tty)
{
	double full, none;
	int i;

	for (i = 0; i < NVAR; i++) {
		v[i].ir = -1;
		if (!b->callgrind)
			continue;
		progress(tty, 1, 1, xprintf("callgrind %d/3", i + 1));
		full = callgrind(&v[i], b->inputs, dir);
		none = callgrind(&v[i], empty, dir);
		if (full > 0 && none > 0)
			v[i].ir = (full - none) / (double)contexts;
	}
	if (tty && b->callgrind)
		fprintf(stderr, "\r%40s\r", "");
}

/* One row of the table. */
static void
print_row(const Variant *v, const Variant *ref, long contexts, int use_callgrind)
{
	double pc = per_context(v, contexts), rpc = per_context(ref, contexts);

	if (pc > 0)
		printf("%-14s %14.0f %14.0f", v->label, 1 / pc, pc * 1e9);
	else
		printf("%-14s %14s %14s", v->label, "n/a", "n/a");
	if (pc > 0 && rpc > 0)
		printf(" %9.2fx", rpc / pc);
	else
		printf(" %10s", "n/a");
	printf(" %10.1f %12.1f", v->best * 1e3, v->start * 1e3);
	if (use_callgrind && v->ir > 0)
		printf(" %16.0f", v->ir);
	else if (use_callgrind)
		printf(" %16s", "n/a");
	printf("\n");
}

/* The table, and a warning for each run too short to time. */
static void
report(const Variant *v, const BenchOpts *b, long contexts)
{
	int i;

	printf("flow: %s\ninputs: %s (%ld contexts), best of %d interleaved runs; outputs identical\n",
	    b->flow, b->inputs, contexts, b->runs);
	printf("each program's start-up (its best time on an empty input) is subtracted from its best\n\n");
	printf("%-14s %14s %14s %10s %10s %12s%s\n", "program", "contexts/s", "ns/context", "speed-up",
	    "best ms", "start-up ms", b->callgrind ? "   instr/context" : "");
	for (i = 0; i < NVAR; i++)
		print_row(&v[i], &v[0], contexts, b->callgrind);
	if (b->callgrind && v[0].ir > 0 && v[2].ir > 0)
		printf("\ninstructions: -O2 needs %.1fx fewer than the interpreter per context\n",
		    v[0].ir / v[2].ir);
	fflush(stdout);
	for (i = 0; i < NVAR; i++)
		if (v[i].best - v[i].start < MIN_NET)
			fprintf(stderr, "flowc: bench: warning: %s ran %.1f ms beyond its start-up, too "
			    "short to time (under %.0f ms): give more contexts\n", v[i].label,
			    (v[i].best - v[i].start) * 1e3, MIN_NET * 1e3);
}

/* Remove the work directory. */
static void
clean(const Variant *v, const char *dir)
{
	int i;

	for (i = 0; i < NVAR; i++)
		unlink(xprintf("%s/%s", dir, v[i].file));
	unlink(xprintf("%s/flow-O0", dir));
	unlink(xprintf("%s/flow-O2", dir));
	unlink(xprintf("%s/cg.log", dir));
	unlink(xprintf("%s/empty", dir));
	rmdir(dir);
}

/* flowc bench (see the file's comment).  Returns the exit status. */
int
bench_run(const Graph *g, const flow_prog *p, const BenchOpts *b)
{
	char dir[] = "/tmp/flowc-bench.XXXXXX";
	Variant v[NVAR];
	int tty = isatty(2);
	long contexts;
	const char *empty;
	FILE *f;

	memset(v, 0, sizeof v);
	if (!mkdtemp(dir)) {
		fprintf(stderr, "flowc: cannot make a temporary directory: %s\n", strerror(errno));
		return 2;
	}
	empty = xprintf("%s/empty", dir);
	if (!(f = fopen(empty, "w")) || fclose(f) != 0)
		return 2;
	if (variants(v, g, p, b, dir) < 0 || time_all(v, b, dir, empty, tty) < 0 ||
	    check_outputs(v, dir) < 0)
		return 1;
	contexts = count_lines(xprintf("%s/%s", dir, v[0].file));
	if (contexts <= 0) {
		fprintf(stderr, "flowc: bench: no contexts in %s\n", b->inputs);
		return 1;
	}
	count_instructions(v, b, dir, empty, contexts, tty);
	report(v, b, contexts);
	if (b->svg)
		svg(b->svg, v, contexts);
	clean(v, dir);
	return 0;
}
