/*
 * flowrt.h: the flowc runtime, the one header that generated programs,
 * the interpreter and the standard operations include.
 *
 * It holds four things, in this order:
 *   1. arenas: bump allocation, reset once per context;
 *   2. values: DFFML's primitives as immutable tagged values;
 *   3. operations: the calling convention of every operation and the
 *      table entry that describes one;
 *   4. programs: the flow as plain tables (flow_prog) and the dynamic
 *      orchestrator that runs one context of it the way DFFML's
 *      MemoryOrchestrator does, plus the JSON Lines driver around it.
 *
 * C99.  Everything exported starts with flow_ or FLOW_.
 */
#ifndef FLOWRT_H
#define FLOWRT_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define FLOW_VERSION "0.1.0"

/* ------------------------------------------------------------------ */
/* 1. Arenas                                                           */
/* ------------------------------------------------------------------ */

/* A bump allocator.  Memory is never freed piecemeal: a context's arena
 * is reset when the context has been written out, so memory does not grow
 * with the number of contexts.  Allocation failure aborts the process. */
typedef struct flow_chunk flow_chunk;
typedef struct flow_arena {
	char *cur, *end;        /* end: the current chunk's, or the budget's */
	char *base;             /* the current chunk's first byte */
	flow_chunk *head;       /* chunk list, newest first */
	size_t chunk_size;      /* size of the next chunk to allocate */
	size_t total;           /* bytes held in chunks */
	size_t spent;           /* bytes handed out outside [base, cur) */
	size_t limit;           /* 0, or the most it may hand out ... */
	jmp_buf *over;          /* ... before it longjmps here (else dies) */
} flow_arena;

/* Print "flowrt: message" and abort: for allocation failure and broken
 * invariants only, never for bad input. */
void flow_die(const char *fmt, ...);

void flow_arena_init(flow_arena *a);
void *flow_arena_alloc_slow(flow_arena *a, size_t n);
/* Keep the largest chunk (unless it is over 16 MiB), drop the others. */
void flow_arena_reset(flow_arena *a);
void flow_arena_free(flow_arena *a);
char *flow_arena_strdup(flow_arena *a, const char *s, size_t len);

/* Returns n bytes aligned to 8, never NULL. */
static inline void *
flow_alloc(flow_arena *a, size_t n)
{
	char *p;
	size_t m = (n + 7) & ~(size_t)7;

	if (m < n)
		flow_die("allocation of %zu bytes", n);
	if (m == 0)
		m = 8;
	if ((size_t)(a->end - a->cur) < m)
		return flow_arena_alloc_slow(a, m);
	n = m;
	p = a->cur;
	a->cur += n;
	return p;
}


/* ------------------------------------------------------------------ */
/* 2. Values                                                           */
/* ------------------------------------------------------------------ */

typedef enum flow_kind {
	FLOW_NULL,
	FLOW_BOOL,
	FLOW_INT,
	FLOW_FLOAT,
	FLOW_STR,
	FLOW_ARRAY,
	FLOW_MAP
} flow_kind;

/* Strings are UTF-8 with an explicit length (they may hold NUL) and a
 * terminating NUL after the last byte for convenience. */
typedef struct flow_str {
	size_t len;
	char s[1];
} flow_str;

struct flow_val;

typedef struct flow_array {
	size_t n;
	struct flow_val *items;
} flow_array;

/* Maps keep insertion order; keys are unique. */
typedef struct flow_map {
	size_t n, cap;
	const flow_str **keys;
	struct flow_val *vals;
} flow_map;

/* A value is 16 bytes, passed by value.  What it points to is
 * immutable once built: values are shared between inputs, contexts and
 * operations and must never be modified after construction. */
typedef struct flow_val {
	flow_kind kind;
	union {
		int b;
		int64_t i;
		double f;
		const flow_str *s;
		const flow_array *a;
		const flow_map *m;
	} u;
} flow_val;

