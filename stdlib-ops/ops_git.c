/*
 * ops_git.c: the operations of DFFML's git feature
 * (feature/git/dffml_feature_git/feature/operations.py) that DFFML's
 * maintained-cgi-bin example uses: a git repository cloned, its default
 * branch, commits, author lines, releases and work spread per quarter.
 *
 * git runs exactly as DFFML runs it, with the same arguments, through
 * flow_ops_run (ops_proc.c: posix_spawnp, never a shell, standard input
 * /dev/null), and its output is parsed the same way: bytes decoded as
 * UTF-8 with invalid bytes dropped (errors="ignore"), lines split at
 * '\n', Python's strip() and split() on ASCII whitespace.  A command
 * that exits non-zero where DFFML's check_output, run_command or stop
 * raises is an error of the operation, as is git missing.
 *
 * A repository is the map {URL, directory} clone_git_repo gives (DFFML
 * turns it into a GitRepoSpec; only `directory` is read).  Dates are
 * "%Y-%m-%d %H:%M" strings, read as Python's strptime reads them and
 * moved by whole months as dateutil's relativedelta moves them.
 */
#define _GNU_SOURCE 1   /* memmem */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ops.h"

/* ---- text as Python decodes and splits it ------------------------- */

/* The length of the valid UTF-8 sequence at s[0..n), or 0. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, k;
	unsigned long cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[k] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/* p[0..n) decoded with errors="ignore": invalid bytes dropped (one at a
 * time, which drops what Python's maximal subparts drop). */
static flow_val
decode(flow_arena *a, const char *p, size_t n)
{
	flow_str *s = flow_ops_str_alloc(a, n);
	size_t i = 0, j = 0, k;

	while (i < n) {
		k = utf8_seq((const unsigned char *)p + i, n - i);
		if (k == 0) {
			i++;
			continue;
		}
		memcpy(s->s + j, p + i, k);
		i += k, j += k;
	}
	s->s[j] = '\0';
	s->len = j;
	return flow_strv(s);
}

/* Is c whitespace to Python's str.split() (its ASCII part)? */
static int
is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* Cut the whitespace off the end of [*p, *e), and off the start too
 * when both is set (rstrip, strip). */
static void
strip(const char **p, const char **e, int both)
{
	while (*e > *p && is_space((unsigned char)(*e)[-1]))
		(*e)--;
	while (both && *p < *e && is_space((unsigned char)**p))
		(*p)++;
}

/* The first whitespace-separated word of [p, e): *w, *we (empty if none). */
static void
first_word(const char *p, const char *e, const char **w, const char **we)
{
	while (p < e && is_space((unsigned char)*p))
		p++;
	*w = p;
	while (p < e && !is_space((unsigned char)*p))
		p++;
	*we = p;
}

/* ---- running git ------------------------------------------------- */

/* What a command gave: its output (decoded) and exit status. */
typedef struct run {
	flow_val out, err;      /* strings */
	int64_t code;
} run;

/* Run argv in cwd; r gets its output.  Fails when it cannot start. */
static int
run_cmd(flow_opctx *c, char **argv, const char *cwd, run *r)
{
	flow_ops_bytes bo = {0}, be = {0};
	int rc = flow_ops_run(argv, cwd, &bo, &be, &r->code);

	if (rc == 0) {
		r->out = decode(c->arena, bo.s ? bo.s : "", bo.n);
		r->err = decode(c->arena, be.s ? be.s : "", be.n);
	}
	free(bo.s);
	free(be.s);
	if (rc != 0)
		return flow_fail(c, "cannot run '%s'%s%.*s: %s", argv[0], cwd ? " in " : "",
		                 cwd ? flow_utf8_cut(cwd, 80) : 0, cwd ? cwd : "", strerror(rc));
	return 0;
}

/* DFFML's proc.stop: an exit status other than 0 raises, with the
 * output (what check_output read, else nothing) in the message. */
static int
stop(flow_opctx *c, char **argv, const run *r, int with_output)
{
	const char *o = "", *e = o;

	if (r->code == 0)
		return 0;
	if (with_output) {
		size_t n = r->out.u.s->len + r->err.u.s->len;
		char *s = flow_alloc(c->arena, n + 1);
		memcpy(s, r->out.u.s->s, r->out.u.s->len);
		memcpy(s + r->out.u.s->len, r->err.u.s->s, r->err.u.s->len + 1);
		o = s, e = s + n;
		strip(&o, &e, 0);
	}
	return flow_fail(c, "'%s' exited with code %lld: '%.*s'", argv[0],
	                 (long long)r->code, flow_utf8_cut(o, (int)(e - o) < 120 ? (int)(e - o) : 120), o);
}

