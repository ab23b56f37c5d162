/*
 * arena.c: the runtime's bump allocator and its fatal-error exit.
 *
 * An arena is a list of malloc'd chunks, newest first.  flow_alloc (in
 * flowrt.h) bumps a pointer through the current chunk and calls
 * flow_arena_alloc_slow here when it runs out.  Chunks grow geometrically
 * from FLOW_CHUNK_MIN; a request larger than the next chunk gets a chunk
 * of its own, linked behind the current one so the space left there is
 * not lost.  flow_arena_reset keeps only the largest chunk: once a stream
 * of contexts has seen its biggest one, resetting between contexts runs
 * in constant memory without touching malloc.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flowrt.h"

#define FLOW_CHUNK_MIN ((size_t)64 * 1024)
#define FLOW_CHUNK_KEEP_MAX ((size_t)16 << 20)

struct flow_chunk {
	flow_chunk *next;
	size_t size;            /* usable bytes after the header */
};

/* The data of a chunk starts here, 16-aligned like malloc's result. */
#define CHUNK_HDR ((sizeof(flow_chunk) + 15) & ~(size_t)15)

static char *
chunk_data(flow_chunk *c)
{
	return (char *)c + CHUNK_HDR;
}

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

/* Make an empty arena; the first chunk is allocated on first use. */
void
flow_arena_init(flow_arena *a)
{
	a->cur = a->end = NULL;
	a->head = NULL;
	a->chunk_size = FLOW_CHUNK_MIN;
	a->total = a->limit = 0;
	a->over = NULL;
}

/* A new chunk counted against a's budget; past it (or when malloc
 * fails) the arena jumps to a->over when it has one, else dies. */
static flow_chunk *
chunk_new(flow_arena *a, size_t size)
{
	flow_chunk *c = NULL;

	if (size > SIZE_MAX - CHUNK_HDR - a->total)
		flow_die("arena request of %zu bytes is too large", size);
	if (!a->limit || a->total + size <= a->limit)
		c = malloc(CHUNK_HDR + size);
	if (c == NULL) {
		if (a->over)
			longjmp(*a->over, 1);
		flow_die("out of memory (arena chunk of %zu bytes)", size);
	}
	a->total += size;
	c->size = size;
	c->next = NULL;
	return c;
}

/* A request that does not fit the next chunk: give it a chunk of its own
 * behind the current one, so the current chunk keeps serving. */
static void *
alloc_own_chunk(flow_arena *a, size_t n)
{
	flow_chunk *c = chunk_new(a, n);

	if (a->head == NULL) {
		a->head = c;
		a->cur = a->end = chunk_data(c) + n;
	} else {
		c->next = a->head->next;
		a->head->next = c;
	}
	return chunk_data(c);
}

/* Start a new current chunk (the next size up) and take n bytes of it. */
void *
flow_arena_alloc_slow(flow_arena *a, size_t n)
{
	flow_chunk *c;
	char *p;

	if (n > SIZE_MAX - 7)
		flow_die("arena request of %zu bytes is too large", n);
	n = (n + 7) & ~(size_t)7;
	if (n == 0)
		n = 8;
#ifdef FLOW_ARENA_EXACT
	/* Sanitizer builds: every allocation is its own malloc, so that
	 * AddressSanitizer sees an overflow past it (cur == end stays true,
	 * and flow_alloc always comes here). */
	return alloc_own_chunk(a, n);
#endif
	if (n > a->chunk_size)
		return alloc_own_chunk(a, n);
	c = chunk_new(a, a->chunk_size);
	c->next = a->head;
	a->head = c;
	if (a->chunk_size <= SIZE_MAX / 4)
		a->chunk_size *= 2;
	p = chunk_data(c);
	a->cur = p + n;
	a->end = p + c->size;
	return p;
}

/* Free every chunk but the largest, which becomes the (empty) current
 * chunk, unless it is over FLOW_CHUNK_KEEP_MAX. */
void
flow_arena_reset(flow_arena *a)
{
	flow_chunk *c, *next, *keep = a->head;

	if (keep == NULL)
		return;
	for (c = a->head; c != NULL; c = c->next)
		if (c->size > keep->size)
			keep = c;
	if (keep->size > FLOW_CHUNK_KEEP_MAX)
		keep = NULL;    /* one huge context should not pin its memory */
#ifdef FLOW_ARENA_EXACT
	keep = NULL;            /* no shared chunk: see flow_arena_alloc_slow */
#endif
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		if (c != keep)
			free(c);
	}
	a->head = keep;
	a->total = keep ? keep->size : 0;
	if (!keep) {
		a->cur = a->end = NULL;
		a->chunk_size = FLOW_CHUNK_MIN;
		return;
	}
	keep->next = NULL;
	a->cur = chunk_data(keep);
	a->end = a->cur + keep->size;
}

/* Free all memory of the arena; it is empty and usable again. */
void
flow_arena_free(flow_arena *a)
{
	flow_chunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	flow_arena_init(a);
}

/* Copy len bytes of s into the arena and add a NUL. */
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
