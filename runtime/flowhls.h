/*
 * flowhls.h: the vendor-neutral pragma layer of flowc's HLS kernels
 * (flowc-hls(7)).  flowc copies it next to every kernel it writes.
 *
 * A generated kernel never spells a pragma itself: it uses the macros
 * below, which expand through C99 _Pragma to one vendor's spelling, or
 * to nothing.  The vendor is chosen at build time with one of
 *
 *   -DFLOW_HLS_VENDOR_VITIS   AMD Vitis HLS
 *   -DFLOW_HLS_VENDOR_INTEL   Intel HLS Compiler (i++)
 *   -DFLOW_HLS_VENDOR_BAMBU   PandA Bambu (--generate-interface=INFER)
 *   -DFLOW_HLS_VENDOR_NONE    no pragmas: host C simulation, any C99 compiler
 *
 * and, when none is given, from the tool's own predefined macro
 * (__VITIS_HLS__, __INTELFPGA_COMPILER__, __BAMBU__); otherwise NONE.
 *
 * Vendors put their pragmas in different places, so each macro stands
 * where its pragma belongs for the vendors that have it and is empty
 * for the others:
 *
 *   FLOW_HLS_COMPONENT              before the top function's return type
 *   FLOW_HLS_TOP(fn)                in the top function's body
 *   FLOW_HLS_INTERFACE_AXIS(port)   in the top function's body
 *   FLOW_HLS_INTERFACE_AXILITE(port)
 *   FLOW_HLS_INTERFACE_CONTROL      (block control through AXI-lite)
 *   FLOW_HLS_DATAFLOW               in a function body (a dataflow region)
 *   FLOW_HLS_STREAM_DEPTH(var, n)   after the declaration of var
 *   FLOW_HLS_LOOP_II1               just before a loop statement
 *   FLOW_HLS_PIPELINE_II1           first thing in a loop body
 *
 * The forms each vendor gets are the only ones `make lint` accepts; the
 * table is in flowc-hls(7).  With -DFLOW_HLS_LINT the header, included
 * before the kernel (-include flowhls.h), also poisons the heap, alloca,
 * stdio and process control, so a kernel that uses them cannot compile.
 *
 * C99 (and C++: Intel's compiler is a C++ compiler).  Only macros and
 * constants; no code.
 */
#ifndef FLOWHLS_H
#define FLOWHLS_H

#if !defined(FLOW_HLS_VENDOR_VITIS) && !defined(FLOW_HLS_VENDOR_INTEL) && \
    !defined(FLOW_HLS_VENDOR_BAMBU) && !defined(FLOW_HLS_VENDOR_NONE)
#if defined(__VITIS_HLS__)
#define FLOW_HLS_VENDOR_VITIS 1
#elif defined(__INTELFPGA_COMPILER__)
#define FLOW_HLS_VENDOR_INTEL 1
#elif defined(__BAMBU__)
#define FLOW_HLS_VENDOR_BAMBU 1
#else
#define FLOW_HLS_VENDOR_NONE 1
#endif
#endif

/* HLS front ends get the portable overflow checks of flowops.h rather
 * than compiler builtins they may not synthesize; the results are the
 * same bit for bit. */
#if !defined(FLOW_HLS_VENDOR_NONE) && !defined(FLOW_OPS_NO_BUILTINS)
#define FLOW_OPS_NO_BUILTINS 1
#endif

/* Kernel status codes beyond flowops.h's FLOW_E_* (which are < 100). */
enum {
	FLOW_HLS_E_TYPE = 100,  /* an argument of the wrong type: the op raises */
	FLOW_HLS_E_HOST = 101   /* a case only the host orchestrator handles */
};

/* The run-time kind of a tagged value (a generic or float definition
 * that a context may give as int, float or bool).  A string is never
 * tagged: FLOW_HLS_STR only names the kind. */
enum {
	FLOW_HLS_INT = 0,
	FLOW_HLS_FLOAT = 1,
	FLOW_HLS_BOOL = 2,
	FLOW_HLS_STR = 3
};

/* The tokens of x, macros expanded, as a string literal (a bound in a
 * message). */
#define FLOW_HLS_STRINGIFY_(x) #x
#define FLOW_HLS_STRINGIFY(x) FLOW_HLS_STRINGIFY_(x)