/* DFFML's check_output: run, stop, and give stdout, or stderr when
 * stdout is empty. */
static int
check_output(flow_opctx *c, char **argv, const char *cwd, flow_val *text)
{
	run r;

	if (run_cmd(c, argv, cwd, &r) < 0 || stop(c, argv, &r, 1) < 0)
		return -1;
	*text = r.out.u.s->len ? r.out : r.err;
	return 0;
}

/* DFFML's create + reading stdout + stop: stdout of a command that must
 * succeed (its standard error is not in the message). */
static int
read_output(flow_opctx *c, char **argv, const char *cwd, flow_val *text)
{
	run r;

	if (run_cmd(c, argv, cwd, &r) < 0 || stop(c, argv, &r, 0) < 0)
		return -1;
	*text = r.out;
	return 0;
}

/* The directory of repository value v (a map with a string
 * `directory`), or NULL after failing. */
static const char *
repo_dir(flow_opctx *c, flow_val v)
{
	long k;

	if (v.kind != FLOW_MAP)
		return flow_ops_bad(c, "repo", "a map {URL, directory}", v), NULL;
	k = flow_map_find(v.u.m, "directory", 9);
	if (k < 0 || v.u.m->vals[k].kind != FLOW_STR) {
		flow_fail(c, "repo must have a string 'directory', not %s", flow_ops_show(c, v));
		return NULL;
	}
	return v.u.m->vals[k].u.s->s;
}

/* The two strings of a (start, end) pair, or -1 after failing. */
static int
date_pair(flow_opctx *c, flow_val v, char **start, char **end)
{
	if (v.kind != FLOW_ARRAY || v.u.a->n != 2 || v.u.a->items[0].kind != FLOW_STR ||
	    v.u.a->items[1].kind != FLOW_STR)
		return flow_ops_bad(c, "start_end", "a list of two date strings", v);
	*start = (char *)v.u.a->items[0].u.s->s;
	*end = (char *)v.u.a->items[1].u.s->s;
	return 0;
}

/* The arguments common to repo, branch, start_end operations. */
static int
repo_branch_dates(flow_opctx *c, const flow_val *args, const char **dir,
                  char **branch, char **start, char **end)
{
	if ((*dir = repo_dir(c, args[0])) == NULL)
		return -1;
	if (args[1].kind != FLOW_STR)
		return flow_ops_bad(c, "branch", "a string", args[1]);
	*branch = (char *)args[1].u.s->s;
	return date_pair(c, args[2], start, end);
}

/* The map {key: v}. */
static flow_val
one(flow_opctx *c, const char *key, flow_val v)
{
	flow_map *m = flow_map_new(c->arena, 1);

	flow_map_put(m, flow_str_cstr(c->arena, key), v);
	return flow_mapv(m);
}

/* ---- quarters_back_to_date --------------------------------------- */

/* Python's strptime(s, "%Y-%m-%d %H:%M"): its regular expression, each
 * directive's alternatives tried in order, then "unconverted data
 * remains" unless it matched all of s.  A directive is a list of
 * alternatives, an alternative a list of character sets. */
#define DG "0123456789"
#define NZ "123456789"
typedef struct alt {
	const char *set[2];
} alt;
static const alt dir_y[] = {{{NULL}}};  /* four digits, special-cased */
static const alt dir_m[] = {{{"1", "012"}}, {{"0", NZ}}, {{NZ}}, {{NULL}}};
static const alt dir_d[] = {{{"3", "01"}}, {{"12", DG}}, {{"0", NZ}}, {{NZ}}, {{" ", NZ}}, {{NULL}}};
static const alt dir_h[] = {{{"2", "0123"}}, {{"01", DG}}, {{DG}}, {{NULL}}};
static const alt dir_min[] = {{{"012345", DG}}, {{DG}}, {{NULL}}};
/* The pattern: directives, separators ('-', ':', ' ' for \s+), end. */
static const struct {
	const alt *dir;
	char sep;
} pattern[] = {{dir_y, 0}, {NULL, '-'}, {dir_m, 0}, {NULL, '-'}, {dir_d, 0},
	       {NULL, ' '}, {dir_h, 0}, {NULL, ':'}, {dir_min, 0}, {NULL, 0}};

