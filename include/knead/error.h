/* Error codes and the error record that knead's handle-less functions fill in.
 * Functions return a kn_rc; handles (such as kn_store) keep their own last message. */
#ifndef KNEAD_ERROR_H
#define KNEAD_ERROR_H

#include <stddef.h>

typedef enum kn_rc {
    KN_OK = 0,
    KN_EINVAL,    /* a value is out of range or malformed */
    KN_ENOTFOUND, /* a referenced record does not exist */
    KN_EIO,       /* a file could not be read or written */
    KN_EDB,       /* the database failed */
    KN_EFOREIGN,  /* the file is not a knead database */
    KN_ENOMEM,    /* out of memory or over a size cap */
    KN_EREFUSED,  /* not allowed now: a screening verdict, a signed record, a pressure cap */
} kn_rc;

#define KN_ERRMSG_MAX 512

typedef struct kn_err {
    kn_rc code;
    char msg[KN_ERRMSG_MAX];
} kn_err;

/* Records code and a printf-style message in err (which may be NULL); returns code. */
kn_rc kn_err_set(kn_err *err, kn_rc code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefixes the message already in err with "prefix: ". */
void kn_err_prefix(kn_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kn_err_clear(kn_err *err);

/* The text of an errno value, copied into out (strerror_r: safe from any thread, unlike
 * strerror's shared buffer). Returns out. */
#define KN_ERRNO_TEXT_MAX 128
const char *kn_errno_text(int errnum, char *out, size_t cap);

#endif