static inline flow_val flow_null(void) { flow_val v; v.kind = FLOW_NULL; v.u.i = 0; return v; }
static inline flow_val flow_bool(int b) { flow_val v; v.kind = FLOW_BOOL; v.u.i = 0; v.u.b = b != 0; return v; }
static inline flow_val flow_int(int64_t i) { flow_val v; v.kind = FLOW_INT; v.u.i = i; return v; }
static inline flow_val flow_float(double f) { flow_val v; v.kind = FLOW_FLOAT; v.u.f = f; return v; }
static inline flow_val flow_strv(const flow_str *s) { flow_val v; v.kind = FLOW_STR; v.u.s = s; return v; }
static inline flow_val flow_arrayv(const flow_array *a) { flow_val v; v.kind = FLOW_ARRAY; v.u.a = a; return v; }
static inline flow_val flow_mapv(const flow_map *m) { flow_val v; v.kind = FLOW_MAP; v.u.m = m; return v; }

/* Constructors: everything is allocated in the given arena. */
const flow_str *flow_str_new(flow_arena *a, const char *p, size_t len);
const flow_str *flow_str_cstr(flow_arena *a, const char *p);
flow_val flow_string(flow_arena *a, const char *p, size_t len);
/* An array of n items to be filled in by the caller before it is shared. */
flow_array *flow_array_new(flow_arena *a, size_t n);
/* A map with room for cap entries and n == 0; fill with flow_map_put. */
flow_map *flow_map_new(flow_arena *a, size_t cap);
/* Set key to v: replaces the value in place when the key is present
 * (keeping its position, like Python's dict), appends otherwise; the map
 * must have room.  Linear in n. */
void flow_map_put(flow_map *m, const flow_str *key, flow_val v);
/* An empty map with room for cap entries in keys[] and vals[] (compiled
 * code's own storage); returns m. */
static inline flow_map *
flow_map_init(flow_map *m, size_t cap, const flow_str **keys, struct flow_val *vals)
{
	m->n = 0;
	m->cap = cap;
	m->keys = keys;
	m->vals = vals;
	return m;
}
/* Append key and v to m, which has room and does not hold key. */
static inline void
flow_map_append(flow_map *m, const flow_str *key, struct flow_val v)
{
	m->keys[m->n] = key;
	m->vals[m->n++] = v;
}
/* Index of key in m, or -1. */
long flow_map_find(const flow_map *m, const char *key, size_t len);

/* Builders for arrays and maps of unknown final size. */
typedef struct flow_vec {
	flow_val *v;
	size_t n, cap;
} flow_vec;
void flow_vec_push(flow_arena *a, flow_vec *vec, flow_val v);
/* Make room for extra more items, so that as many pushes cannot grow it. */
void flow_vec_reserve(flow_arena *a, flow_vec *vec, size_t extra);
/* flow_vec_push with its common case, room left, inline. */
static inline void
flow_vec_add(flow_arena *a, flow_vec *vec, flow_val v)
{
	if (vec->n < vec->cap)
		vec->v[vec->n++] = v;
	else
		flow_vec_push(a, vec, v);
}
flow_val flow_vec_array(flow_arena *a, const flow_vec *vec);

/* Deep equality as the `equals` operation defines it (numbers by exact
 * value, maps ignoring key order, bool never equal to a number). */
int flow_equal(flow_val a, flow_val b);
/* Deep identity as JSON with types (1 != 1.0, map order ignored, floats
 * bit for bit): what the conformance comparator checks. */
int flow_same(flow_val a, flow_val b);
/* Python truthiness: null, false, 0, 0.0, "", [] and {} are false. */
int flow_truthy(flow_val v);
/* Exact numeric comparison of two numbers (int or float): <0, 0, >0. */
int flow_num_cmp(flow_val a, flow_val b);
/* A stable deep copy of v into arena a. */
flow_val flow_copy(flow_arena *a, flow_val v);
const char *flow_kind_name(flow_kind k);