/* Does alternative a match at s?  Its value and length then. */
static int
alt_match(const alt *a, const char *s, int *val, size_t *len)
{
	size_t k;

	*val = 0;
	for (k = 0; k < 2 && a->set[k]; k++) {
		if (s[k] == '\0' || !strchr(a->set[k], s[k]))
			return 0;
		if (s[k] != ' ')
			*val = *val * 10 + (s[k] - '0');
	}
	*len = k;
	return 1;
}

/* Match pattern item i onwards at s (backtracking over alternatives);
 * vals gets the five numbers, *end where the match ended. */
static int
match(int i, const char *s, int *vals, const char **end)
{
	const alt *a;
	size_t len, k;

	if (pattern[i].dir == NULL && pattern[i].sep == 0) {
		*end = s;
		return 1;
	}
	if (pattern[i].sep == ' ') {
		for (k = 0; is_space((unsigned char)s[k]); k++)
			;
		return k > 0 && match(i + 1, s + k, vals, end);
	}
	if (pattern[i].sep)
		return *s == pattern[i].sep && match(i + 1, s + 1, vals, end);
	if (pattern[i].dir == dir_y) {
		for (k = 0, vals[0] = 0; k < 4 && s[k] >= '0' && s[k] <= '9'; k++)
			vals[0] = vals[0] * 10 + (s[k] - '0');
		return k == 4 && match(i + 1, s + 4, vals, end);
	}
	for (a = pattern[i].dir; a->set[0]; a++)
		if (alt_match(a, s, &vals[i / 2], &len) && match(i + 1, s + len, vals, end))
			return 1;
	return 0;
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return days[m - 1] + (m == 2 && leap(y));
}

/* Format the date `months` months before t (y, m, d, H, M) as
 * relativedelta does (the day cut to the month's last), or fail. */
static int
months_back(flow_opctx *c, const int *t, int64_t months, flow_val *out)
{
	int64_t idx = (int64_t)t[0] * 12 + (t[1] - 1) - months;
	int y, m, d;
	char buf[40];

	if (idx < 12 || idx >= 10000 * 12)
		return flow_fail(c, "year is out of range");
	y = (int)(idx / 12), m = (int)(idx % 12) + 1;
	d = t[2] < month_days(y, m) ? t[2] : month_days(y, m);
	snprintf(buf, sizeof buf, "%d-%02d-%02d %02d:%02d", y, m, d, t[3], t[4]);
	*out = flow_string(c->arena, buf, strlen(buf));
	return 0;
}

/* The array of n given values. */
static flow_val
arr(flow_opctx *c, size_t n, const flow_val *v)
{
	flow_array *a = flow_array_new(c->arena, n);

	memcpy(a->items, v, n * sizeof *v);
	return flow_arrayv(a);
}

/* quarters_back_to_date(date, number): {date: [date - 3*number months],
 * start_end: [[that, 3 months before that]]}. */
FLOW_STD(quarters_back_to_date)
{
	int t[5];
	const char *end;
	int64_t n;
	flow_val v[2], pair, d;
	flow_map *m;

	if (args[0].kind != FLOW_STR)
		return flow_ops_bad(c, "date", "a string", args[0]);
	if (args[1].kind == FLOW_BOOL)
		n = args[1].u.b;
	else if (args[1].kind == FLOW_INT)
		n = args[1].u.i;
	else
		return flow_ops_bad(c, "number", "an int", args[1]);
	if (!match(0, args[0].u.s->s, t, &end))
		return flow_fail(c, "time data %s does not match format '%%Y-%%m-%%d %%H:%%M'",
		                 flow_ops_show(c, args[0]));
	if (end != args[0].u.s->s + args[0].u.s->len)
		return flow_fail(c, "unconverted data remains: %.*s", flow_utf8_cut(end, 60), end);
	if (t[0] < 1 || t[2] > month_days(t[0], t[1]))
		return flow_fail(c, "%s is not a date", flow_ops_show(c, args[0]));
	if (n > INT64_MAX / 3 - 3 || n < INT64_MIN / 3 + 3)
		return flow_fail(c, "number is out of range");
	if (months_back(c, t, n * 3, &v[0]) < 0 || months_back(c, t, n * 3 + 3, &v[1]) < 0)
		return -1;
	pair = arr(c, 2, v);
	d = arr(c, 1, v);
	m = flow_map_new(c->arena, 2);
	flow_map_put(m, flow_str_cstr(c->arena, "date"), d);
	flow_map_put(m, flow_str_cstr(c->arena, "start_end"), arr(c, 1, &pair));
	*out = flow_mapv(m);
	return 0;
}

