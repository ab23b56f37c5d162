/*
 * flowc.h: the compiler's one internal header, sectioned by file.
 *
 * The pipeline (see main.c): load the manifest (YAML or JSON) into a tree
 * of Nodes with source positions, merge overlays, read the tree into an
 * AST of definitions, operations, flow entries and seeds (manifest.c),
 * check and resolve it into the graph IR (check.c), run passes over the
 * IR, then interpret it or emit C, HLS C, DOT or Mermaid.
 *
 * One arena per compilation (a flow_arena from the runtime); nothing is
 * freed piecemeal.  Diagnostics go through a DiagSink.
 */
#ifndef FLOWC_H
#define FLOWC_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include "flowrt.h"

/* ---- util.c ------------------------------------------------------- */

/* Source position: file name as given, 1-based line and column. */
typedef struct Pos {
	const char *file;
	int line, col;
} Pos;

extern flow_arena *cc_arena;    /* the compilation's arena */

void *xalloc(size_t n);         /* zeroed, from cc_arena */
char *xstrdup(const char *s);
char *xstrupper(const char *s);
char *xstrndup(const char *s, size_t n);
char *xprintf(const char *fmt, ...);
/* Growable array of pointers (malloc-free: arena backed). */
typedef struct PtrVec {
	void **v;
	int n, cap;
} PtrVec;
void pv_push(PtrVec *pv, void *p);
/* Read a whole file (or stdin for "-"); NULL with errno on failure. */
char *read_file(const char *path, size_t *len);
/* Levenshtein distance, for did-you-mean suggestions. */
int edit_distance(const char *a, const char *b);
/* The candidate closest to s (distance <= max(1, strlen(s)/3)), or NULL. */
const char *closest_name(const char *s, const char *const *cands, int n);
/* Manifest text in generated C: a string literal of any bytes, and text
 * safe inside a comment (see util.c). */
char *c_literal(const char *s, size_t len);
char *c_comment(const char *s);
char *c_comment_n(const char *s, size_t max);
/* The first line of every generated file: what wrote it, from what
 * source, as a comment opening with comment: a C one (closed too),
 * "//" or "#". */
void gen_banner(FILE *f, const char *comment, const char *source);
/* Length of the line break at p < end (\n, \r\n, \r, or U+0085, U+2028,
 * U+2029, which YAML 1.1 also counts), or 0. */
int line_break(const char *p, const char *end);
/* Line and column (1-based, columns in characters) of byte offset off in
 * text, counted with line_break; file NULL. */
Pos text_pos(const char *text, size_t len, size_t off);
/* Length of the well-formed UTF-8 character at p < end, or 0. */
int utf8_len(const char *p, const char *end);

/* ---- diag.c ------------------------------------------------------- */

typedef enum DiagKind { D_ERROR, D_WARNING, D_NOTE } DiagKind;

typedef struct Diag {
	DiagKind kind;
	Pos pos;
	char *msg;
} Diag;

/* Collects diagnostics; printing is separate so tests can inspect them.
 * A note attaches to the error or warning before it. */
typedef struct DiagSink {
	Diag *v;
	int n, cap;
	int nerrors, nwarnings;
	int max_errors;         /* stop recording errors after this many */
} DiagSink;

void diag_init(DiagSink *d);
void diag_error(DiagSink *d, Pos p, const char *fmt, ...);
void diag_warning(DiagSink *d, Pos p, const char *fmt, ...);
void diag_note(DiagSink *d, Pos p, const char *fmt, ...);
void diag_add(DiagSink *d, DiagKind k, Pos p, const char *fmt, va_list ap);
/* Register a source text so diagnostics can quote its lines. */
void diag_source(const char *file, const char *text, size_t len);
/* Print every diagnostic GCC style (with source line and caret) or as
 * one JSON array. */
void diag_print(const DiagSink *d, FILE *f, int json);
void diag_color(int on);

/* ---- node.c, load_yaml.c, load_json.c, merge.c --------------------- */

/* The manifest as a tree, exactly as written: YAML or JSON, scalars
 * resolved the way PyYAML (YAML 1.1) or Python's json module would. */
typedef enum NodeKind {
	NODE_NULL,
	NODE_BOOL,
	NODE_INT,
	NODE_FLOAT,
	NODE_STR,
	NODE_SEQ,
	NODE_MAP
} NodeKind;

typedef struct Node Node;
struct Node {
	NodeKind kind;
	Pos pos;                /* where the node starts */
	const char *s;          /* NODE_STR: the string (NUL-terminated) */
	size_t slen;            /* its length (it may contain NUL) */
	int64_t i;              /* NODE_INT */
	double f;               /* NODE_FLOAT */
	int b;                  /* NODE_BOOL */
	int n;                  /* NODE_SEQ items, NODE_MAP entries */
	Node **items;           /* NODE_SEQ items, NODE_MAP values */
	Node **keys;            /* NODE_MAP keys, in file order (NODE_STR) */
};

