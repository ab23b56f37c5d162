/*
 * catalogue.c: the standard operation table, flow_stdlib, which the
 * checker, the emitters and the runtime all read (spec/stdlib-ops.md).
 *
 * One entry per operation, Lua style: its registered name (and second
 * spelling), how it reaches its inputs, its parameters with their default
 * definitions and types, its one output, the stage DFFML gives it, the
 * boxed function, the typed function of flowops.h (see the naming rule
 * there), whether the HLS backend may use it, a one-line summary and
 * what it needs from the system (FLOW_CAP_*: none, files, processes,
 * network; a compiled flow's sandbox allows the union over its
 * operations, so declare every capability an operation uses and no more).
 * flowc's own operations use the definitions <op>.inputs.<p> and
 * <op>.outputs.result; DFFML's keep DFFML's names, shared in places.
 * The table ends with an entry whose name is NULL.
 */
#include <string.h>

#include "ops.h"

#define P(...)  ((const char *const[]){__VA_ARGS__})
#define T(...)  ((const flow_type[]){__VA_ARGS__})
#define IN1(op, a)        P(op ".inputs." a)
#define IN2(op, a, b)     P(op ".inputs." a, op ".inputs." b)
#define IN3(op, a, b, c)  P(op ".inputs." a, op ".inputs." b, op ".inputs." c)
#define RES(op)           "result", op ".outputs.result"

#define I FLOW_T_INT
#define F FLOW_T_FLOAT
#define S FLOW_T_STR
#define B FLOW_T_BOOL
#define A FLOW_T_ARRAY
#define M FLOW_T_MAP
#define G FLOW_T_ANY

/* A flowc operation with one, two or three parameters. */
#define OP1(op, a, ta, to, fn, typed, hls, sum)                         \
	{op, NULL, FLOW_IMPL_PURE, 1, P(a), IN1(op, a), T(ta), RES(op), to, \
	 "processing", fn, typed, hls, sum, FLOW_CAP_NONE}
#define OP2(op, a, b, ta, tb, to, fn, typed, hls, sum)                   \
	{op, NULL, FLOW_IMPL_PURE, 2, P(a, b), IN2(op, a, b), T(ta, tb),  \
	 RES(op), to, "processing", fn, typed, hls, sum, FLOW_CAP_NONE}
#define OP3(op, a, b, c, ta, tb, tc, to, fn, sum)                        \
	{op, NULL, FLOW_IMPL_PURE, 3, P(a, b, c), IN3(op, a, b, c),        \
	 T(ta, tb, tc), RES(op), to, "processing", fn, NULL, 0, sum, FLOW_CAP_NONE}

/* DFFML's output-stage built-ins: one `spec` parameter, output `output`. */
#define OUTOP(op, specdef, tspec, outdef, fn, sum)                       \
	{op, NULL, FLOW_IMPL_NETWORK, 1, P("spec"), P(specdef), T(tspec),  \
	 "output", outdef, M, "output", fn, NULL, 0, sum, FLOW_CAP_NONE}

