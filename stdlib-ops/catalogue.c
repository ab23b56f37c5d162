/*
 * catalogue.c: the standard operation table, flow_stdlib, which the
 * checker, the passes, every backend and the runtime read
 * (spec/stdlib-ops.md).  It is the one place that knows what each
 * operation is: no other file of the compiler names an operation.
 *
 * One entry per operation, Lua style: its registered name (and second
 * spelling), how it reaches its inputs, its parameters with their default
 * definitions and types, its one output, the stage DFFML gives it, the
 * boxed function, its typed signatures (the argument kinds each function
 * of flowops.h takes, the result kind and how it fails on them), which
 * hardware backends may use it, a one-line summary, what it needs from
 * the system (FLOW_CAP_*: none, files, processes, network; a compiled
 * flow's sandbox allows the union over its operations, so declare every
 * capability an operation uses and no more), how it fails on other
 * kinds, and its role.  flowc's own operations use the definitions
 * <op>.inputs.<p> and <op>.outputs.result; DFFML's keep DFFML's names,
 * shared in places.  The table ends with an entry whose name is NULL.
 *
 * Adding a scalar operation: one entry here, its function in flowops.h
 * and a boxed wrapper beside its kin (ops_int.c, ...).
 */
#include <string.h>

#include "ops.h"

#define P(...)  ((const char *const[]){__VA_ARGS__})
#define T(...)  ((const flow_type[]){__VA_ARGS__})
#define IN1(op, a)        P(op ".inputs." a)
#define IN2(op, a, b)     P(op ".inputs." a, op ".inputs." b)
#define IN3(op, a, b, c)  P(op ".inputs." a, op ".inputs." b, op ".inputs." c)
#define RES(op)           "result", op ".outputs.result"

/* Typed signatures: kinds, result kind, failures, function. */
#define SIGS(...) ((const flow_sig[]){__VA_ARGS__, {NULL, 0, 0, NULL, NULL, NULL}})
#define SIG(k, r, fails, fn)  {k, r, fails, fn, NULL, NULL}
/* A signature with strings or arrays: boxed in compiled C, kfn in HLS
 * kernels. */
#define SIGK(k, r, fails, kfn)  {k, r, fails, NULL, NULL, kfn}
#define NOSIG NULL

#define I FLOW_T_INT
#define F FLOW_T_FLOAT
#define S FLOW_T_STR
#define B FLOW_T_BOOL
#define A FLOW_T_ARRAY
#define M FLOW_T_MAP
#define G FLOW_T_ANY

#define NONE FLOW_FAILS_NONE
#define OVF  FLOW_FAILS_OVERFLOW
#define DOM  FLOW_FAILS_DOMAIN
#define TYP  FLOW_FAILS_TYPE
#define HLS  FLOW_HW_HLS
#define HR(form) FLOW_HW_RTL_AS(FLOW_RTL_##form)  /* one clock stage in RTL too */
#define SW   0                  /* software only */

/* A flowc operation with one, two or three parameters. */
#define OP1(op, a, ta, to, fn, sigs, hw, fails, sum)                    \
	{op, NULL, FLOW_IMPL_PURE, 1, P(a), IN1(op, a), T(ta), RES(op), to, \
	 "processing", fn, sigs, hw, sum, FLOW_CAP_NONE, fails, FLOW_ROLE_ORDINARY, NULL, NULL, 0, \
	 FLOW_FORM_NONE}
#define OP2(op, a, b, ta, tb, to, fn, sigs, hw, fails, sum)              \
	OP2F(op, a, b, ta, tb, to, fn, sigs, hw, fails, sum, FLOW_FORM_NONE)
#define OP2F(op, a, b, ta, tb, to, fn, sigs, hw, fails, sum, form)       \
	{op, NULL, FLOW_IMPL_PURE, 2, P(a, b), IN2(op, a, b), T(ta, tb),  \
	 RES(op), to, "processing", fn, sigs, hw, sum, FLOW_CAP_NONE, fails,             \
	 FLOW_ROLE_ORDINARY, NULL, NULL, 0, form}
#define OP3(op, a, b, c, ta, tb, tc, to, fn, sigs, hw, fails, sum)       \
	{op, NULL, FLOW_IMPL_PURE, 3, P(a, b, c), IN3(op, a, b, c),        \
	 T(ta, tb, tc), RES(op), to, "processing", fn, sigs, hw, sum, FLOW_CAP_NONE, fails, \
	 FLOW_ROLE_ORDINARY, NULL, NULL, 0, FLOW_FORM_NONE}

