/*
 * flowops.h: the typed scalar operations of the standard catalogue, the
 * one implementation of their semantics (spec/stdlib-ops.md §3-§5).
 *
 * Generated C and HLS kernels call these directly on unboxed values; the
 * boxed operations of stdlib-ops/ call them too.  C99, header only, no
 * heap, no stdio: only <stdint.h> and <math.h> (for isfinite).
 *
 * Every function has the shape  int f(args..., T *r) : it stores the
 * result in *r and returns FLOW_E_OK (0), or returns a FLOW_E_* code and
 * leaves *r alone.  C types: int64_t for `int`, double for `float` (a
 * number: the caller converts an int argument with (double)), int (0/1)
 * for `bool`.
 *
 * Naming: the catalogue's signatures (flow_sig in flowrt.h) name these
 * functions, one per argument kind where an operation takes several:
 * the comparisons and `multiply` are suffixed with a letter per
 * argument, i (int64_t), f (double), b (bool); e.g.
 * flow_op_less_than_if(int64_t, double, int *).  The compiler calls a
 * function only through its signature.
 *
 * The string and array operations at the end are the HLS kernel's
 * (flow_sig.kfn): a string is a byte array and a length, an array one of
 * int64_t and a length, and such a result goes to a buffer of fixed
 * capacity; compiled C keeps its boxed strings and arrays.
 */
#ifndef FLOWOPS_H
#define FLOWOPS_H

#include <math.h>
#include <stdint.h>

/* Error codes of the typed operations. */
enum {
	FLOW_E_OK = 0,
	FLOW_E_OVERFLOW,        /* integer result outside int64 */
	FLOW_E_DIVZERO,         /* division or modulo by zero */
	FLOW_E_NOTFINITE,       /* float result infinite or NaN */
	FLOW_E_RANGE,           /* argument outside the documented range */
	FLOW_E_BOUND            /* a string or array result longer than its
	                         * buffer (the HLS kernel's bounded values) */
};

/* The message of an error code (static text). */
static inline const char *
flow_op_errstr(int code)
{
	switch (code) {
	case FLOW_E_OK: return "no error";
	case FLOW_E_OVERFLOW: return "integer overflow";
	case FLOW_E_DIVZERO: return "division by zero";
	case FLOW_E_NOTFINITE: return "result is not finite";
	case FLOW_E_RANGE: return "argument out of range";
	case FLOW_E_BOUND: return "result longer than its buffer";
	}
	return "unknown error";
}

/* Overflow-checked int64 arithmetic: the compiler's builtins where it has
 * them, portable range checks otherwise (old compilers, some HLS tools,
 * or -DFLOW_OPS_NO_BUILTINS). */
#if defined(FLOW_OPS_NO_BUILTINS)
/* forced portable checks (tests) */
#elif defined(__has_builtin)
#if __has_builtin(__builtin_add_overflow) && __has_builtin(__builtin_mul_overflow)
#define FLOW_OPS_BUILTIN_OVERFLOW 1
#endif
#elif defined(__GNUC__) && __GNUC__ >= 5
#define FLOW_OPS_BUILTIN_OVERFLOW 1
#endif

static inline int
flow_op_add(int64_t a, int64_t b, int64_t *r)
{
#ifdef FLOW_OPS_BUILTIN_OVERFLOW
	if (__builtin_add_overflow(a, b, r))
		return FLOW_E_OVERFLOW;
#else
	if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))
		return FLOW_E_OVERFLOW;
	*r = a + b;
#endif
	return FLOW_E_OK;
}

static inline int
flow_op_subtract(int64_t a, int64_t b, int64_t *r)
{
#ifdef FLOW_OPS_BUILTIN_OVERFLOW
	if (__builtin_sub_overflow(a, b, r))
		return FLOW_E_OVERFLOW;
#else
	if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b))
		return FLOW_E_OVERFLOW;
	*r = a - b;
#endif
	return FLOW_E_OK;
}