/* Limits that protect the loader from hostile input. */
enum { LD_MAX_DEPTH = 200 };

/* Load a YAML (.yaml/.yml, or anything not .json) or JSON (.json) file;
 * "-" is standard input (sniffed: JSON if it starts with '{').  Returns
 * NULL after reporting to d.  Duplicate keys are errors. */
Node *ld_file(DiagSink *d, const char *path);
Node *ld_yaml(DiagSink *d, const char *file, const char *text, size_t len);
Node *ld_json(DiagSink *d, const char *file, const char *text, size_t len);
/* Deep merge `over` onto `base` (mappings merged key by key, later wins
 * for scalars, sequences appended), as `dffml dataflow merge` does; each
 * node keeps the position it came from.  Returns a new tree. */
Node *ld_merge(Node *base, Node *over);
/* For the loaders: a map node of n entries (keys NODE_STR).  A repeated
 * key keeps its first place and takes the later value, as a Python dict
 * does.  With d it is an error at the later key (noting the first);
 * without, the later key node replaces the first (YAML merge keys). */
Node *ld_map_new(DiagSink *d, Pos p, int n, Node **keys, Node **vals);
/* s (len bytes) fit for a message: control characters escaped, long
 * strings shortened. */
const char *ld_show(const char *s, size_t len);
/* Map lookup by key; NULL if absent. */
Node *node_get(const Node *map, const char *key);
/* Index of key in map, or -1. */
int node_index(const Node *map, const char *key);
const char *node_kind_name(NodeKind k);
/* The runtime value of a scalar or a whole subtree. */
flow_val node_value(flow_arena *a, const Node *n);

/* ---- manifest.c: the tree read as a DFFML dataflow (the AST) ------- */

typedef struct AstDef {
	const char *key;        /* its key in `definitions` (NULL inline) */
	const char *name;       /* the definition's name field, or its key */
	Pos pos;                /* its key (or the inline mapping) */
	Node *node;
	Node *primitive;        /* NODE_STR */
	Node *dflt;             /* NULL when there is no default */
	int lock, subspec;
	Node *spec, *validate, *links;
} AstDef;

/* A reference to a definition: by name (linked) or inline (non-linked). */
typedef struct AstRef {
	const char *key;        /* parameter or output name; NULL for conditions */
	Pos keypos;
	const char *def;        /* the definition's name */
	Pos defpos;
	AstDef *inline_def;     /* non-linked form */
} AstRef;

typedef struct AstOp {
	const char *inst;
	Pos pos;
	Node *node;
	const char *name;       /* implementation name */
	Pos namepos;
	AstRef *inputs, *outputs, *conds;
	int ninputs, noutputs, nconds;
	int stage;              /* FLOW_STAGE_* */
	Pos stagepos;
	Node *expand;           /* NODE_SEQ of output names, or NULL */
	int retry, validator;
} AstOp;

typedef struct AstFlow {
	const char *inst;
	Pos pos;
	Node *inputs;           /* NODE_MAP: parameter -> NODE_SEQ of sources */
	Node *conditions;       /* NODE_SEQ, or NULL */
} AstFlow;

typedef struct AstSeed {
	Node *node, *value;
	AstRef def;
	const char *origin;
	Pos originpos;
} AstSeed;

typedef struct Manifest {
	const char *file;
	Node *root;
	int linked;
	AstDef **defs;          /* the definitions section, file order */
	int ndefs;
	AstOp *ops;
	int nops;
	AstFlow *flows;
	int nflows;
	int has_flow;           /* absent: DFFML's auto flow */
	AstSeed *seeds;
	int nseeds;
	Node *configs, *forward;
} Manifest;

/* Read the tree as a dataflow, reporting unknown keys, wrong shapes and
 * missing fields; what could not be read is left out (NULL if root is
 * not a mapping). */
Manifest *mf_read(DiagSink *d, Node *root, const char *file);

/* ---- ir.c: the graph IR -------------------------------------------- */

/* String -> int map (open addressing, arena backed). */
typedef struct StrMap {
	const char **k;
	int *v;
	int n, cap;
} StrMap;
int sm_get(const StrMap *m, const char *k);     /* value, or -1 */
void sm_put(StrMap *m, const char *k, int v);

