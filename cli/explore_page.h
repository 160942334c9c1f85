/* explore_page.h - the files of the page of `sanctionsim explore`
 * (cli/explore_page/), built into the program: CMake generates their
 * table (cmake/embed_page.cmake) from the folder's files at build time. */
#ifndef SIM_CLI_EXPLORE_PAGE_H
#define SIM_CLI_EXPLORE_PAGE_H

#include <stddef.h>

typedef struct explore_file {
    const char *name; /* "index.html" */
    const char *type; /* its Content-Type */
    const unsigned char *data;
    size_t size;
} explore_file;

extern const explore_file explore_page_files[];
extern const int explore_page_nfiles;

#endif
