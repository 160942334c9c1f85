/* config_int.h - integer literals wider than 32 bits in libconfig text
 * (config_int.c), for the readers of config_read.c. */
#ifndef SIM_CONFIG_INT_H
#define SIM_CONFIG_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <sanctionsim/error.h>

/* Copies text[0..size) into *out (malloc'd, NUL-terminated, for the caller
 * to free) with the `L` suffix added to every integer literal outside the
 * 32-bit range, which libconfig 1.5 would otherwise wrap modulo 2^32. With
 * refuse, such a literal is an error instead (for text that libconfig
 * reads by itself: included files). Returns 0; SIM_E_SCENARIO naming
 * label and line for a literal beyond the 64-bit range (or, with refuse,
 * beyond 32 bits without the suffix); SIM_E_NOMEM. */
int sim_cfg_widen_integers(const char *text, size_t size, const char *label,
                           bool refuse, char **out, sim_err *err);

#endif
