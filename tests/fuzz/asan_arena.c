/*
 * asan_arena.c: a drop-in replacement for runtime/arena.c in the fuzz
 * build, so AddressSanitizer sees every arena allocation.
 *
 * The real arena carves objects out of 64 KiB chunks, so an overflow from
 * one object into the next, or a read of memory after flow_arena_reset,
 * stays inside a live malloc block and ASan cannot see it.  Here every
 * request is its own malloc block (with ASan's redzones around it) and a
 * reset frees them all.  The arena's cur and end stay NULL, so the inline
 * flow_alloc in flowrt.h always takes flow_arena_alloc_slow.  The size
 * that reaches us is already rounded up to 8 by flow_alloc; an overflow
 * into that padding (at most 7 bytes) is still invisible.
 *
 * The block list is kept in separate small nodes so that nothing sits
 * next to the user's bytes.  Same interface and flow_die as arena.c, and
 * the same budget: the bytes handed out since the last reset (a->spent)
 * may not pass a->limit (--max-memory), else the arena jumps to a->over.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flowrt.h"

struct flow_chunk {
	flow_chunk *next;
	void *mem;
};

/* Print "flowrt: message" on stderr and abort. */
void
flow_die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("flowrt: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void
flow_arena_init(flow_arena *a)
{
	a->cur = a->end = a->base = NULL;
	a->head = NULL;
	a->chunk_size = 0;
	a->spent = a->limit = 0;
	a->over = NULL;
}

/* One malloc block of exactly n bytes (n > 0), remembered for reset. */
void *
flow_arena_alloc_slow(flow_arena *a, size_t n)
{
	flow_chunk *c = malloc(sizeof *c);

	if (n == 0)
		n = 1;
	if (a->limit && (n > a->limit || a->spent > a->limit - n)) {
		free(c);
		if (a->over)
			longjmp(*a->over, 1);
		flow_die("out of memory (arena request of %zu bytes past its budget)", n);
	}
	a->spent += n;
	if (c == NULL || (c->mem = malloc(n)) == NULL)
		flow_die("out of memory (%zu bytes)", n);
	/* Garbage, not zeros: code that forgets to initialise shows up. */
	memset(c->mem, 0xa5, n);
	c->next = a->head;
	a->head = c;
	return c->mem;
}

void
flow_arena_reset(flow_arena *a)
{
	flow_chunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c->mem);
		free(c);
	}
	a->head = NULL;
	a->cur = a->end = NULL;
	a->spent = 0;
}

void
flow_arena_free(flow_arena *a)
{
	flow_arena_reset(a);
}

char *
flow_arena_strdup(flow_arena *a, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		flow_die("string of %zu bytes is too large", len);
	p = flow_alloc(a, len + 1);
	if (len > 0)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}