/* Definitions are unique by name; a definition's index is its id. */
typedef struct IrDef {
	const char *name;
	const char *primitive;
	flow_type type;
	int has_default;
	flow_val dflt;
	int lock;
	int validate;           /* validator op, or -1 */
	Pos pos;
	int declared;           /* 0 for names met only in flow alternates */
} IrDef;

/* A source of candidates (see flow_src in flowrt.h). */
typedef struct IrSrc {
	int origin;
	int nnames;
	int *names;
	int nanc;
	int *anc;
	int join;
	Pos pos;
} IrSrc;

typedef struct IrParam {
	const char *name;
	int argpos;             /* index in the op's declared inputs */
	int def;
	int nsrc;
	IrSrc *src;
	Pos pos;
} IrParam;

typedef struct IrOut {
	const char *name;
	int def;
	int origin;
	int expand;
	Pos pos;
} IrOut;

typedef struct Graph Graph;

typedef struct IrOp {
	const char *inst;
	const char *opname;
	const flow_impl *impl;  /* NULL when unknown (graph drawing only) */
	Pos pos, namepos;
	int stage;
	int ndecl;              /* declared inputs, in the operation's order */
	const char **decl_names;
	int *decl_defs;
	Pos *decl_pos;
	int nparam;             /* gathered parameters, in flow order */
	IrParam *params;
	int nout;
	IrOut *out;
	int ncdecl;             /* declared conditions */
	int *cdecl;
	int ncond;              /* condition sources */
	IrSrc *cond;
	int has_flow;
	int retry, validator;
	const flow_val *config; /* a map, or NULL */
	Graph *subflow;
	int user;               /* implemented by a user op file */
} IrOp;

typedef struct IrOrigin {
	const char *name;       /* "seed", or "instance.output" */
	int op, out;            /* -1 for string origins */
} IrOrigin;

typedef struct IrSeed {
	int def;
	int origin;
	flow_val value;
	Pos pos;
	const Node *node;       /* the value as written */
} IrSeed;

struct Graph {
	const char *file;
	IrDef *defs;
	int ndefs, capdefs;
	IrOp *ops;
	int nops;
	IrOrigin *origins;
	int norigins, caporigins;
	int seed_origin;
	IrSeed *seeds;
	int nseeds;
	const flow_impl **impls;/* user implementations, by name */
	int nimpls;
	int *flow_order;        /* op indices in the flow section's order */
	int nflow_order;
	StrMap defidx, opidx, stroriginidx;
};

int ir_def(Graph *g, const char *name);         /* id, or -1 */
int ir_intern_def(Graph *g, const char *name, Pos pos);
int ir_origin(Graph *g, const char *name, int op, int out);
int ir_op(const Graph *g, const char *inst);    /* index, or -1 */
/* Check the IR's invariants; returns the number of problems (printed). */
int ir_verify(const Graph *g, FILE *f);
/* Print the IR readably (flowc -d). */
void ir_dump(const Graph *g, FILE *f);
const char *stage_name(int stage);

/* ---- types.c --------------------------------------------------------- */

/* Normalize a DFFML primitive label (str/string, Dict[str, Any], ...). */
flow_type ty_from_primitive(const char *prim);
/* Can a value of type `from` be used where `to` is expected? */
int ty_compatible(flow_type from, flow_type to);

/* ---- check.c: names, types, wiring, the DFFML traps ---------------- */

typedef struct CheckOpts {
	int allow_unimplemented;        /* flowc graph */
	const flow_impl *const *user;   /* user op implementations */
	int nuser;
} CheckOpts;

/* Resolve and check the manifest into a Graph; NULL if errors. */
Graph *chk_flow(DiagSink *d, Manifest *m, const CheckOpts *o);

/* ---- graph.c: whole-graph rules ------------------------------------- */

/* Cycles that never end or never start, operations that can never run,
 * the default-first crash, output specs naming unknown definitions.
 * After other errors (broken), only errors are reported: warnings about
 * a graph with parts missing would mislead. */
void chk_graph(DiagSink *d, Graph *g, int broken);

/* ---- lower.c: the IR as runtime tables ----------------------------- */

/* Build the flow_prog that the orchestrator runs (and the C backend
 * prints).  Every operation is in it (the passes change only the plan
 * and its schedule).  Allocated in cc_arena. */
flow_prog *lower_prog(const Graph *g);

/* ---- pass_static.c: static multiplicity analysis ------------------- */

/* A place values of one definition arrive at from one origin: context
 * inputs, seeds, or one operation output. */
typedef struct PlanSlot {
	int origin, def;
	int producer, out;      /* op and output, or -1 */
	int nseeds;             /* seed values (origin/def) in the flow */
	int *seeds;             /* their indices in g->seeds */
	int ctx;                /* contexts may supply it (seed origin) */
	int kind;               /* exact flow_kind of its values, or -1 */
	int single;             /* holds at most one value per context */
	int lo, hi;             /* the input-set level at which it fills
	                         * (0: the first set), or -1: never */
	int has_const;          /* pass_fold: its one value is known ... */
	flow_val konst;         /* ... and is this */
} PlanSlot;

