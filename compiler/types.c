/*
 * types.c: DFFML's free-form primitive labels as a small type system.
 *
 * DFFML never checks primitives (dffml-semantics.md §4.1), and real
 * flows spell them many ways.  flowc maps each label to one flow_type:
 *
 *   int, integer                         -> int
 *   float, double, number                -> float (any JSON number)
 *   str, string                          -> str
 *   bool, boolean                        -> bool
 *   map, mapping, dict, Dict, Dict[...]  -> map
 *   array, list, tuple, List[...],
 *   Tuple[...], Set[...]                 -> array
 *   None, NoneType, null                 -> null
 *   generic, Any, object, python_obj,
 *   bytes and every other label          -> any (unchecked)
 *
 * Spaces inside brackets do not matter.  man/flowc-manifest.5 documents
 * the same table.
 */
#include <string.h>
#include <strings.h>
#include "flowc.h"

static int
prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0 && (s[strlen(p)] == '[' || s[strlen(p)] == 0);
}

/* Normalize a primitive label (see the table above). */
flow_type
ty_from_primitive(const char *p)
{
	static const struct { const char *name; flow_type t; } exact[] = {
		{"int", FLOW_T_INT}, {"integer", FLOW_T_INT},
		{"float", FLOW_T_FLOAT}, {"double", FLOW_T_FLOAT}, {"number", FLOW_T_FLOAT},
		{"str", FLOW_T_STR}, {"string", FLOW_T_STR},
		{"bool", FLOW_T_BOOL}, {"boolean", FLOW_T_BOOL},
		{"map", FLOW_T_MAP}, {"mapping", FLOW_T_MAP}, {"dict", FLOW_T_MAP},
		{"array", FLOW_T_ARRAY}, {"list", FLOW_T_ARRAY}, {"tuple", FLOW_T_ARRAY},
		{"None", FLOW_T_NULL}, {"NoneType", FLOW_T_NULL}, {"null", FLOW_T_NULL},
	};
	size_t i;

	if (!p)
		return FLOW_T_ANY;
	for (i = 0; i < sizeof exact / sizeof exact[0]; i++)
		if (strcmp(p, exact[i].name) == 0)
			return exact[i].t;
	if (prefix(p, "Dict") || prefix(p, "Mapping") || prefix(p, "dict"))
		return FLOW_T_MAP;
	if (prefix(p, "List") || prefix(p, "Tuple") || prefix(p, "Set") ||
	    prefix(p, "list") || prefix(p, "tuple") || prefix(p, "Sequence"))
		return FLOW_T_ARRAY;
	return FLOW_T_ANY;
}

/* Can some value of type `from` fit `to`?  (int and float overlap: a
 * float definition holds any JSON number.) */
int
ty_compatible(flow_type from, flow_type to)
{
	if (from == FLOW_T_ANY || to == FLOW_T_ANY || from == to)
		return 1;
	return (to == FLOW_T_FLOAT && from == FLOW_T_INT) ||
	    (to == FLOW_T_INT && from == FLOW_T_FLOAT);
}