/* Cut a trailing incomplete UTF-8 sequence off s (after a message was
 * truncated to fit a buffer), so the JSON written from it stays UTF-8. */
void flow_utf8_trim(char *s);
/* The length of the longest prefix of s, at most max bytes, that ends on
 * a character boundary: for "%.*s" in messages. */
int flow_utf8_cut(const char *s, int max);
/* Replace every byte of s that is not part of a valid UTF-8 character by
 * '?' (messages that quote bytes of bad input, such as jansson's). */
void flow_utf8_scrub(char *s);

/* Growable byte buffer (malloc'd), used for JSON output. */
typedef struct flow_buf {
	char *p;
	size_t len, cap;
} flow_buf;
void flow_buf_reserve(flow_buf *b, size_t extra);
void flow_buf_put(flow_buf *b, const char *s, size_t n);
void flow_buf_puts(flow_buf *b, const char *s);
void flow_buf_putc(flow_buf *b, char c);
void flow_buf_printf(flow_buf *b, const char *fmt, ...);
void flow_buf_free(flow_buf *b);

/* Python repr() of a finite double (shortest round trip): "1.0", "1e+16",
 * "-0.0", "5e-324".  buf must hold 32 bytes; returns the length. */
int flow_fmt_float(char *buf, double d);
/* JSON text of v, appended to b.  Strings are written as UTF-8 with the
 * JSON escapes that are required; floats use flow_fmt_float. */
void flow_json_write(flow_buf *b, flow_val v);
void flow_json_write_str(flow_buf *b, const char *s, size_t len);

/* Parse one JSON text (jansson) into a value allocated in arena a.
 * Integers outside int64 are rejected.  Returns 0, or -1 with a message
 * (and its column, 1-based) in err. */
typedef struct flow_jerr {
	int line, column;
	char text[160];
	const flow_str *dup;    /* on success: the first key repeated in the
	                         * top-level object (which keeps the last
	                         * value), or NULL */
} flow_jerr;
int flow_json_parse(flow_arena *a, const char *text, size_t len, flow_val *out,
                    flow_jerr *err);

/* ------------------------------------------------------------------ */
/* 3. Operations                                                       */
/* ------------------------------------------------------------------ */

/* What an operation sees of the running flow besides its arguments.
 * Operations that fail call flow_fail() and return its result. */
typedef struct flow_net flow_net;
typedef struct flow_opctx {
	flow_arena *arena;      /* results are allocated here */
	const void *config;     /* the instance's config (flow_val * of a map) or NULL */
	flow_net *net;          /* the context network (output-stage built-ins) */
	int instance;           /* the running operation instance */
	const char *errmsg;     /* set by flow_fail */
	char errbuf[200];
} flow_opctx;

/* Record a failure message (printf format) and return -1. */
int flow_fail(flow_opctx *c, const char *fmt, ...);

/* Boxed calling convention, used by the interpreter and the orchestrator:
 * args[i] is the i-th parameter of the operation in catalogue order, the
 * result is written to *out.  Returns 0, or -1 after flow_fail.  An
 * operation may report "no output" by returning 1 (Python's None). */
typedef int (*flow_opfn)(flow_opctx *c, const flow_val *args, flow_val *out);

/* Static types of the checker and of unboxed code. */
typedef enum flow_type {
	FLOW_T_ANY,             /* generic, object, unknown labels */
	FLOW_T_NULL,
	FLOW_T_BOOL,
	FLOW_T_INT,
	FLOW_T_FLOAT,           /* a JSON number: int or float */
	FLOW_T_STR,
	FLOW_T_ARRAY,
	FLOW_T_MAP
} flow_type;
/* Does a value of kind k fit a definition of type t? */
int flow_type_accepts(flow_type t, flow_kind k);
const char *flow_type_name(flow_type t);

