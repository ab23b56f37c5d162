/*
 * bench.c: `flowc bench FLOW -i INPUTS`, optimized against interpreted.
 *
 * The same inputs go through three programs: the interpreter (this very
 * flowc, `run`), the flow compiled at -O0 (its tables through the
 * runtime's orchestrator) and at -O2 (the static schedule where the flow
 * has one).  The runs are interleaved (interpreter, -O0, -O2, then again)
 * so that a noisy machine slows all three alike; the best of N wall
 * times is reported, and ratios are taken within the one run.  Before
 * any number is printed, the three outputs must be byte-identical.
 * With --callgrind, each program also runs under valgrind's callgrind on
 * the inputs and on no input at all; the difference divided by the
 * number of contexts is the instructions per context, a figure that does
 * not move with machine load.  --svg writes a bar chart.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "flowc.h"

typedef struct Variant {
	const char *label;
	char **argv;            /* NULL-terminated; the input file is last */
	double best;            /* seconds */
	double ir;              /* instructions per context, or -1 */
} Variant;

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

static int
same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "r"), *fb = fopen(b, "r");
	int ca, cb, same = fa && fb;

	while (same && ((ca = getc(fa)) != EOF || 1)) {
		cb = getc(fb);
		if (ca != cb)
			same = 0;
		if (ca == EOF)
			break;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
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

static void
svg(const char *path, const Variant *v, int n, long contexts)
{
	FILE *f = fopen(path, "w");
	double max = 0;
	int i;

	if (!f) {
		fprintf(stderr, "flowc: %s: %s\n", path, strerror(errno));
		return;
	}
	for (i = 0; i < n; i++)
		if (contexts / v[i].best > max)
			max = contexts / v[i].best;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"%d\" "
	    "font-family=\"sans-serif\" font-size=\"14\">\n", 60 + 50 * n);
	fprintf(f, "<text x=\"10\" y=\"24\">contexts per second (best of runs; longer is faster)</text>\n");
	for (i = 0; i < n; i++) {
		double w = max > 0 ? 420.0 * (contexts / v[i].best) / max : 0;
		int y = 44 + 50 * i;
		fprintf(f, "<text x=\"10\" y=\"%d\">%s</text>\n", y + 22, v[i].label);
		fprintf(f, "<rect x=\"130\" y=\"%d\" width=\"%.1f\" height=\"32\" fill=\"%s\"/>\n",
		    y, w, i == 0 ? "#a0a0a0" : "#3b7dd8");
		fprintf(f, "<text x=\"%.1f\" y=\"%d\">%.0f</text>\n", 136 + w, y + 22, contexts / v[i].best);
	}
	fprintf(f, "</svg>\n");
	fclose(f);
}

/* The three programs: flowc run, and the flow built at -O0 and -O2. */
static int
variants(Variant *v, const Graph *g, const flow_prog *p, const char *flow,
    const char *inputs, const char *dir, const char *const *overlays, int noverlays)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	EmitOpts eo;
	int i, k;

	if (n <= 0)
		return -1;
	self[n] = 0;
	memset(&eo, 0, sizeof eo);
	v[0].label = "interpreter";
	v[0].argv = xalloc(sizeof(char *) * (size_t)(8 + 2 * noverlays));
	k = 0;
	v[0].argv[k++] = xstrdup(self);
	v[0].argv[k++] = "run";
	v[0].argv[k++] = (char *)flow;
	for (i = 0; i < noverlays; i++) {
		v[0].argv[k++] = "--overlay";
		v[0].argv[k++] = (char *)overlays[i];
	}
	v[0].argv[k++] = "-i";
	v[0].argv[k++] = (char *)inputs;
	for (i = 1; i <= 2; i++) {
		Plan *plan = i == 2 ? pass_static((Graph *)g) : NULL;
		const char *exe = xprintf("%s/flow-O%d", dir, i == 1 ? 0 : 2);
		eo.opt = i == 1 ? 0 : 2;
		eo.source = flow;
		if (cc_build(g, p, plan, &eo, exe, NULL, NULL) != 0)
			return -1;
		v[i].label = i == 1 ? "compiled -O0" : "compiled -O2";
		v[i].argv = xalloc(sizeof(char *) * 4);
		v[i].argv[0] = (char *)exe;
		v[i].argv[1] = "-i";
		v[i].argv[2] = (char *)inputs;
	}
	return 0;
}