/* DFFML's output-stage built-ins: one `spec` parameter, output `output`. */
#define OUTOP(op, specdef, tspec, outdef, fn, role, collect, sum)        \
	{op, NULL, FLOW_IMPL_NETWORK, 1, P("spec"), P(specdef), T(tspec),  \
	 "output", outdef, M, "output", fn, NULL, SW, sum, FLOW_CAP_NONE, DOM | TYP, role, NULL, NULL, \
	 collect, FLOW_FORM_NONE}

/* The comparisons' signatures: numbers exactly, and strings. */
#define CMP_SIGS(op)                                                     \
	SIGS(SIG("ii", 'b', NONE, "flow_op_" op "_ii"),                  \
	     SIG("if", 'b', NONE, "flow_op_" op "_if"),                  \
	     SIG("fi", 'b', NONE, "flow_op_" op "_fi"),                  \
	     SIG("ff", 'b', NONE, "flow_op_" op "_ff"),                  \
	     SIGK("ss", 'b', NONE, "flow_op_" op "_ss"))

/* A DFFML operation with side effects, outputs as a map (out == NULL),
 * under its registered name and its module:function name; link: the
 * libraries it needs, or NULL (see flow_impl.sym). */
#define EFFOP(op, mod, n, params, defs, types, fn, sum, caps, link)      \
	{op, mod ":" op, FLOW_IMPL_PURE, n, params, defs, types, NULL, NULL,  \
	 G, "processing", fn, NOSIG, SW, sum, caps, DOM | TYP,                \
	 FLOW_ROLE_ORDINARY, link ? #fn : NULL, link, 0, FLOW_FORM_NONE}

/* An operation of DFFML's git feature (ops_git.c), under its entry-point
 * name and dffml_feature_git.feature.operations:NAME, in a DFFML stage. */
#define GITOP(op, n, params, defs, types, fn, stage, sum, caps)           \
	{op, "dffml_feature_git.feature.operations:" op, FLOW_IMPL_PURE, n,  \
	 params, defs, types, NULL, NULL, G, stage, fn, NOSIG, SW, sum, caps, \
	 DOM | TYP, FLOW_ROLE_ORDINARY, NULL, NULL, 0, FLOW_FORM_NONE}
#define GITRUN   (FLOW_CAP_PROCESSES | FLOW_CAP_FILES)
#define GITNET   (FLOW_CAP_PROCESSES | FLOW_CAP_FILES | FLOW_CAP_NETWORK)
/* The repository, branch, date pair operations. */
#define GITLOG(op, fn, sum)                                                \
	GITOP(op, 3, P("repo", "branch", "start_end"),                     \
	      P("git_repository", "git_branch", "date_pair"), T(M, S, A), fn, \
	      "processing", sum, GITRUN)

/* The libraries of ops_db.c, ops_file.c (all three formats in one
 * object) and ops_archive.c. */
#define DB  "-lsqlite3"
#define ZIP "-lz -lbz2 -llzma"
#define ARC "-larchive"

/* The operations that need a library are weak references: a program
 * links them only when its flow calls them (flowc build: ld -u). */
#pragma weak flow_std_db_query_create_table
#pragma weak flow_std_db_query_insert
#pragma weak flow_std_db_query_update
#pragma weak flow_std_db_query_remove
#pragma weak flow_std_db_query_lookup
#pragma weak flow_std_db_query_insert_or_update
#pragma weak flow_std_gz_compress
#pragma weak flow_std_gz_decompress
#pragma weak flow_std_bz2_compress
#pragma weak flow_std_bz2_decompress
#pragma weak flow_std_xz_compress
#pragma weak flow_std_xz_decompress
#pragma weak flow_std_make_zip_archive
#pragma weak flow_std_extract_zip_archive
#pragma weak flow_std_make_tar_archive
#pragma weak flow_std_extract_tar_archive

/* DFFML's compress and decompress operations for format f. */
#define COMPRESS(f)                                                          \
	EFFOP(#f "_compress", "dffml.operation.compression", 2,               \
	      P("input_file_path", "output_file_path"),                       \
	      P("decompressed_" #f "_file_path", "compressed_" #f "_file_path"), \
	      T(S, S), flow_std_##f##_compress,                               \
	      "input_file_path compressed to output_file_path: {output_path}", \
	      FLOW_CAP_FILES, ZIP),                                           \
	EFFOP(#f "_decompress", "dffml.operation.compression", 2,             \
	      P("input_file_path", "output_file_path"),                       \
	      P("compressed_" #f "_file_path", "decompressed_" #f "_file_path"), \
	      T(S, S), flow_std_##f##_decompress,                             \
	      "input_file_path expanded to output_file_path: {output_path}",  \
	      FLOW_CAP_FILES, ZIP)

const flow_impl flow_stdlib[] = {
	/* §3 integers */
	OP2("add", "a", "b", I, I, I, flow_std_add,
	    SIGS(SIG("ii", 'i', OVF, "flow_op_add")), HR(ADD), TYP,
	    "a + b on int64; overflow raises"),
	OP2("subtract", "a", "b", I, I, I, flow_std_subtract,
	    SIGS(SIG("ii", 'i', OVF, "flow_op_subtract")), HR(SUB), TYP, "a - b on int64; overflow raises"),
	OP2("int_divide", "a", "b", I, I, I, flow_std_int_divide,
	    SIGS(SIG("ii", 'i', OVF | DOM, "flow_op_int_divide")), HLS, TYP, "floor division a // b, as in Python"),
	OP2("modulo", "a", "b", I, I, I, flow_std_modulo,
	    SIGS(SIG("ii", 'i', DOM, "flow_op_modulo")), HLS, TYP,
	    "a % b with the sign of b, as in Python"),
	OP1("negate", "a", I, I, flow_std_negate,
	    SIGS(SIG("i", 'i', OVF, "flow_op_negate")), HR(NEG), TYP,
	    "-a on int64; -2^63 raises"),
	OP1("abs_int", "a", I, I, flow_std_abs_int,
	    SIGS(SIG("i", 'i', OVF, "flow_op_abs_int")), HLS, TYP,
	    "|a| on int64; -2^63 raises"),
	/* §4 floats */
	OP2("float_divide", "a", "b", F, F, F, flow_std_float_divide,
	    SIGS(SIG("nn", 'f', DOM, "flow_op_float_divide")), HLS, TYP, "a / b as doubles; b == 0 raises"),
	OP2("float_add", "a", "b", F, F, F, flow_std_float_add,
	    SIGS(SIG("nn", 'f', DOM, "flow_op_float_add")), HLS, TYP,
	    "a + b as doubles; a result that is not finite raises"),
	OP2("float_subtract", "a", "b", F, F, F, flow_std_float_subtract,
	    SIGS(SIG("nn", 'f', DOM, "flow_op_float_subtract")), HLS, TYP,
	    "a - b as doubles; a result that is not finite raises"),
	OP1("to_float", "a", F, F, flow_std_to_float,
	    SIGS(SIG("i", 'f', NONE, "flow_op_to_float_i"),
		 SIG("f", 'f', NONE, "flow_op_to_float")), HLS, TYP,
	    "the number as a float (ints round to nearest, ties to even)"),
	OP2("round_float", "a", "digits", F, I, F, flow_std_round_float, NOSIG,
	    SW, DOM | TYP, "Python's round(a, digits) for 0 <= digits <= 15, a float"),
	/* §5 comparisons and logic */
	OP2("less_than", "a", "b", G, G, B, flow_std_less_than,
	    CMP_SIGS("less_than"), HR(LT), TYP, "a < b on two numbers (exact) or two strings"),
	OP2("greater_than", "a", "b", G, G, B, flow_std_greater_than,
	    CMP_SIGS("greater_than"), HR(GT), TYP,
	    "a > b on two numbers (exact) or two strings"),
	OP2("equals", "a", "b", G, G, B, flow_std_equals,
	    SIGS(SIG("ii", 'b', NONE, "flow_op_equals_ii"),
		 SIG("if", 'b', NONE, "flow_op_equals_if"),
		 SIG("fi", 'b', NONE, "flow_op_equals_fi"),
		 SIG("ff", 'b', NONE, "flow_op_equals_ff"),
		 SIG("bb", 'b', NONE, "flow_op_equals_bb"),
		 SIGK("ss", 'b', NONE, "flow_op_equals_ss"),
		 /* a bool never equals a number, a string nothing else */
		 {"bn", 'b', NONE, NULL, "0", NULL}, {"nb", 'b', NONE, NULL, "0", NULL},
		 {"sn", 'b', NONE, NULL, "0", NULL}, {"ns", 'b', NONE, NULL, "0", NULL},
		 {"sb", 'b', NONE, NULL, "0", NULL}, {"bs", 'b', NONE, NULL, "0", NULL}),
	    HR(EQ), NONE,
	    "deep JSON equality, numbers by value, 1 == 1.0"),
	OP1("logical_not", "a", B, B, flow_std_logical_not,
	    SIGS(SIG("b", 'b', NONE, "flow_op_logical_not")), HR(NOT), TYP, "not a, for a bool"),
	OP2("logical_and", "a", "b", B, B, B, flow_std_logical_and,
	    SIGS(SIG("bb", 'b', NONE, "flow_op_logical_and")), HR(AND), TYP, "a and b, for two bools"),
	/* §6 strings */
	OP1("str_upper", "s", S, S, flow_std_str_upper,
	    SIGS(SIGK("s", 's', NONE, "flow_op_str_upper")), HLS, TYP,
	    "ASCII a-z to upper case, other code points unchanged"),
	OP1("str_lower", "s", S, S, flow_std_str_lower,
	    SIGS(SIGK("s", 's', NONE, "flow_op_str_lower")), HLS, TYP,
	    "ASCII A-Z to lower case, other code points unchanged"),
	OP2("str_concat", "a", "b", S, S, S, flow_std_str_concat,
	    SIGS(SIGK("ss", 's', NONE, "flow_op_str_concat")), HLS, TYP,
	    "a followed by b"),
	OP2("str_split", "s", "sep", S, S, A, flow_std_str_split, NOSIG, SW, DOM | TYP,
	    "Python's s.split(sep) with a non-empty sep"),
	OP1("str_split_words", "s", S, A, flow_std_str_split_words, SIGS(SIG("s", 'a', NONE, NULL)), SW, TYP,
	    "the words of s between runs of ASCII whitespace"),
	OP2("str_join", "items", "sep", A, S, S, flow_std_str_join, NOSIG, SW, TYP,
	    "the string items joined with sep"),
	OP1("str_length", "s", S, I, flow_std_str_length,
	    SIGS(SIGK("s", 'i', NONE, "flow_op_str_length")), HLS, TYP,
	    "the number of code points in s"),
	OP1("str_strip", "s", S, S, flow_std_str_strip,
	    SIGS(SIGK("s", 's', NONE, "flow_op_str_strip")), HLS, TYP,
	    "s without leading and trailing ASCII whitespace"),
	OP2("str_contains", "s", "sub", S, S, B, flow_std_str_contains,
	    SIGS(SIGK("ss", 'b', NONE, "flow_op_str_contains")), HLS, TYP,
	    "whether sub occurs in s"),
	OP3("str_replace", "s", "old", "new", S, S, S, S, flow_std_str_replace,
	    SIGS(SIGK("sss", 's', DOM, "flow_op_str_replace")), HLS, DOM | TYP,
	    "every occurrence of a non-empty old replaced by new"),
	OP1("str_to_int", "s", S, I, flow_std_str_to_int,
	    SIGS(SIGK("s", 'i', OVF | DOM, "flow_op_str_to_int")), HLS, DOM | TYP,
	    "the int spelled [+-]?[0-9]+ by s"),
	OP1("int_to_str", "a", I, S, flow_std_int_to_str,
	    SIGS(SIGK("i", 's', NONE, "flow_op_int_to_str")), HLS, TYP,
	    "the decimal digits of a"),
	/* §7 arrays and maps */
	OP1("array_length", "items", A, I, flow_std_array_length,
	    SIGS(SIGK("a", 'i', NONE, "flow_op_array_length")), HLS, TYP,
	    "the number of items"),
	OP1("array_sum", "items", A, I, flow_std_array_sum,
	    SIGS(SIGK("a", 'i', OVF, "flow_op_array_sum")), HLS, OVF | TYP,
	    "the sum of int items; any partial sum overflowing raises"),
	OP1("array_max", "items", A, G, flow_std_array_max, NOSIG, SW, DOM | TYP,
	    "the first largest number of a non-empty array"),
	OP1("array_sort", "items", A, A, flow_std_array_sort, NOSIG, SW, TYP,
	    "stable ascending sort of all-number or all-string items"),
	OP1("array_range", "n", I, A, flow_std_array_range,
	    SIGS(SIGK("i", 'a', DOM, "flow_op_array_range")), HLS, DOM | TYP,
	    "[0, 1, ..., n-1] for 0 <= n <= 1000000"),
	OP1("array_count_values", "items", A, M, flow_std_array_count_values,
	    NOSIG, SW, TYP, "occurrences of each string item, in first-seen order"),
	OP2F("map_merge", "a", "b", M, M, M, flow_std_map_merge, SIGS(SIG("mm", 'm', NONE, NULL)), SW, TYP,
	    "a updated with b (Python's dict.update), a's order first", FLOW_FORM_MAP_UPDATE),
	/* §8 DFFML's operations */
	OUTOP("get_single", "get_single_spec", A, "get_single_output",
	      flow_std_get_single, FLOW_ROLE_OUTPUT, FLOW_COLLECT_LAST,
	      "{definition: its most recent value} for each spec entry"),
	OUTOP("get_multi", "get_multi_spec", A, "get_multi_output",
	      flow_std_get_multi, FLOW_ROLE_OUTPUT, FLOW_COLLECT_ALL,
	      "{definition: [all its values]} for each spec entry"),
	OUTOP("associate", "associate_spec", A, "associate_output",
	      flow_std_associate, FLOW_ROLE_NETWORK, 0,
	      "spec [key, value]: {value: {key ancestor's value: value}}"),
	/* a map spec, though its default definition says List[str] */
	OUTOP("associate_definition", "associate_spec", G, "associate_output",
	      flow_std_associate_definition, FLOW_ROLE_NETWORK, 0,
	      "spec {key: value}: {key: last value with a key ancestor}"),
	OUTOP("group_by", "group_by_spec", M, "group_by_output",
	      flow_std_group_by, FLOW_ROLE_NETWORK, 0,
	      "{name: values of group inserted at their `by` ancestor's int value}"),
	{"remap", "dffml.operation.output:remap", FLOW_IMPL_NETWORK, 1,
	 P("spec"), P("remap_spec"), T(M), "response", "remap_output", M,
	 "output", flow_std_remap, NOSIG, SW,
	 "{name: the config dataflow's output results walked along spec[name]}",
	 FLOW_CAP_NONE, DOM | TYP, FLOW_ROLE_NETWORK, NULL, NULL, 0, FLOW_FORM_NONE},
	{"dffml.mapping.extract", NULL, FLOW_IMPL_PURE, 2,
	 P("mapping", "traverse"), P("mapping", "mapping_traverse"), T(M, G),
	 "value", "value", G, "processing", flow_std_mapping_extract, NOSIG, SW,
	 "mapping walked along traverse (a dotted key or a list of keys)",
	 FLOW_CAP_NONE, DOM | TYP,
	 FLOW_ROLE_ORDINARY, NULL, NULL, 0, FLOW_FORM_MAP_WALK},
	{"dffml.mapping.create", NULL, FLOW_IMPL_PURE, 2, P("key", "value"),
	 P("key", "value"), T(S, G), "mapping", "mapping", M, "processing",
	 flow_std_mapping_create, NOSIG, SW, "the one-entry map {key: value}",
	 FLOW_CAP_NONE, TYP,
	 FLOW_ROLE_ORDINARY, NULL, NULL, 0, FLOW_FORM_MAP_ENTRY},
	{"multiply", NULL, FLOW_IMPL_PURE, 2, P("multiplicand", "multiplier"),
	 P("multiplicand_def", "multiplier_def"), T(G, G), "product", "product",
	 G, "processing", flow_std_multiply,
	 SIGS(SIG("ii", 'i', OVF, "flow_op_multiply_ii"),
	      SIG("if", 'f', OVF, "flow_op_multiply_if"),
	      SIG("fi", 'f', OVF, "flow_op_multiply_fi"),
	      SIG("ff", 'f', OVF, "flow_op_multiply_ff")), SW,
	 "multiplicand * multiplier, element-wise for an array", FLOW_CAP_NONE, OVF | TYP,
	 FLOW_ROLE_ORDINARY, NULL, NULL, 0, FLOW_FORM_NONE},
	{"literal_eval", "dffml.operation.preprocess:literal_eval",
	 FLOW_IMPL_PURE, 1, P("str_to_eval"), P("InputStr"), T(S),
	 "str_after_eval", "EvaluatedStr", G, "processing", flow_std_literal_eval,
	 NOSIG, SW, "the value of a Python literal (ast.literal_eval)",
	 FLOW_CAP_NONE, DOM | TYP,
	 FLOW_ROLE_ORDINARY, NULL, NULL, 0, FLOW_FORM_NONE},
	/* DFFML's operation library: processes and SQLite */
	EFFOP("subprocess_line_by_line", "dffml.operation.subprocess", 2,
	      P("cmd", "cwd"), P("subprocess.cmd", "subprocess.cwd"), T(A, G),
	      flow_std_subprocess_line_by_line,
	      "run cmd (no shell) in cwd: {stdout, stderr, returncode}",
	      FLOW_CAP_PROCESSES, NULL),
	EFFOP("db_query_create_table", "dffml.operation.db", 2,
	      P("table_name", "cols"), P("query_table", "query_cols"), T(S, M),
	      flow_std_db_query_create_table,
	      "CREATE TABLE IF NOT EXISTS table (cols) in the configured SQLite file",
	      FLOW_CAP_FILES, DB),
	EFFOP("db_query_insert", "dffml.operation.db", 2,
	      P("table_name", "data"), P("query_table", "query_data"), T(S, M),
	      flow_std_db_query_insert, "INSERT the row data {column: value}",
	      FLOW_CAP_FILES, DB),
	EFFOP("db_query_update", "dffml.operation.db", 3,
	      P("table_name", "data", "conditions"),
	      P("query_table", "query_data", "query_conditions"), T(S, M, A),
	      flow_std_db_query_update, "UPDATE the rows meeting conditions with data",
	      FLOW_CAP_FILES, DB),
	EFFOP("db_query_remove", "dffml.operation.db", 2,
	      P("table_name", "conditions"), P("query_table", "query_conditions"),
	      T(S, A), flow_std_db_query_remove, "DELETE the rows meeting conditions",
	      FLOW_CAP_FILES, DB),
	EFFOP("db_query_lookup", "dffml.operation.db", 3,
	      P("table_name", "cols", "conditions"),
	      P("query_table", "query_cols", "query_conditions"), T(S, G, A),
	      flow_std_db_query_lookup,
	      "{lookups: [rows meeting conditions, as {column: value}]}",
	      FLOW_CAP_FILES, DB),
	EFFOP("db_query_insert_or_update", "dffml.operation.db", 2,
	      P("table_name", "data"), P("query_table", "query_data"), T(S, M),
	      flow_std_db_query_insert_or_update,
	      "INSERT data, or UPDATE the row whose UNIQUE column clashes",
	      FLOW_CAP_FILES, DB),
	/* DFFML's operation library: files */
	COMPRESS(gz),
	COMPRESS(bz2),
	COMPRESS(xz),
	EFFOP("make_zip_archive", "dffml.operation.archive", 2,
	      P("input_directory_path", "output_file_path"), P("directory", "zip_file"),
	      T(S, S), flow_std_make_zip_archive,
	      "a zip (stored) of the directory's contents: {output_path}",
	      FLOW_CAP_FILES, ARC),
	EFFOP("extract_zip_archive", "dffml.operation.archive", 2,
	      P("input_file_path", "output_directory_path"), P("zip_file", "directory"),
	      T(S, S), flow_std_extract_zip_archive,
	      "the zip extracted under output_directory_path: {output_path}",
	      FLOW_CAP_FILES, ARC),
	EFFOP("make_tar_archive", "dffml.operation.archive", 2,
	      P("input_directory_path", "output_file_path"), P("directory", "tar_file"),
	      T(S, S), flow_std_make_tar_archive,
	      "a new tar of the directory's contents: {output_path}",
	      FLOW_CAP_FILES, ARC),
	EFFOP("extract_tar_archive", "dffml.operation.archive", 2,
	      P("input_file_path", "output_directory_path"), P("tar_file", "directory"),
	      T(S, S), flow_std_extract_tar_archive,
	      "the (compressed) tar extracted under output_directory_path",
	      FLOW_CAP_FILES, ARC),
	/* DFFML's git feature */
	GITOP("quarters_back_to_date", 2, P("date", "number"),
	      P("quarter_start_date", "quarter"), T(S, I), flow_std_quarters_back_to_date,
	      "processing", "{date: [date 3*number months back], start_end: [[it, 3 months before]]}",
	      FLOW_CAP_NONE),
	GITOP("check_if_valid_git_repository_URL", 1, P("URL"), P("URL"), T(S),
	      flow_std_check_if_valid_git_repository_URL, "processing",
	      "{valid: whether git ls-remote URL succeeds}", GITNET),
	GITOP("clone_git_repo", 1, P("URL"), P("URL"), T(S), flow_std_clone_git_repo,
	      "processing", "git clone URL to a temporary directory: {repo: {URL, directory}}",
	      GITNET),
	GITOP("git_repo_default_branch", 1, P("repo"), P("git_repository"), T(M),
	      flow_std_git_repo_default_branch, "processing",
	      "{remote, branch} that the clone's origin/HEAD names", GITRUN),
	GITOP("git_repo_checkout", 2, P("repo", "commit"), P("git_repository", "git_commit"),
	      T(M, S), flow_std_git_repo_checkout, "processing",
	      "git checkout commit: {repo: {directory, URL, commit}}", GITRUN),
	GITOP("git_repo_commit_from_date", 3, P("repo", "branch", "date"),
	      P("git_repository", "git_branch", "date"), T(M, S, S),
	      flow_std_git_repo_commit_from_date, "processing",
	      "{commit: branch's last commit before date, else its first after}", GITRUN),
	GITLOG("git_repo_author_lines_for_dates", flow_std_git_repo_author_lines_for_dates,
	       "{author_lines: {author: lines added between the dates}}"),
	GITOP("work", 1, P("author_lines"), P("author_line_count"), T(M), flow_std_work,
	      "processing", "{work: Simpson's diversity index of the line counts, percent}",
	      FLOW_CAP_NONE),
	GITLOG("git_repo_release", flow_std_git_repo_release,
	       "{present: whether a release tag falls between the dates}"),
	GITLOG("git_commits", flow_std_git_commits,
	       "{commits: the number of commits between the dates}"),
	GITOP("count_authors", 1, P("author_lines"), P("author_line_count"), T(M),
	      flow_std_count_authors, "processing", "{authors: the number of authors}",
	      FLOW_CAP_NONE),
	GITOP("cleanup_git_repo", 1, P("repo"), P("git_repository"), T(M),
	      flow_std_cleanup_git_repo, "cleanup", "rm -rf the clone's directory: {}", GITRUN),
	{"dffml.dataflow.run", NULL, FLOW_IMPL_SUBFLOW, 1, P("inputs"),
	 P("flow_inputs"), T(M), "results", "flow_results", M, "processing",
	 NULL, NOSIG, SW, "run the configured subflow over the given contexts",
	 FLOW_CAP_NONE, DOM | TYP, FLOW_ROLE_ORDINARY, NULL, NULL, 0, FLOW_FORM_NONE},
	{NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, G, NULL, NULL, NULL, 0,
	 NULL, 0, 0, 0, NULL, NULL, 0, 0}
};

const int flow_stdlib_count = (int)(sizeof flow_stdlib / sizeof flow_stdlib[0]) - 1;

/* The entry named name or aliased name; NULL if there is none. */
const flow_impl *
flow_stdlib_find(const char *name)
{
	const flow_impl *op;

	for (op = flow_stdlib; op->name != NULL; op++)
		if (strcmp(op->name, name) == 0 ||
		    (op->alias != NULL && strcmp(op->alias, name) == 0))
			return op;
	return NULL;
}

/* Does kind letter k fit signature letter s (n: an int or a float)? */
static int
kind_fits(char s, char k)
{
	return s == k || (s == 'n' && (k == 'i' || k == 'f'));
}

/* The signature of im for argument kinds k (flowrt.h); NULL if none. */
const flow_sig *
flow_impl_sig(const flow_impl *im, const char *k)
{
	const flow_sig *sg;
	size_t j, n = strlen(k);

	for (sg = im->sigs; sg && sg->kinds; sg++) {
		if (strlen(sg->kinds) != n)
			continue;
		for (j = 0; j < n && kind_fits(sg->kinds[j], k[j]); j++)
			;
		if (j == n)
			return sg;
	}
	return NULL;
}

/* Can im fail on arguments of kinds k, or on some kinds (k NULL)? */
int
flow_impl_can_fail(const flow_impl *im, const char *k)
{
	const flow_sig *sg;

	if (k && (sg = flow_impl_sig(im, k)) != NULL)
		return sg->fails != FLOW_FAILS_NONE;
	if (im->fails != FLOW_FAILS_NONE)
		return 1;
	for (sg = im->sigs; !k && sg && sg->kinds; sg++)
		if (sg->fails != FLOW_FAILS_NONE)
			return 1;
	return 0;
}
