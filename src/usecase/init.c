/* kn_init: the library's one global initialisation (see include/knead/knead.h). */
#include <gsl/gsl_errno.h>
#include <pthread.h>
#include <string.h>

#include "base/text.h"
#include "knead/atlas.h"
#include "knead/knead.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static kn_err init_result;

static void keep_first_problem(void *ctx, const char *problem)
{
    size_t *seen = ctx;
    if ((*seen)++ == 0)
        kn_err_set(&init_result, KN_EINVAL, "the clinical tables compiled in are faulty: %s",
                   problem);
}

static void initialise(void)
{
    gsl_set_error_handler_off();
    char probe[8];
    kn_snprintf_c(probe, sizeof probe, "%.1f", 0.5); /* builds the "C" locale now */
    size_t seen = 0;
    kn_atlas_check(keep_first_problem, &seen);
}

kn_rc kn_init(kn_err *err)
{
    pthread_once(&init_once, initialise);
    if (err)
        *err = init_result;
    return init_result.code;
}