/* ---- cloning and cleaning up ------------------------------------ */

/* check_if_valid_git_repository_URL(URL): {valid: git ls-remote URL
 * exits 0}. */
FLOW_STD(check_if_valid_git_repository_URL)
{
	char *argv[] = {"git", "ls-remote", NULL, NULL};
	run r;

	if (args[0].kind != FLOW_STR)
		return flow_ops_bad(c, "URL", "a string", args[0]);
	argv[2] = (char *)args[0].u.s->s;
	if (run_cmd(c, argv, NULL, &r) < 0)
		return -1;
	*out = one(c, "valid", flow_bool(r.code == 0));
	return 0;
}

/* URL with https://github.com given GH_ACCESS_TOKEN, as DFFML does. */
static const char *
with_token(flow_opctx *c, const char *url)
{
	static const char gh[] = "https://github.com";
	const char *tok = getenv("GH_ACCESS_TOKEN");
	char *s;
	size_t n;

	if (tok == NULL || strncmp(url, gh, sizeof gh - 1) != 0)
		return url;
	n = strlen(tok) + strlen(url) + 2;
	s = flow_alloc(c->arena, n);
	snprintf(s, n, "https://%s@github.com%s", tok, url + sizeof gh - 1);
	return s;
}

/* Remove directory dir with rm -rf, as DFFML does; fails as
 * run_command does. */
static int
remove_dir(flow_opctx *c, char *dir)
{
	char *argv[] = {"rm", "-rf", NULL, NULL};
	run r;

	argv[2] = dir;
	if (run_cmd(c, argv, NULL, &r) < 0)
		return -1;
	if (r.code != 0)
		return flow_fail(c, "'rm -rf %.*s' exited with code %lld", flow_utf8_cut(dir, 80),
		                 dir, (long long)r.code);
	return 0;
}

/* clone_git_repo(URL): git clone URL into a new temporary directory;
 * {repo: {URL, directory}}.  The directory is removed if git fails. */
FLOW_STD(clone_git_repo)
{
	const char *tmp = getenv("TMPDIR");
	char *argv[] = {"git", "clone", NULL, NULL, NULL};
	char *dir, *msg;
	size_t n;
	flow_map *m;
	run r;

	if (args[0].kind != FLOW_STR)
		return flow_ops_bad(c, "URL", "a string", args[0]);
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	n = strlen(tmp) + sizeof "/dffml-feature-git-XXXXXX";
	dir = flow_alloc(c->arena, n);
	snprintf(dir, n, "%s/dffml-feature-git-XXXXXX", tmp);
	if (mkdtemp(dir) == NULL)
		return flow_fail(c, "cannot make a directory in %s: %s", tmp, strerror(errno));
	argv[2] = (char *)with_token(c, args[0].u.s->s);
	argv[3] = dir;
	if (run_cmd(c, argv, NULL, &r) < 0 || stop(c, argv, &r, 1) < 0) {
		msg = flow_alloc(c->arena, strlen(c->errmsg) + 1);
		strcpy(msg, c->errmsg);
		remove_dir(c, dir);
		return flow_fail(c, "%s", msg);
	}
	m = flow_map_new(c->arena, 2);
	flow_map_put(m, flow_str_cstr(c->arena, "URL"), flow_string(c->arena, argv[2], strlen(argv[2])));
	flow_map_put(m, flow_str_cstr(c->arena, "directory"), flow_string(c->arena, dir, strlen(dir)));
	*out = one(c, "repo", flow_mapv(m));
	return 0;
}

/* cleanup_git_repo(repo): rm -rf its directory, unless
 * DFFML_FEATURE_GIT_SKIP_CLEANUP is set; {}. */
FLOW_STD(cleanup_git_repo)
{
	const char *dir = repo_dir(c, args[0]);

	if (dir == NULL)
		return -1;
	if (getenv("DFFML_FEATURE_GIT_SKIP_CLEANUP") == NULL && remove_dir(c, (char *)dir) < 0)
		return -1;
	*out = flow_mapv(flow_map_new(c->arena, 0));
	return 0;
}