/* One parameter: its candidates are its slots' values, in source order. */
typedef struct PlanParam {
	int nslots;
	int *slots;
	int group;              /* first parameter with the same slots (dedup) */
} PlanParam;

/* The static schedule of a flow in which every operation runs in one
 * batch over complete inputs (see pass_static.c). */
typedef struct Plan {
	int ok;                 /* the flow has a static schedule */
	const char *why;        /* if not: the first reason */
	Pos whypos;
	PlanSlot *slots;
	int nslots;
	int *order;             /* processing ops, dependencies first */
	int norder;
	PlanParam **params;     /* [op][param] */
	int **cond_slot;        /* [op][condition source] */
	unsigned char *op_single; /* [op]: runs at most once */
	unsigned char *op_gone; /* [op]: folded or dead: not emitted */
	int *def_ctx;           /* per def: 0 contexts may not supply it,
	                         * 1 at most once, 2 any number of times */
	unsigned char *viewed;  /* per def: named by an output spec */
	int *origin_slot;       /* per origin: its first slot, or -1 */
	struct Sched *sched;    /* the plan as steps (sched.c), or NULL */
} Plan;

/* Decide whether g has a static schedule and build it (never fails: a
 * flow without one keeps the dynamic orchestrator). */
Plan *pass_static(Graph *g);

/* ---- sched.c: the schedule IR (the static plan as steps) -------------- */

/* What a step does (see sched.c for the shape of a schedule). */
typedef enum SchedKind {
	SC_INPUT,       /* a: slot <- the context's values of definition b */
	SC_SEED,        /* a: slot <- seed b */
	SC_CONST,       /* a: slot <- pass_fold's constant */
	SC_BEGIN,       /* op's block; a: its stage */
	SC_COND,        /* a: condition slot, b: source, c: joined to the last */
	SC_PRESENT,     /* a: a parameter that needs a candidate */
	SC_CANDS,       /* a: a parameter read as a concatenation of slots */
	SC_LOOP,        /* a: parameter, b: the earlier one its loop starts
	                 * from (same slots), or -1 */
	SC_CALL,        /* sig: typed call, NULL: boxed */
	SC_STORE,       /* a: output, b: slot, c: expanded */
	SC_ASSEMBLE,    /* an output operation's result into the context's */
	SC_END,         /* end of op's block */
	SC_FEED,        /* a: definition whose values the output stage sees */
	SC_NKINDS
} SchedKind;

typedef struct SchedStep {
	SchedKind k;
	int op;                 /* graph operation, -1 outside blocks */
	int a, b, c;
	const flow_sig *sig;
	char kinds[4];          /* SC_CALL with sig: the arguments' kinds
	                         * (i, f, b), by argument position */
	Pos pos;                /* SC_BEGIN: the operation's manifest node */
} SchedStep;

/* The steps of one context, in order (indices, no pointers). */
typedef struct Sched {
	SchedStep *v;
	int n, cap;
} Sched;

/* Lower plan p of g (prog: its stages' order) into steps; empty when p
 * has no static schedule. */
Sched *sched_lower(const Graph *g, const flow_prog *prog, const Plan *p);
/* After a pass changed p: drop the blocks of the operations p no longer
 * runs, and write the constants pass_fold found; returns the number of
 * steps dropped. */
int sched_update(Sched *s, const Plan *p);
/* Print s readably (flowc build -d). */
void sched_print(const Sched *s, const Graph *g, FILE *f);
/* Check s against g and p; returns the number of problems (printed to
 * f, one line each: "sched_verify: step N (kind): what"). */
int sched_verify(const Sched *s, const Graph *g, const Plan *p, FILE *f);
const char *sched_kind_name(SchedKind k);

/* ---- plan.c: one context under the static plan, for the backends ---- */

/* Whether an origin's values exist in a context: a slot's index (they
 * exist when it holds a value), or one of these. */
enum { PLAN_NEVER = -1, PLAN_ALWAYS = -2, PLAN_INPUT = -3 /* the context has inputs */ };

/* One step of an operation's condition walk (§2.7). */
typedef struct PlanCond {
	int exists;             /* plan_origin of the condition's source */
	int slot;               /* the slot holding its value */
	int opens;              /* starts a group: its flag is reset */
	int closes;             /* ends a group: the walk stops if it holds */
} PlanCond;

