/* The diary layer's spelling distance, for "did you mean" in its parsers. */
#ifndef KN_DIARY_DISTANCE_H
#define KN_DIARY_DISTANCE_H

#include <stddef.h>

/* Levenshtein distance of a and b (64 for words longer than 63 bytes). */
size_t kn_diary_edit_distance(const char *a, const char *b);

#endif
