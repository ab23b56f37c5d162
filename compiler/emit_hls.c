/*
 * emit_hls.c: the HLS backend (placeholder until it is written).
 */
#include "flowc.h"

/* See flowc.h. */
int
hls_build(DiagSink *d, const Graph *g, const flow_prog *p, const Plan *plan,
    const HlsOpts *o, const char *dir, const char *source)
{
	(void)p; (void)plan; (void)o; (void)dir; (void)source;
	diag_error(d, (Pos){g->file, 0, 0}, "the HLS backend is not written yet");
	return 1;
}