/* Where origin's values are in a context of plan p: a slot, PLAN_NEVER,
 * PLAN_ALWAYS (a seed has that origin) or PLAN_INPUT. */
int plan_origin(const Graph *g, const Plan *p, int origin);
/* The condition walk of operation opi, *n steps (arena). */
PlanCond *plan_conds(const Graph *g, const Plan *p, int opi, int *n);
/* plan_origin of each origin op consumes, *n of them (arena): its
 * parameters' sources, then its conditions'; with first, only the first
 * parameter's, or NULL when that has no default (no UnboundLocalError). */
int *plan_sources(const Graph *g, const Plan *p, const IrOp *op, int first, int *n);
/* Simplify "any of v[0..n-1]" in place: PLAN_NEVERs dropped, and repeats
 * with dedup; returns how many are left, or PLAN_ALWAYS. */
int plan_any(int *v, int n, int dedup);
/* The slot the context's values of definition def fill, or -1. */
int plan_input_slot(const Graph *g, const Plan *p, int def);
/* The slot seed k fills, or -1. */
int plan_seed_slot(const Graph *g, const Plan *p, int k);
/* Is seed k what output operation op's spec (its first source) names? */
int plan_spec_seed(const Graph *g, const IrOp *op, int k);

/* ---- pass_fold.c, pass_dce.c: on the static schedule ----------------- */

/* Run, at compile time, the operations whose inputs are all seed
 * constants; their outputs become constants of the plan.  Returns the
 * number folded. */
int pass_fold(Graph *g, Plan *p, DiagSink *d);
/* Drop from the plan the operations whose outputs nothing observable
 * reads and that cannot fail.  Returns the number dropped. */
int pass_dce(Graph *g, Plan *p);

/* ---- emit_c.c ---------------------------------------------------------- */

typedef struct EmitOpts {
	int opt;                /* 0: tables only; 2: static fast path too */
	const char *source;     /* the manifest, for the banner */
	const struct UserOps *user; /* --ops: wrappers emitted, files compiled */
	int static_link;        /* --static: one self-contained executable */
	int sandbox;            /* FLOW_CAP_* bits allowed beyond the ops' (user
	                         * ops, --sandbox=LIST), or -1: --sandbox=off */
	const char *entry;      /* NULL: main(); else no main() but a
	                         * function of this name that sets the tables
	                         * up and returns &prog (the HLS test bench) */
} EmitOpts;

/* Write the C program for g (tables built from prog, plan if any). */
void emit_c(const Graph *g, const flow_prog *prog, const Plan *plan,
            const EmitOpts *o, FILE *f);
/* Output operation opi (get_single, get_multi) on the seeds its spec
 * names, as the fast path runs it under `c` (indent tabs deep): the
 * HLS test bench's output stage is -O2's. */
void emit_c_spec_calls(FILE *f, int indent, const Graph *g, int opi);

/* ---- cc.c: running the system C compiler --------------------------- */

/* Where the runtime's header and library are: FLOWC_HOME, else next to
 * the flowc executable (build tree), else ../include and ../lib; and
 * share/flowc beside them. */
typedef struct Home {
	const char *include;    /* directory holding flowrt.h */
	const char *lib;        /* directory holding libflowrt.a */
	const char *share;      /* share/flowc: files copied next to output
	                         * (hls-lint.sh) */
} Home;
int cc_home(Home *h);
/* Emit g as C into a temporary file and compile it to exe.  cc and
 * cflags may be NULL (cc, -O2).  Returns 0 on success. */
int cc_build(const Graph *g, const flow_prog *p, const Plan *plan,
             const EmitOpts *o, const char *exe, const char *cc, const char *cflags);
/* Run argv (argv[0] looked up in PATH); returns its exit status, or -1. */
int cc_run(char *const *argv);
/* Split a command line on blanks (no quoting). */
char **cc_words(const char *s, int *n);
/* The hardening flags for a build with the user's flags v[0..n): stack
 * protector, PIE, full RELRO, and _FORTIFY_SOURCE=2 when v optimizes and
 * neither sanitizes nor sets it.  A NULL-terminated list (static). */
const char *const *cc_harden(char *const *v, int n, int static_link);

/* ---- backend.c: the targets of flowc build, one struct each ---------- */

/* What flowc build asks of a backend. */
typedef struct BuildOpts {
	const char *output;     /* -o: a file, a directory, "-" (-S) */
	const char *source;     /* the manifest's path, for banners */
	int opt;                /* -O0 / -O2 */
	int emit_only;          /* -S */
	const char *cc, *cflags;
	const struct UserOps *user;
	const char *hls_vendor; /* --hls-vendor, or NULL */
	int max_values;         /* --max-values, 0: HLS_MAX_VALUES */
	int max_string;         /* --max-string-bytes, 0: HLS_STRING_BYTES */
	int static_link;        /* --static */
	int sandbox;            /* see EmitOpts */
	int host_only;          /* hls for the RTL target: only the header,
	                         * test bench and tables (the kernel is RTL) */
} BuildOpts;