/* How an operation reaches its inputs. */
enum {
	FLOW_IMPL_PURE,         /* a function of its arguments */
	FLOW_IMPL_NETWORK,      /* reads the context network (get_single...) */
	FLOW_IMPL_SUBFLOW       /* dffml.dataflow.run */
};

/* How an operation can fail (bits; 0: it never fails). */
enum {
	FLOW_FAILS_NONE = 0,
	FLOW_FAILS_OVERFLOW = 1,        /* a result out of int64's range */
	FLOW_FAILS_DOMAIN = 2,          /* an argument outside its domain */
	FLOW_FAILS_TYPE = 4             /* arguments of kinds it does not take */
};

/* What an operation is for. */
enum {
	FLOW_ROLE_ORDINARY,             /* computes its output from its inputs */
	FLOW_ROLE_OUTPUT,               /* collects named definitions' values
	                                 * (get_single, get_multi) */
	FLOW_ROLE_NETWORK               /* reads the context network otherwise */
};

/* What an output operation keeps of each definition it names. */
enum {
	FLOW_COLLECT_LAST = 1,          /* the most recent value (get_single) */
	FLOW_COLLECT_ALL                /* every value, as an array (get_multi) */
};

/* Operations whose work compiled code may write out by itself, on
 * arguments the compiler knows (flow_impl.form); any failure is still
 * the boxed function's to report. */
enum {
	FLOW_FORM_NONE,
	FLOW_FORM_MAP_ENTRY,            /* {key: value}, key a string */
	FLOW_FORM_MAP_UPDATE,           /* a updated with b (dict.update) */
	FLOW_FORM_MAP_WALK              /* mapping[k1][k2]... along traverse */
};

/* Where besides software an operation may run (bits), and for an
 * RTL-safe operation its one-clock form above them (FLOW_HW_RTL_OP). */
enum { FLOW_HW_HLS = 1, FLOW_HW_RTL = 2 };
enum {
	FLOW_RTL_ADD = 1, FLOW_RTL_SUB, FLOW_RTL_NEG, FLOW_RTL_LT, FLOW_RTL_GT,
	FLOW_RTL_EQ, FLOW_RTL_NOT, FLOW_RTL_AND
};
#define FLOW_HW_RTL_AS(form) (FLOW_HW_HLS | FLOW_HW_RTL | (form) << 2)
#define FLOW_HW_RTL_OP(hw) ((hw) >> 2)

/* One typed signature of an operation: the kinds of its arguments, one
 * letter each (i int, f float, b bool, s str, a array, m map; n an int
 * or a float, passed as double), the kind of its result, how it fails on
 * them, and the unboxed function of flowops.h that computes it (NULL:
 * only the boxed one; then `value` may give the result every call has,
 * e.g. "0" for a bool compared with a number).  A table of them ends
 * with kinds NULL. */
typedef struct flow_sig {
	const char *kinds;
	char result;
	int fails;                      /* FLOW_FAILS_* on these kinds */
	const char *fn;
	const char *value;
	/* The HLS kernel's function of flowops.h when the signature has a
	 * string or array argument or result ('s', 'a'): heap-free, on
	 * strings and arrays of ints of bounded length (fn is NULL then:
	 * compiled C passes them boxed). */
	const char *kfn;
} flow_sig;

