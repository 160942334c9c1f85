/* rawio.c - whole reads and writes on file descriptors, and private
 * temporary files (rawio.h). Raw descriptors with write and pread: a block
 * goes out in one call and comes back in one, with no stdio buffer in
 * between. */
#include "rawio.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

int sim_rawio_create_unlinked(char *template, int *fd, const char *what,
                              sim_err *err)
{
    *fd = mkstemp(template);
    if (*fd < 0)
        return sim_error(err, SIM_E_IO, "cannot create the %s %s: %s", what,
                         template, SIM_ERRNO_TEXT(errno));
    if (unlink(template) != 0)
        return sim_error(err, SIM_E_IO, "cannot unlink the %s %s: %s", what,
                         template, SIM_ERRNO_TEXT(errno));
    return SIM_OK;
}

int sim_rawio_write(int fd, const void *p, size_t len, const char *what,
                    const char *path, sim_err *err)
{
    const char *c = p;
    while (len > 0) {
        ssize_t w = write(fd, c, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = ENOSPC; /* no progress and no reason given */
            return sim_error(err, SIM_E_IO, "cannot write the %s %s: %s", what,
                             path, SIM_ERRNO_TEXT(errno));
        }
        c += w;
        len -= (size_t)w;
    }
    return SIM_OK;
}

int sim_rawio_read_at(int fd, void *p, size_t len, off_t off,
                      const char *what, const char *path, sim_err *err)
{
    char *c = p;
    while (len > 0) {
        ssize_t r = pread(fd, c, len, off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return sim_error(err, SIM_E_IO, "cannot read the %s %s: %s", what,
                             path, SIM_ERRNO_TEXT(errno));
        if (r == 0)
            return sim_error(err, SIM_E_IO,
                             "cannot read the %s %s: it ends early", what,
                             path);
        c += r;
        off += (off_t)r;
        len -= (size_t)r;
    }
    return SIM_OK;
}
