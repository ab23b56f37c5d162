/*
 * flowc.h: the compiler's one internal header (placeholder while the
 * front end is written).
 */
#ifndef FLOWC_H
#define FLOWC_H
#include "flowrt.h"
#endif
