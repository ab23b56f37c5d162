/*
 * sandbox.c: the seccomp filter a compiled flow installs after start-up
 * (flowc(1), SANDBOX).
 *
 * A compiled flow is a filter from JSON Lines to JSON Lines: once its
 * input is open it needs to read, write, allocate, run threads and exit.
 * flow_sandbox_request(extra), called by the generated main() unless
 * `flowc build --sandbox=off`, sets flow_sandbox_hook; flow_main calls the
 * hook once the input is open.  The filter (libseccomp) allows the
 * stream loop's calls (base[] below) and the calls of each capability
 * (FLOW_CAP_*) that an operation of the flow or of one of its subflows
 * declares in its flow_impl.caps, or that `--sandbox=LIST` adds for user
 * operations.  Anything else fails with EPERM (clone3 with ENOSYS, so
 * that pthread_create falls back to clone, whose flags the filter can
 * check): an operation that tries gets an error and its context an error
 * line, and the stream goes on.  The process keeps the filter for ever,
 * and so do children (FLOW_CAP_PROCESSES).
 *
 * Sanitizer builds install no filter: LeakSanitizer's exit-time check
 * needs ptrace, clone and /proc, which no flow should be allowed.
 */
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "flowrt.h"

#ifndef CLONE_THREAD                    /* <sched.h> has it for _GNU_SOURCE */
#define CLONE_THREAD 0x00010000
#endif

#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_SANITIZED 1
#endif
#endif

/* The stream loop and libc under it: stdio, malloc, threads, abort().
 * ioctl (TCGETS only), clone (threads only) and tgkill (own process
 * only) are added with argument checks in base_rules. */
static const char *const base[] = {
	"read", "readv", "write", "writev", "close", "lseek", "fstat", "newfstatat",
	"brk", "mmap", "munmap", "mremap", "madvise", "mprotect",
	"futex", "set_robust_list", "rseq", "sched_yield", "sched_getaffinity",
	"exit", "exit_group", "rt_sigreturn", "rt_sigprocmask", "rt_sigaction",
	"sigaltstack", "restart_syscall", "getpid", "gettid", "getrandom",
	"clock_gettime", "clock_getres", "gettimeofday", "nanosleep", "clock_nanosleep",
	NULL
};

/* FLOW_CAP_FILES: the file system. */
static const char *const files[] = {
	"open", "openat", "openat2", "creat", "stat", "lstat", "statx", "access",
	"faccessat", "faccessat2", "readlink", "readlinkat", "getdents64", "pread64",
	"pwrite64", "preadv", "pwritev", "fsync", "fdatasync", "ftruncate", "truncate",
	"rename", "renameat", "renameat2", "unlink", "unlinkat", "mkdir", "mkdirat",
	"rmdir", "chmod", "fchmod", "fchmodat", "fcntl", "dup", "dup2", "dup3", "flock",
	"getcwd", "chdir", "fchdir", "utimensat", "symlink", "symlinkat", "link",
	"linkat", "umask", "statfs", "fstatfs", "fadvise64", "sendfile",
	"copy_file_range", "splice", "fallocate", "ioctl", "getuid", "geteuid",
	"getgid", "getegid", "inotify_init1", "inotify_add_watch", "inotify_rm_watch",
	NULL
};

/* FLOW_CAP_PROCESSES: children, which inherit the filter, so also what
 * a freshly exec'd program needs to start. */
static const char *const procs[] = {
	"fork", "vfork", "clone", "clone3", "execve", "execveat", "wait4", "waitid",
	"kill", "tgkill", "pipe", "pipe2", "setpgid", "getpgid", "getpgrp", "setsid",
	"getppid", "prlimit64", "getrlimit", "setrlimit", "arch_prctl",
	"set_tid_address", "getgroups", "getresuid", "getresgid", "uname", "sysinfo",
	"poll", "ppoll", "select", "pselect6", "rt_sigsuspend", "rt_sigtimedwait",
	"getrusage", "times", "prctl", "eventfd2", "socketpair", "getpriority",
	"setpriority", "capget", "memfd_create", "close_range", "epoll_create1",
	"epoll_ctl", "epoll_wait", "epoll_pwait", NULL
};

/* FLOW_CAP_NETWORK: sockets (name resolution also reads /etc: files). */
static const char *const network[] = {
	"socket", "socketpair", "connect", "bind", "listen", "accept", "accept4",
	"sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg",
	"getsockopt", "setsockopt", "getsockname", "getpeername", "shutdown",
	"poll", "ppoll", "select", "pselect6", "epoll_create1", "epoll_ctl",
	"epoll_wait", "epoll_pwait", "uname", NULL
};

static int sandbox_extra;

/* Allow each named call that this architecture has; 0, or -1. */
static int
allow_names(scmp_filter_ctx f, const char *const *names)
{
	int nr;

	for (; *names; names++)
		if ((nr = seccomp_syscall_resolve_name(*names)) != __NR_SCMP_ERROR &&
		    seccomp_rule_add(f, SCMP_ACT_ALLOW, nr, 0) < 0)
			return -1;
	return 0;
}

/* The base calls that are allowed only with certain arguments. */
static int
base_rules(scmp_filter_ctx f)
{
	if (seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
	    SCMP_A1(SCMP_CMP_EQ, TCGETS)) < 0 ||
	    seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
	    SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD)) < 0 ||
	    seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
	    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid())) < 0)
		return -1;
	return seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
}

/* The capabilities of p and its subflows (see flowrt.h). */
int
flow_prog_caps(const flow_prog *p)
{
	int caps = 0, i;

	for (i = 0; i < p->nimpls; i++)
		if (p->impls[i])
			caps |= p->impls[i]->caps;
	for (i = 0; i < p->nops; i++)
		if (p->ops[i].subflow && p->ops[i].subflow != p)
			caps |= flow_prog_caps(p->ops[i].subflow);
	return caps;
}

/* Build and load the filter for caps; 0, or -1 after a message. */
static int
install(int caps)
{
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	int rc = f ? 0 : -1;

	if (rc == 0)            /* every thread, if any was started already */
		rc = seccomp_attr_set(f, SCMP_FLTATR_CTL_TSYNC, 1);

	if (rc == 0 && (caps & FLOW_CAP_PROCESSES))
		rc = allow_names(f, procs);      /* before base: clone with any flags */
	else if (rc == 0)
		rc = base_rules(f);
	if (rc == 0)
		rc = allow_names(f, base);
	if (rc == 0 && (caps & (FLOW_CAP_FILES | FLOW_CAP_PROCESSES | FLOW_CAP_NETWORK)))
		rc = allow_names(f, files);
	if (rc == 0 && (caps & FLOW_CAP_NETWORK))
		rc = allow_names(f, network);
	if (rc == 0)
		rc = seccomp_load(f);
	if (f)
		seccomp_release(f);
	if (rc < 0)
		fprintf(stderr, "flowrt: cannot install the sandbox (seccomp: %s); "
		    "build with flowc build --sandbox=off to run without it\n", strerror(-rc));
	return rc < 0 ? -1 : 0;
}

/* The hook flow_main calls. */
static int
sandbox_hook(const flow_prog *p)
{
#ifdef SANDBOX_SANITIZED
	(void)p;
	(void)install;
	return 0;
#else
	fflush(NULL);
	return install(flow_prog_caps(p) | sandbox_extra);
#endif
}

/* Ask flow_main for the sandbox (see flowrt.h). */
void
flow_sandbox_request(int extra)
{
	sandbox_extra = extra;
	flow_sandbox_hook = sandbox_hook;
}
