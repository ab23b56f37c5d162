/*
 * fmtfloat.c: Python's repr() of a double, the canonical float text of
 * flowc's JSON output (stdlib-ops.md §1.4).
 *
 * Two steps.  First the digits: the shortest decimal that reads back as
 * the same double, and the nearest one when several are that short (what
 * Python's dtoa mode 0 gives).  The nearest p-digit decimal is "%.*e" at
 * precision p - 1, checked with strtod.  When d's rounding interval is
 * symmetric, reading back is monotone in p, so p is binary-searched in
 * 1..17 (17 always works).  A normal power of two has a lower half-gap
 * half the upper one: there the nearest p-digit decimal may fall out
 * below while the next one up still reads back, so p is searched
 * linearly trying both.  Then the layout repr uses: with decpt the
 * decimal point's position relative to the digits (value = 0.d1d2... x
 * 10^decpt), fixed notation when -4 < decpt <= 16, always with a digit
 * after the point; otherwise d1[.d2...]e±XX with at least two exponent
 * digits.  Checked against Python's repr on two million doubles.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flowrt.h"

/* A decimal d1.d2d3... x 10^exp; written out, value = 0.d1d2... x
 * 10^decpt with decpt = exp + 1. */
typedef struct digits {
	char d[24];
	int n;
	int exp;
	double back;            /* what strtod makes of it */
} digits;

/* Read "%.*e" output (d[.ddd]e±XX, any decimal point character). */
static void
parse_e(const char *s, digits *ds)
{
	ds->n = 0;
	for (; *s != 'e'; s++)
		if (*s >= '0' && *s <= '9')
			ds->d[ds->n++] = *s;
	ds->exp = atoi(s + 1);
}

/* The p-digit decimal nearest to d; returns whether it reads back as d. */
static int
nearest(double d, int p, digits *ds)
{
	char tmp[40];

	snprintf(tmp, sizeof tmp, "%.*e", p - 1, d);
	parse_e(tmp, ds);
	ds->back = strtod(tmp, NULL);
	return ds->back == d;
}

/* Add one unit in the last place of ds; returns whether it reads back as
 * d. */
static int
step_up(double d, digits *ds)
{
	char tmp[40];
	int i = ds->n - 1;

	while (i >= 0 && ds->d[i] == '9')
		ds->d[i--] = '0';
	if (i >= 0) {
		ds->d[i]++;
	} else {
		ds->d[0] = '1';
		ds->exp++;
	}
	snprintf(tmp, sizeof tmp, "%c.%.*se%d", ds->d[0], ds->n - 1, ds->d + 1,
	         ds->exp);
	return strtod(tmp, NULL) == d;
}

/* Shortest digits of a finite d > 0 that is not a power of two (its
 * rounding interval is symmetric): the nearest p-digit decimal reads back
 * for every p from the shortest up, so p can be binary-searched. */
static void
shortest_sym(double d, digits *ds)
{
	int lo = 1, hi = 17, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (nearest(d, mid, ds))
			hi = mid;
		else
			lo = mid + 1;
	}
	nearest(d, lo, ds);
}

/* Shortest digits of a normal power of two d: the interval below d is
 * half the one above, so the nearest p-digit decimal may fall out below
 * while the next one up still reads back (repr then takes that one). */
static void
shortest_pow2(double d, digits *ds)
{
	int p;

	for (p = 1; p < 17; p++) {
		if (nearest(d, p, ds))
			return;
		if (ds->back < d && step_up(d, ds))
			return;
	}
	nearest(d, 17, ds);
}

/* Shortest round-tripping digits of d > 0, trailing zeros removed. */
static void
shortest(double d, digits *ds)
{
	int e;

	if (frexp(d, &e) == 0.5 && d > DBL_MIN)
		shortest_pow2(d, ds);
	else
		shortest_sym(d, ds);
	while (ds->n > 1 && ds->d[ds->n - 1] == '0')
		ds->n--;
}

static char *
put_zeros(char *p, int n)
{
	while (n-- > 0)
		*p++ = '0';
	return p;
}

static char *
put_digits(char *p, const char *d, int n)
{
	memcpy(p, d, (size_t)n);
	return p + n;
}

/* 0.000ddd, ddd.ddd or ddd000.0 */
static char *
layout_fixed(char *p, const digits *ds, int decpt)
{
	if (decpt <= 0) {
		*p++ = '0';
		*p++ = '.';
		p = put_zeros(p, -decpt);
		return put_digits(p, ds->d, ds->n);
	}
	if (decpt < ds->n) {
		p = put_digits(p, ds->d, decpt);
		*p++ = '.';
		return put_digits(p, ds->d + decpt, ds->n - decpt);
	}
	p = put_digits(p, ds->d, ds->n);
	p = put_zeros(p, decpt - ds->n);
	*p++ = '.';
	*p++ = '0';
	return p;
}

/* d[.ddd]e±XX */
static char *
layout_sci(char *p, const digits *ds)
{
	int e = ds->exp;

	*p++ = ds->d[0];
	if (ds->n > 1) {
		*p++ = '.';
		p = put_digits(p, ds->d + 1, ds->n - 1);
	}
	return p + sprintf(p, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
}

/* Write repr(d) into buf (32 bytes) and return its length.  Non-finite
 * values, outside the contract, come out as repr does: inf, -inf, nan. */
int
flow_fmt_float(char *buf, double d)
{
	digits ds;
	char *p = buf;
	int decpt;

	if (d != d)
		return sprintf(buf, "nan");
	if (signbit(d)) {
		*p++ = '-';
		d = -d;
	}
	if (isinf(d))
		return (int)(p - buf) + sprintf(p, "inf");
	if (d == 0) {
		ds.d[0] = '0';
		ds.n = 1;
		ds.exp = 0;
	} else {
		shortest(d, &ds);
	}
	decpt = ds.exp + 1;
	if (decpt > -4 && decpt <= 16)
		p = layout_fixed(p, &ds, decpt);
	else
		p = layout_sci(p, &ds);
	*p = '\0';
	return (int)(p - buf);
}
