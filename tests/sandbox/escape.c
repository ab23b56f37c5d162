/*
 * escape.c: the user operation of escape.yaml, which tries what a flow
 * should not do: open a file, make a socket, run a program.  It answers
 * "ok" when the system let it, and fails with the system's message
 * otherwise; "none" does nothing and always answers; "thread" starts and
 * joins a thread, which the sandbox allows (clone with CLONE_THREAD).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "flowrt.h"

/* A thread that does nothing. */
static void *
idle(void *arg)
{
	return arg;
}

/* One attempt; 0 when the system allowed it, else -1 with errno set. */
static int
attempt(const char *what)
{
	char *const argv[] = {"/bin/true", NULL};
	pthread_t t;
	int fd;

	if (strcmp(what, "open") == 0) {
		if ((fd = open("/etc/hostname", O_RDONLY)) < 0)
			return -1;
		return close(fd);
	}
	if (strcmp(what, "socket") == 0) {
		if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
			return -1;
		return close(fd);
	}
	if (strcmp(what, "thread") == 0) {
		if ((errno = pthread_create(&t, NULL, idle, NULL)) != 0)
			return -1;
		return pthread_join(t, NULL) == 0 ? 0 : -1;
	}
	if (strcmp(what, "execve") == 0) {
		execve(argv[0], argv, argv + 1);   /* returns only on failure */
		return -1;
	}
	return 0;
}

/* The operation sandbox:try. */
int
flowop_sandbox_try(flow_opctx *ctx, const flow_str *what, const flow_str **said)
{
	if (attempt(what->s) < 0)
		return flow_fail(ctx, "%s: %s", what->s, strerror(errno));
	*said = flow_str_new(ctx->arena, "ok", 2);
	return 0;
}