/* One entry of an operation table (the standard catalogue or a user's). */
typedef struct flow_impl {
	const char *name;               /* registered name, e.g. "add" */
	const char *alias;              /* second spelling or NULL */
	int kind;                       /* FLOW_IMPL_* */
	int nparam;
	const char *const *params;      /* parameter names */
	const char *const *param_defs;  /* default definition names */
	const flow_type *param_types;   /* what the op accepts */
	const char *out;                /* output name ("result") */
	const char *out_def;            /* default output definition name */
	flow_type out_type;             /* what the op returns */
	const char *stage;              /* default stage for DFFML built-ins */
	flow_opfn fn;
	const flow_sig *sigs;           /* typed signatures, or NULL */
	int hw;                         /* FLOW_HW_*: hardware backends' ops */
	const char *summary;            /* one line for --help and the man page */
	int caps;                       /* FLOW_CAP_* bits the op needs (sandbox) */
	int fails;                      /* FLOW_FAILS_* on kinds no sig lists */
	int role;                       /* FLOW_ROLE_* */
	/* An operation that needs a library besides the C library: fn is a
	 * weak reference, so a program links its object (ld -u sym) and the
	 * libraries (link, e.g. "-lsqlite3") only when its flow uses it;
	 * NULL for the others. */
	const char *sym, *link;
	int collect;                    /* FLOW_ROLE_OUTPUT: FLOW_COLLECT_* */
	int form;                       /* FLOW_FORM_*: 0, or what compiled
	                                 * code may write out by itself */
} flow_impl;

/* What an operation needs from the system besides memory and its
 * arguments (flow_impl.caps, OR-ed).  A compiled flow's sandbox allows
 * the union over its operations (flowc(1), SANDBOX). */
enum {
	FLOW_CAP_NONE = 0,
	FLOW_CAP_FILES = 1,             /* open, stat, read/write files, dirs */
	FLOW_CAP_PROCESSES = 2,         /* fork/exec children, wait, pipes */
	FLOW_CAP_NETWORK = 4            /* sockets, name resolution */
};

/* The standard catalogue (stdlib-ops/), NULL-terminated by name. */
extern const flow_impl flow_stdlib[];
extern const int flow_stdlib_count;
/* Find an operation by either spelling; NULL if unknown. */
const flow_impl *flow_stdlib_find(const char *name);
/* The signature of im for argument kinds k (one letter each, see
 * flow_sig), or NULL. */
const flow_sig *flow_impl_sig(const flow_impl *im, const char *k);
/* Can im fail on arguments of kinds k?  (k NULL: on some kinds.) */
int flow_impl_can_fail(const flow_impl *im, const char *k);
/* The keys a FLOW_FORM_MAP_WALK operation (dffml.mapping.extract) walks
 * along for traverse, split as it splits them, into keys (allocated in
 * a, or traverse's own items); -1 if traverse is not a list of keys. */
int flow_map_walk_keys(flow_arena *a, flow_val traverse, flow_vec *keys);

/* ------------------------------------------------------------------ */
/* 4. Programs and the orchestrator                                    */
/* ------------------------------------------------------------------ */

enum { FLOW_STAGE_PROCESSING, FLOW_STAGE_CLEANUP, FLOW_STAGE_OUTPUT, FLOW_NSTAGES };

/* A source of candidates for one parameter or condition: inputs whose
 * origin is `origin` and whose definition is one of `names` (name ids),
 * optionally filtered by an ancestor chain of origins (each entry must be
 * the origin of a direct parent of the previous input). */
typedef struct flow_src {
	int origin;
	int nnames;
	const int *names;
	int nanc;
	const int *anc;
	int join;               /* conditions: same flow entry as the previous */
} flow_src;

/* One gathered parameter, in the order of the flow section. */
typedef struct flow_param {
	int argpos;             /* position in the implementation's arguments */
	int def;                /* declared definition (defaults come from it) */
	int nsrc;
	const flow_src *src;
} flow_param;

typedef struct flow_op {
	const char *instance;
	int impl;               /* index into flow_prog.impls */
	int stage;
	int nparam;
	const flow_param *params;
	int nargs;              /* the implementation's parameter count */
	int nout;
	const char *const *out_name;
	const int *out_def;     /* output definition per output */
	const int *out_origin;  /* origin id of each output */
	const unsigned char *out_expand;
	int ncond;              /* condition sources, entries grouped by join */
	const flow_src *cond;
	int retry;
	int validator;
	const flow_val *config; /* a map, or NULL */
	const struct flow_prog *subflow; /* dffml.dataflow.run */
} flow_op;

