/*
 * hand.h: what the hand-written reference programs of the benchmark
 * ladder (bench/README.md) share.
 *
 * Each bench/hand/<flow>.c computes what one bench flow computes, in
 * straight-line C with no scheduler and no context network.  They share
 * only the JSON Lines driver (hand.c), which follows flowc's I/O contract
 * (spec/cli.md) the way runtime/stream.c does: each line is parsed by the
 * runtime's flow_json_parse (the reader flowc's programs use) into an
 * arena reset per line, one output line per context, flushed after every
 * line.  Output goes through the runtime's own writers
 * (flow_json_write_str, flow_json_write for numbers, hence
 * flow_fmt_float), so the programs differ from compiled flows in
 * orchestration, not in JSON reading or writing.
 *
 * A hand program knows only its flow's context inputs.  A context that
 * gives another definition, or one input twice, gets an error line
 * instead of what the flow would compute (see README.md).
 */
#ifndef HAND_H
#define HAND_H

#include <stdint.h>

#include "flowrt.h"

/* Append a string literal. */
#define PUT(b, lit) flow_buf_put((b), (lit), sizeof(lit) - 1)

/* The primitive of a context input, checked as flowc checks it. */
enum { HAND_INT, HAND_STR, HAND_MAP };

typedef struct hand_input {
	const char *def;        /* definition name */
	int type;               /* HAND_* */
} hand_input;

typedef struct hand_flow {
	const char *name;
	int ninputs;
	const hand_input *inputs;
	/* Run one context.  in[k] is the value given for inputs[k] (origin
	 * "seed"), or NULL; it lives in an arena reset after the line.
	 * Appends `, "results": ...` or, through hand_error,
	 * `, "error": {...}`; returns 0 when the context succeeded. */
	int (*run)(const flow_val *const *in, flow_buf *out);
} hand_flow;

/* main() of a hand program: -i FILE or standard input; exit status as
 * spec/cli.md says for a running flow. */
int hand_main(int argc, char **argv, const hand_flow *f);

/* Append `, "error": {"operation": op, "message": msg}`; returns 1. */
int hand_error(flow_buf *out, const char *op, const char *msg);

/* Append an int as the runtime writes it. */
static inline void
hand_int(flow_buf *out, int64_t v)
{
	flow_json_write(out, flow_int(v));
}

/* Append a bool. */
static inline void
hand_bool(flow_buf *out, int v)
{
	if (v)
		PUT(out, "true");
	else
		PUT(out, "false");
}

/* Grow a malloc'd scratch array to hold n items of size sz. */
void *hand_grow(void *p, size_t *cap, size_t n, size_t sz);

/* The value of key in map m, or NULL. */
static inline const flow_val *
hand_get(const flow_map *m, const char *key, size_t len)
{
	long at = flow_map_find(m, key, len);

	return at < 0 ? NULL : &m->vals[at];
}

#endif
