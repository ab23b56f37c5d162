/* main.c: the flowc driver (placeholder). */
#include "flowc.h"
int main(void) { return 0; }