typedef struct flow_def {
	const char *name;
	flow_type type;
	int has_default;
	flow_val dflt;
	int validate;           /* validator instance, or -1 */
} flow_def;

typedef struct flow_seed {
	int def;
	int origin;
	flow_val value;
} flow_seed;

/* by_origin: the instances that consume an origin, in order (§1.4.2). */
typedef struct flow_consumers {
	int n;
	const int *ops;
} flow_consumers;

/* A whole flow as tables.  The interpreter builds one in memory; the C
 * backend prints the same tables as static data. */
typedef struct flow_prog {
	const char *name;               /* for messages: the flow file */
	int ndefs;
	const flow_def *defs;           /* a definition's id is its name id */
	int norigins;
	const char *const *origin_names;/* "seed", "user", "inst.output" */
	int nstr_origins;               /* string origins come first */
	int seed_origin;                /* origin of context inputs */
	int nops;
	const flow_op *ops;
	int nseeds;
	const flow_seed *seeds;
	const flow_consumers *by_origin[FLOW_NSTAGES]; /* [stage][origin] */
	const int *stage_order[FLOW_NSTAGES];          /* ops of a stage, in order */
	int nstage[FLOW_NSTAGES];
	int nimpls;
	const flow_impl *const *impls;
} flow_prog;

/* Defaults of the per-context limits (flow_opts fields left 0). */
#define FLOW_DEFAULT_MAX_FIRINGS 1000000L
#define FLOW_DEFAULT_MAX_PERMUTATIONS 1000000L
#define FLOW_DEFAULT_MAX_MEMORY_MB 256L

/* Run-time options. */
typedef struct flow_opts {
	long max_firings;       /* per context; 0 = default */
	long max_permutations;  /* per gather; 0 = default */
	int trace;              /* print each firing on stderr */
	long max_memory;        /* MiB per context; 0 = default */
	long max_line;          /* bytes per input line; 0 = 64 MiB */
	int jobs;               /* worker threads of flow_stream; 0 or 1 = none */
} flow_opts;

/* One context's input: a definition id (or -1 when unknown) and value. */
typedef struct flow_cinput {
	int def;
	int origin;
	flow_val value;
} flow_cinput;

/* The outcome of one context. */
typedef struct flow_result {
	int ok;
	flow_val results;       /* when ok */
	const char *err_op;     /* instance name, or NULL for a non-op error */
	const char *err_msg;
} flow_result;

/* Run one context through the dynamic orchestrator (§2.3 of the
 * semantics note).  Everything is allocated in arena a. */
void flow_orch_run(const flow_prog *p, const flow_opts *o, flow_arena *a,
                   const char *ctxname, const flow_cinput *in, int nin,
                   flow_result *r);

/* A bare network for compiled code's static schedules: it holds the
 * values that output operations read, calls operations with the
 * orchestrator's error handling and assembles the results exactly as
 * flow_orch_run does. */
flow_net *flow_net_new(const flow_prog *p, const flow_opts *o, flow_arena *a);
void flow_net_add(flow_net *n, int def, int origin, flow_val v);
/* Call operation op (args in the implementation's order): 0 with *out,
 * 1 for no output, -1 after recording the failure. */
int flow_net_call(flow_net *n, int op, const flow_val *args, flow_val *out);
/* One run of an output-stage op: result.setdefault(instance, {}).update. */
int flow_net_assemble(flow_net *n, int op, const flow_val *res);
/* The context's outcome: the first failure, or the assembled results. */
void flow_net_finish(flow_net *n, flow_result *r);

/* Append the elements `expand` makes of v (§2.8.3: array items, string
 * code points, map keys) to vec; -1 if v cannot be expanded. */
int flow_expand(flow_arena *a, flow_val v, flow_vec *vec);

