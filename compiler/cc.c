/*
 * cc.c: from generated C to an executable.
 *
 * flowc finds the runtime it was built with, relative to its own
 * executable (/proc/self/exe): in the build tree build/flowc sits next to
 * build/libflowrt.a and build/include/; after `make install` bin/flowc
 * finds ../lib/libflowrt.a and ../include/.  FLOWC_HOME overrides both
 * (a directory with either layout).  The C file is written to a private
 * temporary directory that is removed afterwards; the compiler is run
 * directly (fork/exec, no shell), so no file name is ever interpreted.
 *
 * Programs are hardened by default (cc_harden): stack protector,
 * position-independent with full RELRO, _FORTIFY_SOURCE=2 when
 * optimizing; the user's --cflags come after these words, so they can
 * override them.  --static links with -static-pie: one file, no
 * interpreter, still randomized.  Every program links libseccomp for
 * its sandbox (runtime/sandbox.c), which --sandbox=off leaves unused.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "flowc.h"

static int
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Fill h from dir if it has either layout. */
static int
try_home(Home *h, const char *dir)
{
	h->share = xprintf("%s/share/flowc", dir);
	if (is_file(xprintf("%s/include/flowrt.h", dir)) && is_file(xprintf("%s/libflowrt.a", dir))) {
		h->include = xprintf("%s/include", dir);
		h->lib = xstrdup(dir);
		return 1;
	}
	if (is_file(xprintf("%s/include/flowrt.h", dir)) && is_file(xprintf("%s/lib/libflowrt.a", dir))) {
		h->include = xprintf("%s/include", dir);
		h->lib = xprintf("%s/lib", dir);
		return 1;
	}
	return 0;
}

/* Locate the runtime (see flowc.h); 0 on success. */
int
cc_home(Home *h)
{
	char exe[PATH_MAX];
	const char *env = getenv("FLOWC_HOME");
	ssize_t n;
	char *slash;

	if (env && *env) {
		if (try_home(h, env))
			return 0;
		fprintf(stderr, "flowc: FLOWC_HOME=%s has no include/flowrt.h and libflowrt.a\n", env);
		return -1;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0) {
		fprintf(stderr, "flowc: cannot find my own executable; set FLOWC_HOME\n");
		return -1;
	}
	exe[n] = 0;
	if ((slash = strrchr(exe, '/')))
		*slash = 0;
	if (try_home(h, exe) || try_home(h, xprintf("%s/..", exe)))
		return 0;
	fprintf(stderr, "flowc: no runtime (flowrt.h, libflowrt.a) near %s; set FLOWC_HOME\n", exe);
	return -1;
}

/* Split s on blanks (see flowc.h). */
char **
cc_words(const char *s, int *n)
{
	char **v = xalloc(sizeof(char *) * (strlen(s) / 2 + 2));

	*n = 0;
	while (*s) {
		size_t k;
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		k = strcspn(s, " \t");
		v[(*n)++] = xstrndup(s, k);
		s += k;
	}
	v[*n] = NULL;
	return v;
}

/* The hardening flags (see flowc.h). */
const char *const *
cc_harden(char *const *v, int n, int static_link)
{
	static const char *w[8];
	int i, k = 0, optimizing = 0, fortify = 1;

	for (i = 0; i < n; i++) {
		if (strncmp(v[i], "-O", 2) == 0)
			optimizing = strcmp(v[i], "-O0") != 0;
		if (strncmp(v[i], "-fsanitize", 10) == 0 || strstr(v[i], "_FORTIFY_SOURCE"))
			fortify = 0;
	}
	w[k++] = "-fstack-protector-strong";
	w[k++] = "-fPIE";
	w[k++] = static_link ? "-static-pie" : "-pie";
	w[k++] = "-Wl,-z,relro,-z,now";
	if (optimizing && fortify)
		w[k++] = "-D_FORTIFY_SOURCE=2";
	w[k] = NULL;
	return w;
}

/* Run argv and wait (see flowc.h). */
int
cc_run(char *const *argv)
{
	pid_t pid;
	int st;

	fflush(NULL);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "flowc: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Generate and compile (see flowc.h). */
/* Add word w to the set *v (n words) unless it is there. */
static void
add_word(const char ***v, int *n, int *cap, const char *w)
{
	const char **nv;
	int i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], w) == 0)
			return;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		nv = xalloc(sizeof *nv * (size_t)*cap);
		if (*n)
			memcpy(nv, *v, sizeof *nv * (size_t)*n);
		*v = nv;
	}
	(*v)[(*n)++] = w;
}

/* The operations of g and its subflows that need a library
 * (flow_impl.sym): "-Wl,-u,SYM" for each, then each library once.  -1,
 * with a message, for a --static build of an operation whose library
 * cannot be linked statically here. */