/* ---- branches and commits --------------------------------------- */

/* git_repo_default_branch(repo): from the `origin/HEAD -> origin/main`
 * line of git branch -r, {remote: origin, branch: main}; no output when
 * every line is empty, an error when no line has "->". */
FLOW_STD(git_repo_default_branch)
{
	char *argv[] = {"git", "branch", "-r", NULL};
	const char *dir = repo_dir(c, args[0]);
	const char *p, *e, *end, *w, *slash;
	flow_val text;
	flow_map *m;
	int any = 0;

	if (dir == NULL || check_output(c, argv, dir, &text) < 0)
		return -1;
	end = text.u.s->s + text.u.s->len;
	for (p = text.u.s->s; ; p = e + 1) {
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			e = end;
		any |= e > p;
		if (memmem(p, (size_t)(e - p), "->", 2) != NULL)
			break;
		if (e == end)
			return any ? flow_fail(c, "IndexError: no 'remote/HEAD -> remote/branch' "
			                       "line in git branch -r") : 1;
	}
	strip(&p, &e, 0);       /* its last word: remote/branch */
	for (w = e; w > p && !is_space((unsigned char)w[-1]); w--)
		;
	m = flow_map_new(c->arena, 2);
	slash = memchr(w, '/', (size_t)(e - w));
	flow_map_put(m, flow_str_cstr(c->arena, "remote"),
	             flow_string(c->arena, w, (size_t)((slash ? slash : e) - w)));
	if (slash)
		flow_map_put(m, flow_str_cstr(c->arena, "branch"),
		             flow_string(c->arena, slash + 1, (size_t)(e - slash - 1)));
	*out = flow_mapv(m);
	return 0;
}

/* git_repo_checkout(repo, commit): git checkout commit;
 * {repo: {directory, URL, commit}}. */
FLOW_STD(git_repo_checkout)
{
	char *argv[] = {"git", "checkout", NULL, NULL};
	const char *dir = repo_dir(c, args[0]);
	flow_val text, url = flow_null();
	flow_map *m;
	long k;

	if (dir == NULL)
		return -1;
	if (args[1].kind != FLOW_STR)
		return flow_ops_bad(c, "commit", "a string", args[1]);
	argv[2] = (char *)args[1].u.s->s;
	if (check_output(c, argv, dir, &text) < 0)
		return -1;
	if ((k = flow_map_find(args[0].u.m, "URL", 3)) >= 0)
		url = args[0].u.m->vals[k];
	m = flow_map_new(c->arena, 3);
	flow_map_put(m, flow_str_cstr(c->arena, "directory"), flow_string(c->arena, dir, strlen(dir)));
	flow_map_put(m, flow_str_cstr(c->arena, "URL"), url);
	flow_map_put(m, flow_str_cstr(c->arena, "commit"), args[1]);
	*out = one(c, "repo", flow_mapv(m));
	return 0;
}

/* git_repo_commit_from_date(repo, branch, date): the last commit of
 * branch before date, else the first after it: {commit: sha}. */
FLOW_STD(git_repo_commit_from_date)
{
	char *before[] = {"git", "rev-list", "-n", "1", NULL, NULL, NULL};
	char *after[] = {"git", "rev-list", "--reverse", NULL, NULL, NULL};
	const char *dir = repo_dir(c, args[0]);
	const char *p, *e, *nl;
	flow_val text;
	size_t n;

	if (dir == NULL)
		return -1;
	if (args[1].kind != FLOW_STR)
		return flow_ops_bad(c, "branch", "a string", args[1]);
	if (args[2].kind != FLOW_STR)
		return flow_ops_bad(c, "date", "a string", args[2]);
	n = args[2].u.s->len + sizeof "--before=\"\"";
	before[4] = flow_alloc(c->arena, n);
	snprintf(before[4], n, "--before=\"%s\"", args[2].u.s->s);
	after[3] = flow_alloc(c->arena, n);
	snprintf(after[3], n, "--after=\"%s\"", args[2].u.s->s);
	before[5] = after[4] = (char *)args[1].u.s->s;
	if (check_output(c, before, dir, &text) < 0)
		return -1;
	p = text.u.s->s, e = p + text.u.s->len;
	strip(&p, &e, 1);
	if (p == e) {
		if (check_output(c, after, dir, &text) < 0)
			return -1;
		p = text.u.s->s, e = p + text.u.s->len;
		strip(&p, &e, 1);
		if ((nl = memchr(p, '\n', (size_t)(e - p))) != NULL)
			e = nl;
	}
	*out = one(c, "commit", flow_string(c->arena, p, (size_t)(e - p)));
	return 0;
}