/* The network interface that FLOW_IMPL_NETWORK operations use. */
int flow_net_def_by_name(flow_net *n, const char *name, size_t len);
/* Free this thread's cache of definition names (flow_net_def_by_name);
 * a worker thread calls it before it ends. */
void flow_net_names_free(void);
/* Values of definition d in insertion order: count, then each. */
int flow_net_count(flow_net *n, int d);
flow_val flow_net_value(flow_net *n, int d, int k);
/* Why definition d (-1: a name that is no definition) has no value in
 * the context, in words, for messages; allocated in the arena. */
const char *flow_net_why_absent(flow_net *n, int d);
/* Ancestors: for the k-th input of definition d, visit every ancestor
 * (parents, transitively, each once) and return the value of the first
 * whose definition is `want`; returns 0 if there is none. */
int flow_net_ancestor(flow_net *n, int d, int k, int want, flow_val *out);
/* Is the ak-th input of definition ad an ancestor of the k-th of d? */
int flow_net_has_ancestor(flow_net *n, int d, int k, int ad, int ak);

/* A context runner: the orchestrator, or a compiled flow's own code. */
typedef void (*flow_runner)(const flow_prog *p, const flow_opts *o,
                            flow_arena *a, const char *ctxname,
                            const flow_cinput *in, int nin, flow_result *r);

/* The JSON Lines driver (spec/cli.md): read contexts from `in`, run each,
 * write one line each to `out`, flushing after every line.  Returns the
 * exit status (0 all ok, 1 some context or line failed).  `in` is read in
 * blocks through its file descriptor when it has one (a line runs as soon
 * as it has arrived), so nothing may have been read from it before. */
int flow_stream(const flow_prog *p, const flow_opts *o, flow_runner run,
                FILE *in, FILE *out, const char *inname);

/* -j N: with o->jobs > 1, flow_stream runs contexts on that many workers
 * (this thread and o->jobs - 1 threads, each with its own arena, so
 * --max-memory holds per worker); the output, the --trace lines and the
 * exit status are those of one worker.  Operations must be thread-safe
 * (the catalogue's are).  flow_pool_new starts the threads before the
 * stream (so that nothing after start-up has to create a thread):
 * NULL for jobs <= 1.  flow_stream_pool runs the stream on them (or on
 * this thread if pool is NULL) and frees the pool; flow_pool_free ends
 * a pool that will not be used. */
typedef struct flow_pool flow_pool;
flow_pool *flow_pool_new(int jobs);
void flow_pool_free(flow_pool *pool);
int flow_stream_pool(const flow_prog *p, const flow_opts *o, flow_runner run,
                     FILE *in, FILE *out, flow_pool *pool);

/* A --trace line (printf format): on standard error, or with -j N kept
 * with its context and written just before the context's output. */
void flow_trace(const char *fmt, ...);

/* main() of a compiled flow: parses -i FILE, --max-permutations N,
 * --help, --version, then calls flow_stream. */
int flow_main(int argc, char **argv, const flow_prog *p, flow_runner run);
/* The flow's own lines of --help (its inputs and outputs), printed after
 * the usage; text must outlive flow_main.  Generated programs call it
 * before flow_main. */
void flow_help_text(const char *text);

/* The sandbox (sandbox.c; link -lseccomp).  flow_sandbox_request(extra)
 * sets flow_sandbox_hook, which flow_main calls once the input is open:
 * it installs a seccomp filter allowing the stream loop's system calls
 * and those of the capabilities (FLOW_CAP_*) of p's operations and
 * subflows and of extra; any other call fails with EPERM.  The hook
 * returns 0, or -1 after a message on stderr. */
void flow_sandbox_request(int extra);
extern int (*flow_sandbox_hook)(const flow_prog *p);
/* The capabilities p's operations and subflows declare, OR-ed. */
int flow_prog_caps(const flow_prog *p);

#endif