static int
collect_links(const Graph *g, int stat, const char ***u, int *nu, int *capu,
    const char ***l, int *nl, int *capl)
{
	int i, n;
	char **w;

	for (i = 0; i < g->nops; i++) {
		const flow_impl *im = g->ops[i].impl;
		if (g->ops[i].subflow &&
		    collect_links(g->ops[i].subflow, stat, u, nu, capu, l, nl, capl) < 0)
			return -1;
		if (!im || !im->sym)
			continue;
		if (stat && strstr(im->link, "-larchive")) {
			fprintf(stderr, "flowc: --static: operation '%s' needs libarchive, whose "
			    "static library needs static libraries make deps does not install "
			    "(libacl, libzstd, liblz4); build this flow without --static\n", im->name);
			return -1;
		}
		add_word(u, nu, capu, xprintf("-Wl,-u,%s", im->sym));
		w = cc_words(im->link, &n);
		while (n-- > 0)
			add_word(l, nl, capl, *w++);
	}
	return 0;
}

/* collect_links as one list: the -u flags first, then the libraries. */
static int
op_links(const Graph *g, int stat, const char ***out, int *n)
{
	const char **u = NULL, **l = NULL;
	int nu = 0, capu = 0, nl = 0, capl = 0, i;

	if (collect_links(g, stat, &u, &nu, &capu, &l, &nl, &capl) < 0)
		return -1;
	for (i = 0; i < nl; i++)
		add_word(&u, &nu, &capu, l[i]);
	*out = u;
	*n = nu;
	return 0;
}

int
cc_build(const Graph *g, const flow_prog *p, const Plan *plan, const EmitOpts *o,
    const char *exe, const char *cc, const char *cflags)
{
	char dir[] = "/tmp/flowc.XXXXXX";
	const char *src;
	char **words, **argv;
	int nw, nf, i, k = 0, rc;
	char **flags;
	const char *const *hard;
	const char **link;
	int nlink;
	FILE *f;
	Home h;

	if (cc_home(&h) < 0)
		return -1;
	if (!mkdtemp(dir)) {
		fprintf(stderr, "flowc: cannot make a temporary directory: %s\n", strerror(errno));
		return -1;
	}
	src = xprintf("%s/flow.c", dir);
	if (!(f = fopen(src, "w"))) {
		fprintf(stderr, "flowc: %s: %s\n", src, strerror(errno));
		rmdir(dir);
		return -1;
	}
	emit_c(g, p, plan, o, f);
	if (fclose(f) != 0) {
		fprintf(stderr, "flowc: %s: write error\n", src);
		unlink(src);
		rmdir(dir);
		return -1;
	}
	if (op_links(g, o->static_link, &link, &nlink) < 0) {
		unlink(src);
		rmdir(dir);
		return -1;
	}
	words = cc_words(cc && *cc ? cc : "cc", &nw);
	if (!cflags)
		cflags = getenv("FLOWC_CFLAGS");
	flags = cc_words(cflags && *cflags ? cflags : "-O2", &nf);
	argv = xalloc(sizeof(char *) * (size_t)(nw + nf + nlink + 24 + (o->user ? o->user->nfiles : 0)));
	for (i = 0; i < nw; i++)
		argv[k++] = words[i];
	argv[k++] = "-std=c99";
	for (hard = cc_harden(flags, nf, o->static_link); *hard; hard++)
		argv[k++] = (char *)*hard;
	for (i = 0; i < nf; i++)
		argv[k++] = flags[i];
	argv[k++] = xprintf("-I%s", h.include);
	argv[k++] = "-o";
	argv[k++] = (char *)exe;
	argv[k++] = (char *)src;
	for (i = 0; o->user && i < o->user->nfiles; i++)       /* --ops files */
		argv[k++] = o->user->files[i][0] == '-' ? xprintf("./%s", o->user->files[i]) :
		    (char *)o->user->files[i];
	for (i = 0; i < nlink && strncmp(link[i], "-Wl,-u,", 7) == 0; i++)
		argv[k++] = (char *)link[i];
	argv[k++] = xprintf("%s/libflowrt.a", h.lib);
	argv[k++] = "-ljansson";
	for (; i < nlink; i++)
		argv[k++] = (char *)link[i];
	if (o->static_link && nlink > 0)
		argv[k++] = "-lz";      /* libsqlite3.a's own */
	if (o->sandbox >= 0)
		argv[k++] = "-lseccomp";
	argv[k++] = "-lm";
	argv[k++] = "-lpthread";   /* -j N */
	argv[k] = NULL;
	rc = nw > 0 ? cc_run(argv) : -1;
	if (rc != 0)
		fprintf(stderr, "flowc: the C compiler failed (%s exited with %d); the source was %s\n",
		    argv[0], rc, getenv("FLOWC_KEEP") ? src : "removed (set FLOWC_KEEP=1 to keep it)");
	if (!getenv("FLOWC_KEEP")) {
		unlink(src);
		rmdir(dir);
	} else if (rc == 0) {
		fprintf(stderr, "flowc: kept the C source in %s\n", src);
	}
	return rc == 0 ? 0 : -1;
}
