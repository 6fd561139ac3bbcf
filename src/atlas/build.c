/* The atlas is built once, whole, for the life of the process: every table, the sided
 * regions with their hash, the cross-checks and the ranking model. Readers on any thread
 * see it complete (pthread_once) and never changed after. */
#include <pthread.h>
#include <stdbool.h>

#include "atlas/load.h"

static pthread_once_t atlas_once = PTHREAD_ONCE_INIT;
/* The building thread's own lookups during the build (a muscle row naming a region) read
 * tables that are already complete, built in dependency order; they must not wait for the
 * build they are part of. */
static _Thread_local bool building;

static void build_atlas(void)
{
    building = true;
    kn_atlas_load_sources();
    kn_atlas_load_regions();
    kn_atlas_load_sided();
    kn_atlas_load_muscles();
    kn_atlas_load_conditions();
    kn_atlas_load_questions();
    kn_atlas_load_medications();
    kn_atlas_check_regions_covered();
    kn_atlas_build_ranking();
    building = false;
}

void kn_atlas_ready(void)
{
    if (!building)
        pthread_once(&atlas_once, build_atlas);
}
