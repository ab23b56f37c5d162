/* flowops.h: typed scalar operations (placeholder). */
#ifndef FLOWOPS_H
#define FLOWOPS_H
#include <stdint.h>
#endif
