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
    KN_ENOMEM,    /* out of memory */
    KN_EREFUSED,  /* not allowed now: a screening verdict, a signed record, a pressure cap */
    KN_ETOOBIG,   /* over a size cap: a record, a document, a text */
    KN_EBUSY,     /* the database is busy with another writer: try again (HTTP 503) */
    KN_ECONFLICT, /* another writer changed the record first: read again (HTTP 409) */
} kn_rc;

#define KN_ERRMSG_MAX 512
#define KN_ERR_FIELD_MAX 48

/* An error: its code and its message for people. An error about one field of a request
 * also names that field in the domain's words ("pressure", "max_pressure", "at"; never a
 * face's flag or key) and splits the message into field, value and reason, so that each
 * face can say it in its own words ("--pressure 11: must be 1-10" for the CLI, a JSON
 * pointer for the API) with kn_err_value and kn_err_reason. */
typedef struct kn_err {
    kn_rc code;
    char msg[KN_ERRMSG_MAX];      /* "pressure 11: must be 1-10", or any text */
    char field[KN_ERR_FIELD_MAX]; /* "pressure"; "" when the error is not about one field */
    unsigned short value_at;      /* msg offset of the value ("11"), 0 = no value */
    unsigned short value_len;
    unsigned short reason_at; /* msg offset of the reason ("must be 1-10") */
} kn_err;

/* Records code and a printf-style message in err (which may be NULL); returns code. */
kn_rc kn_err_set(kn_err *err, kn_rc code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Records an error about one field: the message must begin with the field's name, then
 * optionally " VALUE", then ": REASON" ("pressure %d: must be 1-10"). Returns code. */
kn_rc kn_err_field(kn_err *err, kn_rc code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Records an error about one field whose message is free text (not "field value: reason"). */
kn_rc kn_err_about(kn_err *err, kn_rc code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Prefixes the message already in err with "prefix: " (the field stays named). */
void kn_err_prefix(kn_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kn_err_clear(kn_err *err);
/* The value and the reason of a field error as written into msg (copied into out). */
const char *kn_err_value(const kn_err *err, char *out, size_t cap);
const char *kn_err_reason(const kn_err *err);

/* The text of an errno value, copied into out (strerror_r: safe from any thread, unlike
 * strerror's shared buffer). Returns out. */
#define KN_ERRNO_TEXT_MAX 128
const char *kn_errno_text(int errnum, char *out, size_t cap);

#endif