const flow_impl flow_stdlib[] = {
	/* §3 integers */
	OP2("add", "a", "b", I, I, I, flow_std_add, "flow_op_add", 1,
	    "a + b on int64; overflow raises"),
	OP2("subtract", "a", "b", I, I, I, flow_std_subtract,
	    "flow_op_subtract", 1, "a - b on int64; overflow raises"),
	OP2("int_divide", "a", "b", I, I, I, flow_std_int_divide,
	    "flow_op_int_divide", 1, "floor division a // b, as in Python"),
	OP2("modulo", "a", "b", I, I, I, flow_std_modulo, "flow_op_modulo", 1,
	    "a % b with the sign of b, as in Python"),
	OP1("negate", "a", I, I, flow_std_negate, "flow_op_negate", 1,
	    "-a on int64; -2^63 raises"),
	/* §4 floats */
	OP2("float_divide", "a", "b", F, F, F, flow_std_float_divide,
	    "flow_op_float_divide", 1, "a / b as doubles; b == 0 raises"),
	OP1("to_float", "a", F, F, flow_std_to_float, "flow_op_to_float", 1,
	    "the number as a float (ints round to nearest, ties to even)"),
	OP2("round_float", "a", "digits", F, I, F, flow_std_round_float, NULL,
	    0, "Python's round(a, digits) for 0 <= digits <= 15, a float"),
	/* §5 comparisons and logic */
	OP2("less_than", "a", "b", G, G, B, flow_std_less_than,
	    "flow_op_less_than", 1, "a < b on two numbers (exact) or two strings"),
	OP2("greater_than", "a", "b", G, G, B, flow_std_greater_than,
	    "flow_op_greater_than", 1,
	    "a > b on two numbers (exact) or two strings"),
	OP2("equals", "a", "b", G, G, B, flow_std_equals, "flow_op_equals", 1,
	    "deep JSON equality, numbers by value, 1 == 1.0"),
	OP1("logical_not", "a", B, B, flow_std_logical_not,
	    "flow_op_logical_not", 1, "not a, for a bool"),
	OP2("logical_and", "a", "b", B, B, B, flow_std_logical_and,
	    "flow_op_logical_and", 1, "a and b, for two bools"),
	/* §6 strings */
	OP1("str_upper", "s", S, S, flow_std_str_upper, NULL, 0,
	    "ASCII a-z to upper case, other code points unchanged"),
	OP1("str_lower", "s", S, S, flow_std_str_lower, NULL, 0,
	    "ASCII A-Z to lower case, other code points unchanged"),
	OP2("str_concat", "a", "b", S, S, S, flow_std_str_concat, NULL, 0,
	    "a followed by b"),
	OP2("str_split", "s", "sep", S, S, A, flow_std_str_split, NULL, 0,
	    "Python's s.split(sep) with a non-empty sep"),
	OP1("str_split_words", "s", S, A, flow_std_str_split_words, NULL, 0,
	    "the words of s between runs of ASCII whitespace"),
	OP2("str_join", "items", "sep", A, S, S, flow_std_str_join, NULL, 0,
	    "the string items joined with sep"),
	OP1("str_length", "s", S, I, flow_std_str_length, NULL, 0,
	    "the number of code points in s"),
	OP1("str_strip", "s", S, S, flow_std_str_strip, NULL, 0,
	    "s without leading and trailing ASCII whitespace"),
	OP2("str_contains", "s", "sub", S, S, B, flow_std_str_contains, NULL, 0,
	    "whether sub occurs in s"),
	OP3("str_replace", "s", "old", "new", S, S, S, S, flow_std_str_replace,
	    "every occurrence of a non-empty old replaced by new"),
	OP1("str_to_int", "s", S, I, flow_std_str_to_int, NULL, 0,
	    "the int spelled [+-]?[0-9]+ by s"),
	OP1("int_to_str", "a", I, S, flow_std_int_to_str, NULL, 0,
	    "the decimal digits of a"),
	/* §7 arrays and maps */
	OP1("array_length", "items", A, I, flow_std_array_length, NULL, 0,
	    "the number of items"),
	OP1("array_sum", "items", A, I, flow_std_array_sum, NULL, 0,
	    "the sum of int items; any partial sum overflowing raises"),
	OP1("array_max", "items", A, G, flow_std_array_max, NULL, 0,
	    "the first largest number of a non-empty array"),
	OP1("array_sort", "items", A, A, flow_std_array_sort, NULL, 0,
	    "stable ascending sort of all-number or all-string items"),
	OP1("array_range", "n", I, A, flow_std_array_range, NULL, 0,
	    "[0, 1, ..., n-1] for 0 <= n <= 1000000"),
	OP1("array_count_values", "items", A, M, flow_std_array_count_values,
	    NULL, 0, "occurrences of each string item, in first-seen order"),
	OP2("map_merge", "a", "b", M, M, M, flow_std_map_merge, NULL, 0,
	    "a updated with b (Python's dict.update), a's order first"),
	/* §8 DFFML's operations */
	OUTOP("get_single", "get_single_spec", A, "get_single_output",
	      flow_std_get_single,
	      "{definition: its most recent value} for each spec entry"),
	OUTOP("get_multi", "get_multi_spec", A, "get_multi_output",
	      flow_std_get_multi,
	      "{definition: [all its values]} for each spec entry"),
	OUTOP("associate", "associate_spec", A, "associate_output",
	      flow_std_associate,
	      "spec [key, value]: {value: {key ancestor's value: value}}"),
	/* a map spec, though its default definition says List[str] */
	OUTOP("associate_definition", "associate_spec", G, "associate_output",
	      flow_std_associate_definition,
	      "spec {key: value}: {key: last value with a key ancestor}"),
	OUTOP("group_by", "group_by_spec", M, "group_by_output",
	      flow_std_group_by,
	      "{name: values of group inserted at their `by` ancestor's int value}"),
	{"remap", "dffml.operation.output:remap", FLOW_IMPL_NETWORK, 1,
	 P("spec"), P("remap_spec"), T(M), "response", "remap_output", M,
	 "output", flow_std_remap, NULL, 0,
	 "{name: the config dataflow's output results walked along spec[name]}",
	 FLOW_CAP_NONE},
	{"dffml.mapping.extract", NULL, FLOW_IMPL_PURE, 2,
	 P("mapping", "traverse"), P("mapping", "mapping_traverse"), T(M, G),
	 "value", "value", G, "processing", flow_std_mapping_extract, NULL, 0,
	 "mapping walked along traverse (a dotted key or a list of keys)", FLOW_CAP_NONE},
	{"dffml.mapping.create", NULL, FLOW_IMPL_PURE, 2, P("key", "value"),
	 P("key", "value"), T(S, G), "mapping", "mapping", M, "processing",
	 flow_std_mapping_create, NULL, 0, "the one-entry map {key: value}", FLOW_CAP_NONE},
	{"multiply", NULL, FLOW_IMPL_PURE, 2, P("multiplicand", "multiplier"),
	 P("multiplicand_def", "multiplier_def"), T(G, G), "product", "product",
	 G, "processing", flow_std_multiply, "flow_op_multiply", 0,
	 "multiplicand * multiplier, element-wise for an array", FLOW_CAP_NONE},
	{"literal_eval", "dffml.operation.preprocess:literal_eval",
	 FLOW_IMPL_PURE, 1, P("str_to_eval"), P("InputStr"), T(S),
	 "str_after_eval", "EvaluatedStr", G, "processing", flow_std_literal_eval,
	 NULL, 0, "the value of a Python literal (ast.literal_eval)", FLOW_CAP_NONE},
	{"dffml.dataflow.run", NULL, FLOW_IMPL_SUBFLOW, 1, P("inputs"),
	 P("flow_inputs"), T(M), "results", "flow_results", M, "processing",
	 NULL, NULL, 0, "run the configured subflow over the given contexts", FLOW_CAP_NONE},
	{NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, G, NULL, NULL, NULL, 0,
	 NULL, 0}
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