/* A target (QBE's Target): a new one is a file defining one of these
 * and a row in backend.c's table.  Each hook may be NULL. */
typedef struct Backend {
	const char *name;       /* --target NAME */
	int static_plan;        /* needs pass_static's plan even at -O0 */
	/* Its options: 0, or an exit status after a message. */
	int (*options)(const BuildOpts *o);
	/* Can g be built?  1, or 0 after diagnostics at the manifest. */
	int (*eligible)(DiagSink *d, const Graph *g, const Plan *plan, const BuildOpts *o);
	/* Write the output; returns the exit status. */
	int (*emit)(DiagSink *d, const Graph *g, const flow_prog *p, const Plan *plan,
	            const BuildOpts *o);
} Backend;

extern const Backend backend_c;         /* emit_c.c: C, then cc */
extern const Backend backend_hls;       /* emit_hls.c: HLS C */
extern const Backend backend_verilog;   /* emit_rtl.c: Verilog */
/* The backend called name, or NULL. */
const Backend *backend_find(const char *name);
/* Their names for messages: "c or hls". */
const char *backend_names(void);

/* ---- hls_eligible.c: what the HLS target can build -------------------- */

/* Kinds a kernel value can have, as a bit mask: a value with more than
 * one bit travels tagged (FLOW_HLS_INT/FLOAT/BOOL in flowhls.h); a
 * string (HLS_KS, bytes of bounded length) or an array of ints (HLS_KA,
 * of bounded length) never shares a slot. */
enum { HLS_KI = 1, HLS_KF = 2, HLS_KB = 4, HLS_KS = 8, HLS_KA = 16 };
/* The kernel's bounds when --max-string-bytes and --max-values are not
 * given, and the largest they may be. */
enum { HLS_STRING_BYTES = 256, HLS_STRING_BYTES_MAX = 1 << 20, HLS_MAX_VALUES = 64,
	HLS_MAX_VALUES_MAX = 1 << 16 };
int hls_type_mask(flow_type t);         /* what contexts may give */
int hls_result_mask(flow_type t);       /* what an HLS-safe op returns */
int hls_value_mask(flow_val v);         /* a constant's kind, or 0 */
int hls_in_kernel(const IrOp *op);      /* processing or cleanup stage */
/* Can g become hardware with arrays of at most max_values items and
 * strings of at most max_string bytes (0: the defaults)?  1 and *mask
 * (per plan slot: the kinds its kernel local holds, 0 if none), or 0
 * after a diagnostic at the manifest node in the way. */
int hls_eligible(DiagSink *d, const Graph *g, const Plan *pl, int max_values, int max_string,
    int **mask);
/* The prefix of the files the HLS and RTL targets write (emit_hls.c):
 * the flow file's base name without extension, letters, digits and '_'
 * only, not starting with a digit; "flow" for standard input. */
/* Per plan slot: 1 if it holds several values in the kernel, those of an
 * expanding processing operation or of one reading such values. */
unsigned char *hls_many(const Graph *g, const Plan *pl);
const char *hls_file_prefix(const char *source);
/* The Makefile lines of the HLS and RTL targets that find the runtime:
 * FLOWRT_INCLUDE and FLOWRT_LIB where flowc found it (quoted when spaces,
 * for the HLS Makefile's recipes; bare for the RTL one's tools), and a
 * recipe's first lines setting inc and lib from FLOWC_HOME when it is
 * set, else from those. */
void hls_make_runtime(FILE *f, const Home *home, int spaces);
void hls_make_find_runtime(FILE *f);
/* Create DIR/name for writing, its first line gen_banner's in comment
 * (none when NULL); NULL after a message. */
FILE *hls_create(const char *dir, const char *name, const char *comment, const char *source);
/* Close f, DIR/name; 0, or -1 after a message on a write error. */
int hls_finish(FILE *f, const char *dir, const char *name);

/* ---- rtl_pipe.c, emit_rtl.c: the RTL backend ------------------------- */

/* The kinds a pipeline value has: an int (64 bits in the input and
 * output words, as few as its range needs inside), a bool (1 bit), or
 * either, known only at run time (65 bits: bit 64 set for a bool). */
enum { RTL_INT = 1, RTL_BOOL = 2, RTL_ANY = 3 };

/* The static schedule as pipeline stages (rtl_pipe.c): the one view of
 * the Plan the Verilog printer reads.  Stage 0 registers the inputs;
 * stage k (1..depth) computes the operations of level k. */
