/*
 * ops_proc.c: DFFML's subprocess_line_by_line (dffml/operation/
 * subprocess.py): run a command, never through a shell, and give
 * {stdout, stderr, returncode}.
 *
 * The command is started with posix_spawnp (PATH search, as Python's
 * create_subprocess_exec), in `cwd` when it is not null, with the
 * environment inherited and standard input from /dev/null (the flow's
 * own input must not be read by the child).  Both pipes are read with
 * poll until they close, so neither can fill up and block the child;
 * then the child is waited for.  As in DFFML the output must decode as
 * UTF-8, the return code is the exit status, or minus the signal that
 * ended the child, and a command that cannot be started (no such
 * program, no such cwd) is an error of the operation.
 */
#define _GNU_SOURCE 1   /* posix_spawn_file_actions_addchdir_np (glibc 2.29) */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ops.h"

extern char **environ;

typedef flow_ops_bytes bytes;

static void
bytes_add(bytes *b, const char *p, size_t k)
{
	if (b->n + k + 1 > b->cap) {
		size_t cap = (b->n + k + 1) * 2;
		char *s = flow_ops_xmalloc(cap, 1);
		if (b->n)
			memcpy(s, b->s, b->n);
		free(b->s);
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->n, p, k);
	b->n += k;
}

/* The argument vector of cmd (a non-empty list of strings), or NULL. */
static char **
argv_of(flow_opctx *c, flow_val cmd)
{
	char **argv;
	size_t i;

	if (cmd.kind != FLOW_ARRAY || cmd.u.a->n == 0)
		return NULL;
	argv = flow_alloc(c->arena, (cmd.u.a->n + 1) * sizeof *argv);
	for (i = 0; i < cmd.u.a->n; i++) {
		flow_val a = cmd.u.a->items[i];
		if (a.kind != FLOW_STR || memchr(a.u.s->s, '\0', a.u.s->len))
			return NULL;
		argv[i] = (char *)a.u.s->s;
	}
	argv[i] = NULL;
	return argv;
}

/* Start argv in cwd (or here) with out[1], err[1] as stdout, stderr. */
static int
spawn(char **argv, const char *cwd, int out[2], int err[2], pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	posix_spawn_file_actions_addclose(&fa, out[0]);
	posix_spawn_file_actions_addclose(&fa, err[0]);
	if (cwd != NULL)
		posix_spawn_file_actions_addchdir_np(&fa, cwd);
	rc = posix_spawnp(pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

/* Read both pipes until both are closed. */
static void
drain(int fo, int fe, bytes *bo, bytes *be)
{
	struct pollfd p[2];
	char buf[8192];
	ssize_t k;
	int i;

	p[0].fd = fo, p[1].fd = fe;
	p[0].events = p[1].events = POLLIN;
	while (p[0].fd >= 0 || p[1].fd >= 0) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < 2; i++) {
			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			k = read(p[i].fd, buf, sizeof buf);
			if (k > 0)
				bytes_add(i ? be : bo, buf, (size_t)k);
			else if (k == 0 || errno != EINTR) {
				close(p[i].fd);
				p[i].fd = -1;
			}
		}
	}
}

/* The exit status of pid as Python's returncode. */
static int64_t
wait_code(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 1;
	if (WIFSIGNALED(st))
		return -(int64_t)WTERMSIG(st);
	return WEXITSTATUS(st);
}

/* Is s[0..n) valid UTF-8 (no overlong forms, surrogates, or code points
 * beyond U+10FFFF), as Python's bytes.decode() requires? */
static int
utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0, k, len;
	unsigned long cp;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf)
			len = 2, cp = s[i] & 0x1f;
		else if (s[i] >= 0xe0 && s[i] <= 0xef)
			len = 3, cp = s[i] & 0x0f;
		else if (s[i] >= 0xf0 && s[i] <= 0xf4)
			len = 4, cp = s[i] & 0x07;
		else
			return 0;
		if (i + len > n)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
			return 0;
		i += len;
	}
	return 1;
}

/* Put the decoded text of b under key in m, or fail. */
static int
put_text(flow_opctx *c, flow_map *m, const char *key, const bytes *b)
{
	flow_val v = flow_string(c->arena, b->n ? b->s : "", b->n);

	if (!utf8_valid((const unsigned char *)v.u.s->s, v.u.s->len))
		return flow_fail(c, "the command's %s is not UTF-8", key);
	flow_map_put(m, flow_str_cstr(c->arena, key), v);
	return 0;
}

/* Run argv (see ops.h). */
int
flow_ops_run(char **argv, const char *cwd, flow_ops_bytes *out,
             flow_ops_bytes *err, int64_t *code)
{
	int po[2], pe[2], rc;
	pid_t pid;

	if (pipe(po) < 0)
		return errno;
	if (pipe(pe) < 0) {
		rc = errno;
		close(po[0]);
		close(po[1]);
		return rc;
	}
	fcntl(po[0], F_SETFD, FD_CLOEXEC);
	fcntl(pe[0], F_SETFD, FD_CLOEXEC);
	rc = spawn(argv, cwd, po, pe, &pid);
	close(po[1]);
	close(pe[1]);
	if (rc != 0) {
		close(po[0]);
		close(pe[0]);
		return rc;
	}
	drain(po[0], pe[0], out, err);
	*code = wait_code(pid);
	return 0;
}

/* subprocess_line_by_line(cmd, cwd): {stdout, stderr, returncode}. */
FLOW_STD(subprocess_line_by_line)
{
	char **argv = argv_of(c, args[0]);
	const char *cwd = NULL;
	int rc, bad;
	bytes bo = {0}, be = {0};
	int64_t code;
	flow_map *m;

	if (argv == NULL)
		return flow_ops_bad(c, "cmd", "a non-empty list of strings", args[0]);
	if (args[1].kind == FLOW_STR)
		cwd = args[1].u.s->s;
	else if (args[1].kind != FLOW_NULL)
		return flow_ops_bad(c, "cwd", "a string or null", args[1]);
	rc = flow_ops_run(argv, cwd, &bo, &be, &code);
	if (rc != 0)
		return flow_fail(c, "cannot run '%.*s'%s%.*s: %s", flow_utf8_cut(argv[0], 80),
		                 argv[0], cwd ? " in " : "", cwd ? flow_utf8_cut(cwd, 80) : 0,
		                 cwd ? cwd : "", strerror(rc));
	m = flow_map_new(c->arena, 3);
	bad = put_text(c, m, "stdout", &bo) || put_text(c, m, "stderr", &be);
	flow_map_put(m, flow_str_cstr(c->arena, "returncode"), flow_int(code));
	free(bo.s);
	free(be.s);
	if (bad)
		return -1;
	*out = flow_mapv(m);
	return 0;
}
