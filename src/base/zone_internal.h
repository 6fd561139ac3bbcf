/* What the date and instant parsers share with the zone reader, inside the base layer. */
#ifndef KNEAD_BASE_ZONE_INTERNAL_H
#define KNEAD_BASE_ZONE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

/* Parses Z, +HH:MM, +HHMM or +HH within +-14:00; false when s is not such an offset. */
bool kn_offset_parse(const char *s, int32_t *offset_min);

#endif