/* Python's a // b: the floor of a / b. */
static inline int
flow_op_int_divide(int64_t a, int64_t b, int64_t *r)
{
	int64_t q;

	if (b == 0)
		return FLOW_E_DIVZERO;
	if (a == INT64_MIN && b == -1)
		return FLOW_E_OVERFLOW;
	q = a / b;
	if (a % b != 0 && ((a < 0) != (b < 0)))
		q--;
	*r = q;
	return FLOW_E_OK;
}

/* Python's a % b: the sign of b, or 0. */
static inline int
flow_op_modulo(int64_t a, int64_t b, int64_t *r)
{
	int64_t m;

	if (b == 0)
		return FLOW_E_DIVZERO;
	if (b == -1) {
		*r = 0;
		return FLOW_E_OK;
	}
	m = a % b;
	if (m != 0 && ((m < 0) != (b < 0)))
		m += b;
	*r = m;
	return FLOW_E_OK;
}

static inline int
flow_op_negate(int64_t a, int64_t *r)
{
	if (a == INT64_MIN)
		return FLOW_E_OVERFLOW;
	*r = -a;
	return FLOW_E_OK;
}

/* |a|; -2^63 has none in int64. */
static inline int
flow_op_abs_int(int64_t a, int64_t *r)
{
	if (a == INT64_MIN)
		return FLOW_E_OVERFLOW;
	*r = a < 0 ? -a : a;
	return FLOW_E_OK;
}

/* float_add: a + b as doubles; a result that is not finite fails. */
static inline int
flow_op_float_add(double a, double b, double *r)
{
	double s = a + b;

	if (!isfinite(s))
		return FLOW_E_NOTFINITE;
	*r = s;
	return FLOW_E_OK;
}

/* float_subtract: a - b as doubles; a result that is not finite fails. */
static inline int
flow_op_float_subtract(double a, double b, double *r)
{
	double s = a - b;

	if (!isfinite(s))
		return FLOW_E_NOTFINITE;
	*r = s;
	return FLOW_E_OK;
}

/* a / b on doubles; b == 0.0 (either sign) is an error. */
static inline int
flow_op_float_divide(double a, double b, double *r)
{
	double q;

	if (b == 0.0)
		return FLOW_E_DIVZERO;
	q = a / b;
	if (!isfinite(q))
		return FLOW_E_NOTFINITE;
	*r = q;
	return FLOW_E_OK;
}

/* to_float of a number (an int argument is converted by the caller). */
static inline int
flow_op_to_float(double a, double *r)
{
	*r = a;
	return FLOW_E_OK;
}

/* to_float of an int: nearest double, ties to even. */
static inline int
flow_op_to_float_i(int64_t a, double *r)
{
	*r = (double)a;
	return FLOW_E_OK;
}

/* ---- exact three-way comparison of numbers: -1, 0 or 1 ------------ */

