/* The knead library as a whole: its one global initialisation. */
#ifndef KNEAD_KNEAD_H
#define KNEAD_KNEAD_H

#include "knead/error.h"

/* Builds everything the library shares between threads, once for the process (later calls
 * return the first call's result at once): the clinical atlas and its checks, the region
 * hash and the ranking model, the "C" locale for numbers; and turns GSL's default error
 * handler (which aborts the process) off, so GSL's errors come back as values. Call it
 * before anything else, from any thread. KN_EINVAL when the compiled-in tables have a
 * problem (the first one is in err); the library must not be used then. */
kn_rc kn_init(kn_err *err);

#endif
