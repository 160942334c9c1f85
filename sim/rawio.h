/* rawio.h - whole reads and writes on file descriptors, and private
 * temporary files, for the spill and the external sort of the summary.
 *
 * Every error is SIM_E_IO with a message "cannot VERB the WHAT PATH: REASON"
 * (WHAT and PATH given by the caller), so a message always names the file. */
#ifndef SIM_RAWIO_H
#define SIM_RAWIO_H

#include <stddef.h>
#include <sys/types.h>

#include <sanctionsim/error.h>

/* Creates a file from template (a path ending in "XXXXXX", rewritten in
 * place to the file's name, as mkstemp does) and unlinks it at once: it
 * then lives only as the descriptor returned in *fd and vanishes when that
 * is closed, whatever happens. what names the file in messages ("spill
 * file"). On failure *fd is -1, or the still open (but maybe linked)
 * descriptor when only the unlink failed: close it either way. */
int sim_rawio_create_unlinked(char *template, int *fd, const char *what,
                              sim_err *err);

/* Writes len bytes of p at the descriptor's position, retrying short
 * writes and EINTR. */
int sim_rawio_write(int fd, const void *p, size_t len, const char *what,
                    const char *path, sim_err *err);

/* Reads len bytes at offset off into p (pread), retrying short reads and
 * EINTR; the end of the file before len bytes is an error ("it ends
 * early"). */
int sim_rawio_read_at(int fd, void *p, size_t len, off_t off,
                      const char *what, const char *path, sim_err *err);

#endif
