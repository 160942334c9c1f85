/* version.c - the library's version at run time. */
#include <sanctionsim/version.h>

const char *sim_version(void) { return SIM_VERSION; }