typedef struct RtlPipe {
	const Graph *g;
	const Plan *pl;
	const flow_prog *p;
	int *kind;              /* per slot: RTL_INT, RTL_BOOL, RTL_ANY (0: unusable) */
	int *ops;               /* kernel operations, in run order */
	int nops;
	int *level;             /* per op: its stage */
	int depth;              /* the last stage */
	int *born, *last;       /* per slot: stage it is made at, last reader */
	unsigned char *read;    /* per slot: a kernel operation reads it */
	unsigned char *in;      /* per slot: a field of the input word */
	unsigned char *out;     /* per slot: a field of the output word */
	int *progop, *graphop;  /* graph op <-> prog op */
	int w_op, w_fired;      /* bits of an operation number (all ones:
	                         * none) and of the count of operations run */
	int64_t *lo, *hi;       /* per int slot: the values it can hold */
	int *w;                 /* per slot: bits of its registers */
	int64_t *olo, *ohi;     /* per op with an int result: its range */
	unsigned char *exact;   /* per op: add, subtract or negate whose
	                         * result provably fits int64 (no check) */
} RtlPipe;

/* The pipeline of g, or NULL after diagnostics saying why the flow
 * cannot become RTL. */
RtlPipe *rtl_pipe(DiagSink *d, const Graph *g, const flow_prog *p, const Plan *pl);
/* Is slot sl held in a register of stage k? */
int rtl_live(const RtlPipe *rp, int sl, int k);
/* The fewest two's-complement bits that hold every value in [lo, hi]. */
int rtl_bits(int64_t lo, int64_t hi);
/* The range of parameter j of operation opi: its slots' and its
 * default's (ints only). */
void rtl_param_range(const RtlPipe *rp, int opi, int j, int64_t *lo, int64_t *hi);
/* flowc build --target=verilog: write DIR (flowc-rtl(7)).  Returns 0, or
 * 1 after diagnostics, or 2 for I/O. */
int rtl_build(DiagSink *d, const Graph *g, const flow_prog *p, const Plan *plan,
              const char *dir, const char *source);

/* ---- userops.c, opsig.c: user operations in C ------------------------ */

/* The convention (man/flowc.1): the operation whose `name` is N is the C
 * function flowop_N' (N' = N with every character outside [A-Za-z0-9_]
 * replaced by `_`), returning int, taking flow_opctx *, then one
 * parameter per declared input, then one pointer per declared output.
 * A definition's type becomes one of these C types (ops_ctype). */
typedef enum OpsCType {
	OPS_I64,                /* int: int64_t */
	OPS_DOUBLE,             /* float: double */
	OPS_BOOL,               /* bool: int */
	OPS_STR,                /* str: const flow_str * */
	OPS_VAL,                /* everything else: flow_val */
	OPS_NCTYPES
} OpsCType;

/* One parameter of a user's C function as libclang sees it. */
typedef struct OpsParam {
	const char *name;       /* "" when unnamed */
	const char *type;       /* as written, e.g. "long" */
	const char *canon;      /* canonical type, e.g. "long" */
	Pos pos;
} OpsParam;

/* A function named flowop_* defined in an --ops file. */
typedef struct OpsFn {
	const char *name;
	Pos pos;                /* its name */
	Pos retpos;             /* its return type */
	const char *ret, *ret_canon;
	int nparam;
	OpsParam *params;
	int proto;              /* it has a prototype */
	int variadic;
	int internal;           /* static: the generated wrapper cannot call it */
} OpsFn;

/* A user operation as the checker resolves it: ops_bind makes one per
 * operation name, ops_check completes its types. */
typedef struct UserImpl {
	flow_impl im;           /* first, so a flow_impl * to it is a UserImpl * */
	const char *cname;      /* flowop_... */
	const OpsFn *fn;        /* NULL when no --ops file defines it */
	flow_type *types;       /* im.param_types */
	const IrOp *first;      /* the first instance ops_check saw */
} UserImpl;

/* The implementations that --ops FILE.c files provide, as flow_impl
 * entries the checker can resolve names against (fn is NULL at compile
 * time).  Filled by ops_load and ops_bind. */
typedef struct UserOps {
	const flow_impl **impls;/* ops_bind: one per user operation of the flow */
	int n;
	const char *const *files;
	int nfiles;
	const char *cflags;     /* in: --cflags; its -I -D -U -std= reach libclang */
	OpsFn *fns;             /* every flowop_* definition, in file order */
	int nfns;
	const char *canon[2][OPS_NCTYPES]; /* canonical [output][type] */
	const char *canon_ctx, *canon_int;
	int stubs;              /* flowc stubs: ops_bind wants no functions */
} UserOps;