/* flowc bench (see the file's comment).  Returns the exit status. */
int
bench_run(const Graph *g, const flow_prog *p, const char *flow, const char *inputs,
    int runs, int use_callgrind, const char *svgpath, const char *const *overlays, int noverlays)
{
	char dir[] = "/tmp/flowc-bench.XXXXXX";
	Variant v[3];
	int tty = isatty(2), r, i;
	long contexts;
	const char *empty;

	memset(v, 0, sizeof v);
	if (!mkdtemp(dir)) {
		fprintf(stderr, "flowc: cannot make a temporary directory: %s\n", strerror(errno));
		return 2;
	}
	if (variants(v, g, p, flow, inputs, dir, overlays, noverlays) < 0)
		return 1;
	for (i = 0; i < 3; i++)
		v[i].best = 1e30;
	for (r = 1; r <= runs; r++)
		for (i = 0; i < 3; i++) {
			const char *out = xprintf("%s/out%d", dir, i);
			double t0;
			int st;
			progress(tty, r, runs, v[i].label);
			t0 = now();
			st = spawn(v[i].argv, out, NULL);
			t0 = now() - t0;
			if (st < 0 || st > 1) {
				fprintf(stderr, "%sflowc: %s exited with %d\n", tty ? "\n" : "", v[i].label, st);
				return 1;
			}
			if (t0 < v[i].best)
				v[i].best = t0;
		}
	if (tty)
		fprintf(stderr, "\r%40s\r", "");
	for (i = 1; i < 3; i++)
		if (!same_file(xprintf("%s/out0", dir), xprintf("%s/out%d", dir, i))) {
			fprintf(stderr, "flowc: bench: %s and the interpreter disagree (outputs kept in %s)\n",
			    v[i].label, dir);
			return 1;
		}
	contexts = count_lines(xprintf("%s/out0", dir));
	if (contexts <= 0) {
		fprintf(stderr, "flowc: bench: no contexts in %s\n", inputs);
		return 1;
	}
	empty = xprintf("%s/empty", dir);
	fclose(fopen(empty, "w"));
	for (i = 0; i < 3; i++) {
		v[i].ir = -1;
		if (use_callgrind) {
			double full, none;
			progress(tty, 1, 1, xprintf("callgrind %d/3", i + 1));
			full = callgrind(&v[i], inputs, dir);
			none = callgrind(&v[i], empty, dir);
			if (full > 0 && none > 0)
				v[i].ir = (full - none) / (double)contexts;
		}
	}
	if (tty)
		fprintf(stderr, "\r%40s\r", "");
	printf("flow: %s\ninputs: %s (%ld contexts), best of %d interleaved runs; outputs identical\n\n",
	    flow, inputs, contexts, runs);
	printf("%-14s %14s %14s %10s%s\n", "program", "contexts/s", "ns/context", "speed-up",
	    use_callgrind ? "   instr/context" : "");
	for (i = 0; i < 3; i++) {
		printf("%-14s %14.0f %14.0f %9.2fx", v[i].label, contexts / v[i].best,
		    v[i].best * 1e9 / contexts, v[0].best / v[i].best);
		if (use_callgrind && v[i].ir > 0)
			printf(" %16.0f", v[i].ir);
		else if (use_callgrind)
			printf(" %16s", "n/a");
		printf("\n");
	}
	if (use_callgrind && v[0].ir > 0 && v[2].ir > 0)
		printf("\ninstructions: -O2 needs %.1fx fewer than the interpreter per context\n",
		    v[0].ir / v[2].ir);
	if (svgpath)
		svg(svgpath, v, 3, contexts);
	for (i = 0; i < 3; i++)
		unlink(xprintf("%s/out%d", dir, i));
	unlink(xprintf("%s/flow-O0", dir));
	unlink(xprintf("%s/flow-O2", dir));
	unlink(xprintf("%s/cg.log", dir));
	unlink(empty);
	rmdir(dir);
	return 0;
}