/* ---- logs -------------------------------------------------------- */

/* The `pretty` of the instance config, or DFFML's default. */
static const char *
pretty_format(flow_opctx *c)
{
	const flow_val *cfg = c->config;
	long k;

	if (cfg && cfg->kind == FLOW_MAP && (k = flow_map_find(cfg->u.m, "pretty", 6)) >= 0 &&
	    cfg->u.m->vals[k].kind == FLOW_STR)
		return cfg->u.m->vals[k].u.s->s;
	return "Author:%aN";
}

/* The int spelled by the digits [p, e) into *v, or -1 on overflow. */
static int
digits(const char *p, const char *e, int64_t *v)
{
	for (*v = 0; p < e; p++) {
		if (*v > (INT64_MAX - 9) / 10)
			return -1;
		*v = *v * 10 + (*p - '0');
	}
	return 0;
}

/* Is [p, e) non-empty and all ASCII digits? */
static int
all_digits(const char *p, const char *e)
{
	if (p == e)
		return 0;
	while (p < e && *p >= '0' && *p <= '9')
		p++;
	return p == e;
}

/* One line of git log --numstat into current (author is the author of
 * the lines that follow, -1 for none). */
static int
author_line(flow_opctx *c, flow_map *cur, const char *p, const char *e, long *author)
{
	const char *w, *we, *colon;
	int64_t k;

	strip(&p, &e, 0);
	if (e - p >= 7 && memcmp(p, "Author:", 7) == 0) {
		p += 7;
		colon = memchr(p, ':', (size_t)(e - p));
		if (colon)
			e = colon;
		*author = -1;
		if (p == e)
			return 0;
		if ((*author = flow_map_find(cur, p, (size_t)(e - p))) < 0) {
			flow_map_put(cur, flow_str_new(c->arena, p, (size_t)(e - p)), flow_int(0));
			*author = (long)cur->n - 1;
		}
		return 0;
	}
	if (p == e || *author < 0)
		return 0;
	first_word(p, e, &w, &we);
	if (!all_digits(w, we))
		return 0;
	if (digits(w, we, &k) < 0 || cur->vals[*author].u.i > INT64_MAX - k)
		return flow_fail(c, "line count out of range");
	cur->vals[*author].u.i += k;
	return 0;
}

/* git_repo_author_lines_for_dates(repo, branch, start_end): lines added
 * per author name between the dates, {author_lines: {name: n}}. */