/* _Pragma of the tokens x, macro arguments substituted first. */
#define FLOW_HLS_PRAGMA(x) _Pragma(#x)

#if defined(FLOW_HLS_VENDOR_VITIS)

#define FLOW_HLS_COMPONENT
#define FLOW_HLS_TOP(fn) FLOW_HLS_PRAGMA(HLS top name=fn)
#define FLOW_HLS_INTERFACE_AXIS(p) FLOW_HLS_PRAGMA(HLS interface mode=axis port=p)
#define FLOW_HLS_INTERFACE_AXILITE(p) FLOW_HLS_PRAGMA(HLS interface mode=s_axilite port=p)
#define FLOW_HLS_INTERFACE_CONTROL FLOW_HLS_PRAGMA(HLS interface mode=s_axilite port=return)
#define FLOW_HLS_DATAFLOW FLOW_HLS_PRAGMA(HLS dataflow)
#define FLOW_HLS_STREAM_DEPTH(v, n) FLOW_HLS_PRAGMA(HLS stream variable=v depth=n)
#define FLOW_HLS_LOOP_II1
#define FLOW_HLS_PIPELINE_II1 FLOW_HLS_PRAGMA(HLS pipeline II=1)

#elif defined(FLOW_HLS_VENDOR_INTEL)

/* i++ marks the top function with the `component` keyword; interfaces
 * are chosen by argument types (pointers: Avalon-MM hosts, scalars:
 * conduits), not by pragmas, and loops are pipelined by default. */
#if defined(__INTELFPGA_COMPILER__)
#define FLOW_HLS_COMPONENT component
#else
#define FLOW_HLS_COMPONENT
#endif
#define FLOW_HLS_TOP(fn)
#define FLOW_HLS_INTERFACE_AXIS(p)
#define FLOW_HLS_INTERFACE_AXILITE(p)
#define FLOW_HLS_INTERFACE_CONTROL
#define FLOW_HLS_DATAFLOW
#define FLOW_HLS_STREAM_DEPTH(v, n)
#define FLOW_HLS_LOOP_II1 FLOW_HLS_PRAGMA(ii 1)
#define FLOW_HLS_PIPELINE_II1

#elif defined(FLOW_HLS_VENDOR_BAMBU)

/* Bambu takes the top function from --top-fname and pipelines with
 * --pipelining or function-level pragmas; with
 * --generate-interface=INFER its interface pragmas may stand anywhere
 * inside the function they describe. */
#define FLOW_HLS_COMPONENT
#define FLOW_HLS_TOP(fn)
#define FLOW_HLS_INTERFACE_AXIS(p) FLOW_HLS_PRAGMA(HLS interface port=p mode=axis)
#define FLOW_HLS_INTERFACE_AXILITE(p) FLOW_HLS_PRAGMA(HLS interface port=p mode=none)
#define FLOW_HLS_INTERFACE_CONTROL
#define FLOW_HLS_DATAFLOW
#define FLOW_HLS_STREAM_DEPTH(v, n)
#define FLOW_HLS_LOOP_II1
#define FLOW_HLS_PIPELINE_II1

#else /* FLOW_HLS_VENDOR_NONE */

#define FLOW_HLS_COMPONENT
#define FLOW_HLS_TOP(fn)
#define FLOW_HLS_INTERFACE_AXIS(p)
#define FLOW_HLS_INTERFACE_AXILITE(p)
#define FLOW_HLS_INTERFACE_CONTROL
#define FLOW_HLS_DATAFLOW
#define FLOW_HLS_STREAM_DEPTH(v, n)
#define FLOW_HLS_LOOP_II1
#define FLOW_HLS_PIPELINE_II1

#endif

/* The lint's forced include: what a kernel may include, then poison for
 * everything a synthesizable kernel must not use. */
#if defined(FLOW_HLS_LINT) && defined(__GNUC__)
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#pragma GCC poison malloc calloc realloc free alloca aligned_alloc __builtin_alloca
#pragma GCC poison printf fprintf sprintf snprintf vprintf vfprintf puts fputs putchar
#pragma GCC poison fopen fclose fread fwrite fflush fgets getchar scanf sscanf FILE
#pragma GCC poison exit abort atexit system getenv time clock rand srand signal raise
#pragma GCC poison setjmp longjmp
#endif

#endif