static inline int
flow_op_cmp_ii(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

static inline int
flow_op_cmp_ff(double a, double b)
{
	return (a > b) - (a < b);
}

/* An int against a double by exact mathematical value. */
static inline int
flow_op_cmp_if(int64_t i, double d)
{
	int64_t t;
	double frac;

	if (d >= 9223372036854775808.0)
		return -1;
	if (d < -9223372036854775808.0)
		return 1;
	t = (int64_t)d;
	if (i != t)
		return flow_op_cmp_ii(i, t);
	frac = d - (double)t;
	return (frac < 0) - (frac > 0);
}

static inline int
flow_op_cmp_fi(double d, int64_t i)
{
	return -flow_op_cmp_if(i, d);
}

/* ---- less_than, greater_than, equals on numbers and bools ---------- */

#define FLOW_OPS_CMP(op, sfx, ta, tb, test)                             \
	static inline int                                               \
	flow_op_##op##_##sfx(ta a, tb b, int *r)                        \
	{                                                               \
		*r = flow_op_cmp_##sfx(a, b) test;                      \
		return FLOW_E_OK;                                       \
	}

FLOW_OPS_CMP(less_than, ii, int64_t, int64_t, < 0)
FLOW_OPS_CMP(less_than, ff, double, double, < 0)
FLOW_OPS_CMP(less_than, if, int64_t, double, < 0)
FLOW_OPS_CMP(less_than, fi, double, int64_t, < 0)
FLOW_OPS_CMP(greater_than, ii, int64_t, int64_t, > 0)
FLOW_OPS_CMP(greater_than, ff, double, double, > 0)
FLOW_OPS_CMP(greater_than, if, int64_t, double, > 0)
FLOW_OPS_CMP(greater_than, fi, double, int64_t, > 0)
FLOW_OPS_CMP(equals, ii, int64_t, int64_t, == 0)
FLOW_OPS_CMP(equals, ff, double, double, == 0)
FLOW_OPS_CMP(equals, if, int64_t, double, == 0)
FLOW_OPS_CMP(equals, fi, double, int64_t, == 0)
#undef FLOW_OPS_CMP

/* equals on two bools (a bool never equals a number). */
static inline int
flow_op_equals_bb(int a, int b, int *r)
{
	*r = (a != 0) == (b != 0);
	return FLOW_E_OK;
}

static inline int
flow_op_logical_not(int a, int *r)
{
	*r = !a;
	return FLOW_E_OK;
}

static inline int
flow_op_logical_and(int a, int b, int *r)
{
	*r = a && b;
	return FLOW_E_OK;
}

/* ---- multiply (DFFML's) on numbers: Python's * -------------------- */

static inline int
flow_op_multiply_ii(int64_t a, int64_t b, int64_t *r)
{
#ifdef FLOW_OPS_BUILTIN_OVERFLOW
	if (__builtin_mul_overflow(a, b, r))
		return FLOW_E_OVERFLOW;
#else
	int ovf;

	if (a > 0)
		ovf = b > 0 ? a > INT64_MAX / b : b < INT64_MIN / a;
	else if (b > 0)
		ovf = a < INT64_MIN / b;
	else
		ovf = a != 0 && b < INT64_MAX / a;
	if (ovf)
		return FLOW_E_OVERFLOW;
	*r = a * b;
#endif
	return FLOW_E_OK;
}

static inline int
flow_op_multiply_ff(double a, double b, double *r)
{
	double p = a * b;

	if (!isfinite(p))
		return FLOW_E_NOTFINITE;
	*r = p;
	return FLOW_E_OK;
}

static inline int
flow_op_multiply_if(int64_t a, double b, double *r)
{
	return flow_op_multiply_ff((double)a, b, r);
}

static inline int
flow_op_multiply_fi(double a, int64_t b, double *r)
{
	return flow_op_multiply_ff(a, (double)b, r);
}

/* ---- strings of bounded length (HLS kernels; spec/stdlib-ops.md §6) --
 *
 * A string is UTF-8 bytes s[0..n-1] with its length n.  A string result
 * goes to r, a buffer of cap bytes, with its length in *rn; one that
 * would be longer fails with FLOW_E_BOUND (r then holds a prefix).  r
 * must not overlap an argument.  Loops run at most n (or cap) times; no
 * library calls.  The results are those of stdlib-ops/ops_str.c: case
 * mapping and whitespace are ASCII only (whitespace is space and \t to
 * \r), and str_length counts code points, the bytes that are not UTF-8
 * continuation bytes (10xxxxxx). */

/* ASCII whitespace: ' ' and '\t' to '\r'. */
static inline int
flow_op_str_ws(uint8_t c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Bytes in [lo, hi] moved by delta, the others copied. */
static inline int
flow_op_str_map(const uint8_t *s, int32_t n, uint8_t lo, uint8_t hi, int delta,
    uint8_t *r, int32_t *rn, int32_t cap)
{
	int32_t i;

	if (n > cap)
		return FLOW_E_BOUND;
	for (i = 0; i < n; i++)
		r[i] = (uint8_t)(s[i] >= lo && s[i] <= hi ? s[i] + delta : s[i]);
	*rn = n;
	return FLOW_E_OK;
}

/* str_upper: ASCII a-z to A-Z. */
static inline int
flow_op_str_upper(const uint8_t *s, int32_t n, uint8_t *r, int32_t *rn, int32_t cap)
{
	return flow_op_str_map(s, n, 'a', 'z', 'A' - 'a', r, rn, cap);
}

/* str_lower: ASCII A-Z to a-z. */
static inline int
flow_op_str_lower(const uint8_t *s, int32_t n, uint8_t *r, int32_t *rn, int32_t cap)
{
	return flow_op_str_map(s, n, 'A', 'Z', 'a' - 'A', r, rn, cap);
}

/* str_length: the number of code points. */
static inline int
flow_op_str_length(const uint8_t *s, int32_t n, int64_t *r)
{
	int64_t k = 0;
	int32_t i;

	for (i = 0; i < n; i++)
		k += (s[i] & 0xC0) != 0x80;
	*r = k;
	return FLOW_E_OK;
}

/* str_strip: s without leading and trailing ASCII whitespace. */
static inline int
flow_op_str_strip(const uint8_t *s, int32_t n, uint8_t *r, int32_t *rn, int32_t cap)
{
	int32_t b = 0, e = n, i;

	while (b < e && flow_op_str_ws(s[b]))
		b++;
	while (e > b && flow_op_str_ws(s[e - 1]))
		e--;
	if (e - b > cap)
		return FLOW_E_BOUND;
	for (i = 0; i < e - b; i++)
		r[i] = s[b + i];
	*rn = e - b;
	return FLOW_E_OK;
}

/* str_concat: a followed by b. */
static inline int
flow_op_str_concat(const uint8_t *a, int32_t an, const uint8_t *b, int32_t bn,
    uint8_t *r, int32_t *rn, int32_t cap)
{
	int32_t i;

	if (an > cap || bn > cap - an)
		return FLOW_E_BOUND;
	for (i = 0; i < an; i++)
		r[i] = a[i];
	for (i = 0; i < bn; i++)
		r[an + i] = b[i];
	*rn = an + bn;
	return FLOW_E_OK;
}

/* Does t (tn > 0 bytes) occur in s at byte i? */
static inline int
flow_op_str_at(const uint8_t *s, int32_t n, int32_t i, const uint8_t *t, int32_t tn)
{
	int32_t j;

	if (tn > n - i)
		return 0;
	for (j = 0; j < tn && s[i + j] == t[j]; j++)
		;
	return j == tn;
}

/* str_contains: does sub occur in s ("" occurs everywhere)?  A UTF-8
 * string occurs in another only at code point boundaries. */
static inline int
flow_op_str_contains(const uint8_t *s, int32_t n, const uint8_t *sub, int32_t subn, int *r)
{
	int32_t i;

	*r = subn == 0;
	for (i = 0; i < n && !*r; i++)
		*r = flow_op_str_at(s, n, i, sub, subn);
	return FLOW_E_OK;
}

/* Two strings in code point order, which is UTF-8's byte order: -1, 0
 * or 1. */
static inline int
flow_op_str_cmp(const uint8_t *a, int32_t an, const uint8_t *b, int32_t bn)
{
	int32_t i;

	for (i = 0; i < an && i < bn; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return (an > bn) - (an < bn);
}

/* less_than, greater_than and equals on two strings. */
static inline int
flow_op_less_than_ss(const uint8_t *a, int32_t an, const uint8_t *b, int32_t bn, int *r)
{
	*r = flow_op_str_cmp(a, an, b, bn) < 0;
	return FLOW_E_OK;
}

static inline int
flow_op_greater_than_ss(const uint8_t *a, int32_t an, const uint8_t *b, int32_t bn, int *r)
{
	*r = flow_op_str_cmp(a, an, b, bn) > 0;
	return FLOW_E_OK;
}

static inline int
flow_op_equals_ss(const uint8_t *a, int32_t an, const uint8_t *b, int32_t bn, int *r)
{
	*r = flow_op_str_cmp(a, an, b, bn) == 0;
	return FLOW_E_OK;
}

/* str_replace: every non-overlapping occurrence of old (non-empty),
 * scanning left to right, replaced by new. */
static inline int
flow_op_str_replace(const uint8_t *s, int32_t n, const uint8_t *old, int32_t on,
    const uint8_t *new_, int32_t nn, uint8_t *r, int32_t *rn, int32_t cap)
{
	int32_t i = 0, k = 0, j;

	if (on == 0)
		return FLOW_E_RANGE;
	while (i < n) {
		if (flow_op_str_at(s, n, i, old, on)) {
			if (nn > cap - k)
				return FLOW_E_BOUND;
			for (j = 0; j < nn; j++)
				r[k + j] = new_[j];
			k += nn;
			i += on;
		} else {
			if (k == cap)
				return FLOW_E_BOUND;
			r[k++] = s[i++];
		}
	}
	*rn = k;
	return FLOW_E_OK;
}

/* str_to_int: s must be [+-]?[0-9]+ in full (FLOW_E_RANGE otherwise),
 * within int64 (FLOW_E_OVERFLOW). */
static inline int
flow_op_str_to_int(const uint8_t *s, int32_t n, int64_t *r)
{
	uint64_t mag = 0, limit;
	int32_t i = 0;
	int neg = n > 0 && s[0] == '-';

	if (n > 0 && (s[0] == '-' || s[0] == '+'))
		i++;
	if (i == n)
		return FLOW_E_RANGE;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		unsigned d = (unsigned)s[i] - '0';

		if (d > 9)
			return FLOW_E_RANGE;
		if (mag > (limit - d) / 10)
			return FLOW_E_OVERFLOW;
		mag = mag * 10 + d;
	}
	if (!neg)
		*r = (int64_t)mag;
	else if (mag > (uint64_t)INT64_MAX)
		*r = INT64_MIN;
	else
		*r = -(int64_t)mag;
	return FLOW_E_OK;
}

/* int_to_str: the decimal digits of a, '-' for negatives. */
static inline int
flow_op_int_to_str(int64_t a, uint8_t *r, int32_t *rn, int32_t cap)
{
	uint8_t buf[20];
	uint64_t u = a < 0 ? 0 - (uint64_t)a : (uint64_t)a;
	int32_t k = 0, i;

	do {
		buf[k++] = (uint8_t)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (k + (a < 0) > cap)
		return FLOW_E_BOUND;
	i = 0;
	if (a < 0)
		r[i++] = '-';
	while (k > 0)
		r[i++] = buf[--k];
	*rn = i;
	return FLOW_E_OK;
}

/* ---- arrays of ints of bounded length (HLS kernels; §7) ---------------
 *
 * An array is a[0..n-1] with its length n, every item an int (the test
 * bench gives the kernel no other); an array result goes to r, a buffer
 * of cap items, with its length in *rn, or fails with FLOW_E_BOUND. */

/* array_length: the number of items. */
static inline int
flow_op_array_length(const int64_t *a, int32_t n, int64_t *r)
{
	(void)a;
	*r = n;
	return FLOW_E_OK;
}

/* array_sum: the sum of the items, every partial sum checked. */
static inline int
flow_op_array_sum(const int64_t *a, int32_t n, int64_t *r)
{
	int64_t sum = 0;
	int32_t i;

	for (i = 0; i < n; i++)
		if (flow_op_add(sum, a[i], &sum) != FLOW_E_OK)
			return FLOW_E_OVERFLOW;
	*r = sum;
	return FLOW_E_OK;
}

/* array_range: [0, 1, ..., n-1] for 0 <= n <= 1000000. */
static inline int
flow_op_array_range(int64_t n, int64_t *r, int32_t *rn, int32_t cap)
{
	int32_t i;

	if (n < 0 || n > 1000000)
		return FLOW_E_RANGE;
	if (n > cap)
		return FLOW_E_BOUND;
	for (i = 0; i < (int32_t)n; i++)
		r[i] = i;
	*rn = (int32_t)n;
	return FLOW_E_OK;
}

#endif