FLOW_STD(git_repo_author_lines_for_dates)
{
	char *argv[] = {"git", "log", NULL, "--numstat", "--before", NULL, "--after", NULL,
			NULL, NULL};
	const char *dir, *pretty = pretty_format(c), *s, *p, *e;
	flow_val text;
	flow_map *cur;
	size_t n, lines = 1;
	long author = -1;

	if (repo_branch_dates(c, args, &dir, &argv[8], &argv[5], &argv[7]) < 0)
		return -1;
	n = strlen(pretty) + sizeof "--pretty=format:";
	argv[2] = flow_alloc(c->arena, n);
	snprintf(argv[2], n, "--pretty=format:%s", pretty);
	if (read_output(c, argv, dir, &text) < 0)
		return -1;
	s = text.u.s->s;
	for (p = s; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	cur = flow_map_new(c->arena, lines);
	for (p = s; p < s + text.u.s->len; p = e + 1) {
		if ((e = strchr(p, '\n')) == NULL)
			e = s + text.u.s->len;
		if (author_line(c, cur, p, e, &author) < 0)
			return -1;
	}
	*out = one(c, "author_lines", flow_mapv(cur));
	return 0;
}

/* Is tag a release version to DFFML: some number among its parts once
 * every 'v' is dropped and '-', '_' separate as '.' does? */
static int
release_tag(const char *p, const char *e)
{
	const char *q;
	int digits_only = 1, seen = 0;

	for (q = p; ; q++) {
		if (q == e || *q == '.' || *q == '-' || *q == '_') {
			if (digits_only && seen)
				return 1;
			digits_only = 1, seen = 0;
			if (q == e)
				return 0;
		} else if (*q == 'v') {
			continue;
		} else if (*q >= '0' && *q <= '9') {
			seen = 1;
		} else {
			digits_only = 0;
		}
	}
}

/* git_repo_release(repo, branch, start_end): {present: whether a tag
 * that is a release version decorates a commit between the dates}. */
FLOW_STD(git_repo_release)
{
	char *argv[] = {"git", "log", "--tags", "--simplify-by-decoration",
			"--pretty=format:%at %D", "--before", NULL, "--after", NULL, NULL, NULL};
	const char *dir, *s, *p, *e, *w;
	flow_val text;
	int present = 0;

	if (repo_branch_dates(c, args, &dir, &argv[9], &argv[6], &argv[8]) < 0)
		return -1;
	if (read_output(c, argv, dir, &text) < 0)
		return -1;
	s = text.u.s->s;
	for (p = s; p < s + text.u.s->len && !present; p = e + 1) {
		const char *le;
		if ((e = strchr(p, '\n')) == NULL)
			e = s + text.u.s->len;
		le = e;
		strip(&p, &le, 1);
		for (w = le; w > p && !is_space((unsigned char)w[-1]); w--)
			;
		present = p < le && release_tag(w, le);
	}
	*out = one(c, "present", flow_bool(present));
	return 0;
}

/* git_commits(repo, branch, start_end): {commits: the number of lines
 * of git log --oneline between the dates}. */
FLOW_STD(git_commits)
{
	char *argv[] = {"git", "log", "--oneline", "--before", NULL, "--after", NULL, NULL, NULL};
	const char *dir, *p, *e;
	flow_val text;
	int64_t n = 0;

	if (repo_branch_dates(c, args, &dir, &argv[7], &argv[4], &argv[6]) < 0)
		return -1;
	if (read_output(c, argv, dir, &text) < 0)
		return -1;
	p = text.u.s->s, e = p + text.u.s->len;
	for (; p < e; p++)
		n += *p == '\n';
	n += e > text.u.s->s && e[-1] != '\n';
	*out = one(c, "commits", flow_int(n));
	return 0;
}

/* ---- counting ---------------------------------------------------- */

/* Python's round(x) (ties to even) for |x| < 2^62. */
static int64_t
round_even(double x)
{
	int64_t t = (int64_t)x;
	double d = x - (double)t;

	if (d > 0.5 || (d == 0.5 && (t & 1)))
		return t + 1;
	if (d < -0.5 || (d == -0.5 && (t & 1)))
		return t - 1;
	return t;
}

/* work(author_lines): {work: Simpson's diversity index of the line
 * counts, in percent, as DFFML's simpsons_diversity_index}.  Counts of
 * 2^31 or more fail (Python's ints would go on). */
FLOW_STD(work)
{
	const flow_map *m;
	int64_t sum = 0, nn = 0, v;
	double idx;
	size_t i;

	if (args[0].kind != FLOW_MAP)
		return flow_ops_bad(c, "author_lines", "a map {author: lines}", args[0]);
	m = args[0].u.m;
	for (i = 0; i < m->n; i++) {
		if (m->vals[i].kind != FLOW_INT && m->vals[i].kind != FLOW_BOOL)
			return flow_ops_bad(c, "author_lines", "a map of ints", args[0]);
		v = m->vals[i].kind == FLOW_INT ? m->vals[i].u.i : m->vals[i].u.b;
		if (v >= 2147483648LL || v <= -2147483648LL || nn > INT64_MAX - v * (v - 1))
			return flow_fail(c, "line counts out of range");
		nn += v * (v - 1), sum += v;
	}
	if (sum > 3037000499LL || sum < -3037000498LL)
		return flow_fail(c, "line counts out of range");
	if (m->n < 2 || sum * (sum - 1) == 0)
		v = 0;          /* DFFML: fewer than two, or ZeroDivisionError */
	else {
		idx = (1.0 - (double)nn / (double)(sum * (sum - 1))) * 100.0;
		if (!(idx < 4e18 && idx > -4e18))
			return flow_fail(c, "line counts out of range");
		v = round_even(idx);
	}
	*out = one(c, "work", flow_int(v));
	return 0;
}

/* count_authors(author_lines): {authors: the number of authors}. */
FLOW_STD(count_authors)
{
	if (args[0].kind != FLOW_MAP)
		return flow_ops_bad(c, "author_lines", "a map {author: lines}", args[0]);
	*out = one(c, "authors", flow_int((int64_t)args[0].u.m->n));
	return 0;
}