/* Parse each file with libclang and collect its flowop_* functions;
 * the files' own compile errors are diagnostics at their file:line:col.
 * Returns 0, or 1 after errors. */
int ops_load(DiagSink *d, const char *const *files, int nfiles, UserOps *u);
/* Between mf_read and chk_flow: set u->impls to one implementation per
 * operation name of m that the catalogue does not have, named as in the
 * manifest (pass them as CheckOpts.user).  Errors at the `name` of an
 * operation without a function, and of two names with one C name.
 * Returns 0, or 1 after errors. */
int ops_bind(DiagSink *d, const Manifest *m, UserOps *u);
/* After checking: each user operation the flow uses has a definition
 * whose signature matches its declared inputs and outputs (errors at the
 * C parameter, notes at the manifest).  Returns 0, or 1 after errors. */
int ops_check(DiagSink *d, const Graph *g, const UserOps *u);
/* Boxed wrappers and a flow_impl userop_impl_<k> for each user operation
 * of g that is not dead, as C99 to be compiled with the flow (after
 * ops_check). */
void ops_emit(const Graph *g, const UserOps *u, FILE *f);
/* The user operations of g that ops_emit defines, in its order (v[k]
 * is userop_impl_<k>), and their number in *n; allocated anew for each
 * call, so it lives with g and never outlives it. */
const UserImpl **ops_emitted(const Graph *g, int *n);
/* flowc run --ops: compile the wrappers of g with the --ops files into a
 * shared object (cc -shared -fPIC), load it, and set fn of each user
 * implementation of g.  Returns 0, or -1 after a message on stderr. */
int ops_shared(const Graph *g, const UserOps *u, const char *cc, const char *cflags);
/* The C function name of operation name N: "flowop_" + N mangled. */
const char *ops_mangle(const char *name);
/* The C type of a definition of type t; its spelling as an input, or as
 * an output (a pointer). */
OpsCType ops_ctype(flow_type t);
const char *ops_cspell(OpsCType c, int out);
/* The C type of output j of op: its definition's, or flow_val when the
 * output is expanded. */
OpsCType ops_out_ctype(const Graph *g, const IrOp *op, int j);

/* ---- iface.c: a flow's inputs and outputs, for --help and schema ----- */

int iface_inputs(const Graph *g, int *defs);    /* context inputs; count */
int iface_outputs(const Graph *g, int *ops);    /* output-stage ops; count */
int iface_getter(const IrOp *op);       /* 1 get_single, 2 get_multi, else 0 */
/* The seed values of getter op's constant spec (count), or -1. */
int iface_spec(const Graph *g, const IrOp *op, const flow_val **v);
const char *iface_type_text(flow_type t);
/* The flow's lines of a compiled program's --help. */
const char *iface_help(const Graph *g);

/* ---- schema.c: flowc schema ------------------------------------------ */

/* JSON Schema (draft 2020-12) of g's input lines (which 1), output lines
 * (2) or both as {"input", "output"} (3), on f.  Returns 0, or -1 after
 * a write error. */
int schema_write(const Graph *g, int which, FILE *f);

/* ---- stubs.c: flowc stubs ------------------------------------------- */

/* Write to f a C file with a stub for each user operation of g (after
 * checking with UserOps.stubs set): the exact signature ops_check wants,
 * a comment naming its inputs and outputs, a body that fails with "not
 * implemented: NAME".  Returns the number of stubs. */
int stubs_write(const Graph *g, const char *source, FILE *f);

/* ---- bench.c ----------------------------------------------------------- */

/* What `flowc bench` was asked for. */
typedef struct BenchOpts {
	const char *flow, *inputs;
	int runs;                       /* timed runs of each program */
	int callgrind;
	const char *svg;                /* or NULL */
	const char *const *overlays;
	int noverlays;
	const char *const *ops;         /* --ops files, for the interpreter */
	int nops;
	const struct UserOps *user;     /* the same, parsed, for the builds */
	const char *cc, *cflags;
	int sandbox;                    /* the builds' --sandbox (EmitOpts) */
	long max_memory;                /* passed on when > 0 */
	int jobs;                       /* -j, passed on when > 0 */
} BenchOpts;

/* flowc bench: interpreter, -O0 and -O2 on the same inputs, interleaved;
 * prints the table; returns the exit status. */
int bench_run(const Graph *g, const flow_prog *p, const BenchOpts *b);

/* ---- emit_graph.c ---------------------------------------------------- */

void emit_mermaid(const Graph *g, FILE *f);
void emit_dot(const Graph *g, FILE *f);

#endif
