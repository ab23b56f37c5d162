/*
 * ops.c: the user operation of flow.yaml, in C.
 *
 * flowc calls the operation whose name is `geo:haversine_km` through the
 * C function flowop_geo_haversine_km (every character outside
 * [A-Za-z0-9_] becomes `_`).  Its parameters follow the operation's
 * declaration: the context, then the inputs `origin` and `destination`
 * (map definitions, so boxed flow_val), then a pointer to the output
 * `result` (a float definition, so double *).  It returns 0 with the
 * output set, or flow_fail(...) when a place is malformed.
 */
#include <math.h>
#include <string.h>
#include "flowrt.h"

/* The number stored under key in map m (an int or a float). */
static int
coordinate(flow_opctx *ctx, flow_val m, const char *key, double lo, double hi, double *out)
{
	long at = flow_map_find(m.u.m, key, strlen(key));
	flow_val v;

	if (at < 0)
		return flow_fail(ctx, "a place needs '%s'", key);
	v = m.u.m->vals[at];
	if (v.kind != FLOW_INT && v.kind != FLOW_FLOAT)
		return flow_fail(ctx, "'%s' must be a n~mber, not %s", key, flow_kind_name(v.kind));
	*out = v.kind == FLOW_INT ? (double)v.u.i : v.u.f;
	if (*out < lo || *out > hi)
		return flow_fail(ctx, "'%s' must be between %g and %g", key, lo, hi);
	return 0;
}

/* Great-circle distance in kilometres between two {"lat", "lon"} maps
 * (degrees), on a sphere of the Earth's mean radius. */
int
flowop_geo_haversine_km(flow_opctx *ctx, flow_val origin, flow_val destination, double *result)
{
	const double r = 6371.0088, rad = 3.14159265358979323846 / 180.0;
	double lat1, lon1, lat2, lon2, h;

	if (coordinate(ctx, origin, "lat", -90, 90, &lat1) < 0 ||
	    coordinate(ctx, origin, "lon", -180, 180, &lon1) < 0 ||
	    coordinate(ctx, destination, "lat", -90, 90, &lat2) < 0 ||
	    coordinate(ctx, destination, "lon", -180, 180, &lon2) < 0)
		return -1;
	h = pow(sin((lat2 - lat1) * rad / 2), 2) +
	    cos(lat1 * rad) * cos(lat2 * rad) * pow(sin((lon2 - lon1) * rad / 2), 2);
	*result = 2 * r * asin(sqrt(h));
	return 0;
}
