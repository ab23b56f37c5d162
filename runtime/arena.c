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
 *
 * The budget (limit, --max-memory) counts the bytes handed out since the
 * last reset, each request rounded up to 8, not the chunks held: so
 * whether a context fits, and at which allocation it stops, depends on
 * the context alone, not on the chunk an earlier context left behind or
 * on the thread that runs it.  end is pulled in to where the budget ends
 * when that comes first, so the inline flow_alloc still needs one
 * comparison and the check happens here.
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
	a->cur = a->end = a->base = NULL;
	a->head = NULL;
	a->chunk_size = FLOW_CHUNK_MIN;
	a->total = a->spent = a->limit = 0;
	a->over = NULL;
}

/* Bytes handed out since the last reset. */
static size_t
used(const flow_arena *a)
{
	return a->spent + (size_t)(a->cur - a->base);
}

/* What is left of the budget (with a limit). */
static size_t
left(const flow_arena *a)
{
	return used(a) < a->limit ? a->limit - used(a) : 0;
}

/* Set end for the current chunk, which ends at e: at e, or where the
 * budget runs out if that is sooner. */
static void
set_end(flow_arena *a, char *e)
{
	a->end = e;
	if (a->limit && left(a) < (size_t)(e - a->cur))
		a->end = a->cur + left(a);
}

/* Past the budget: jump to a->over, or die. */
static void
over(flow_arena *a, size_t n)
{
	if (a->over)
		longjmp(*a->over, 1);
	flow_die("out of memory (arena request of %zu bytes past its budget)", n);
}

/* A new chunk; when malloc fails the arena jumps to a->over when it has
 * one (the context is reported), else dies. */
static flow_chunk *
chunk_new(flow_arena *a, size_t size)
{
	flow_chunk *c;

	if (size > SIZE_MAX - CHUNK_HDR - a->total)
		flow_die("arena request of %zu bytes is too large", size);
	if ((c = malloc(CHUNK_HDR + size)) == NULL) {
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
		a->base = chunk_data(c);
		a->cur = a->end = a->base + n;
	} else {
		c->next = a->head->next;
		a->head->next = c;
		a->spent += n;
		set_end(a, chunk_data(a->head) + a->head->size);
	}
	return chunk_data(c);
}

/* Start a new current chunk (the next size up) and take n bytes of it. */
void *
flow_arena_alloc_slow(flow_arena *a, size_t n)
{
	flow_chunk *c;
	size_t size;
	char *p;

	if (n > SIZE_MAX - 7)
		flow_die("arena request of %zu bytes is too large", n);
	n = (n + 7) & ~(size_t)7;
	if (n == 0)
		n = 8;
	if (a->limit && n > left(a))
		over(a, n);
#ifdef FLOW_ARENA_EXACT
	/* Sanitizer builds: every allocation is its own malloc, so that
	 * AddressSanitizer sees an overflow past it (cur == end stays true,
	 * and flow_alloc always comes here). */
	return alloc_own_chunk(a, n);
#endif
	if (a->head && (size_t)(chunk_data(a->head) + a->head->size - a->cur) >= n) {
		/* Room in the chunk; end had stopped at the budget. */
		p = a->cur;
		a->cur += n;
		set_end(a, chunk_data(a->head) + a->head->size);
		return p;
	}
	if (n > a->chunk_size)
		return alloc_own_chunk(a, n);
	/* No chunk bigger than what is left of the budget (n fits it). */
	size = a->chunk_size;
	if (a->limit && size > left(a))
		size = left(a);
	c = chunk_new(a, size);
	c->next = a->head;
	a->head = c;
	if (a->chunk_size <= SIZE_MAX / 4 && (!a->limit || a->chunk_size < a->limit))
		a->chunk_size *= 2;
	a->spent = used(a);
	p = a->base = chunk_data(c);
	a->cur = p + n;
	set_end(a, p + c->size);
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
	a->spent = 0;
	if (!keep) {
		a->cur = a->end = a->base = NULL;
		a->chunk_size = FLOW_CHUNK_MIN;
		return;
	}
	keep->next = NULL;
	a->cur = a->base = chunk_data(keep);
	set_end(a, a->cur + keep->size);
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
