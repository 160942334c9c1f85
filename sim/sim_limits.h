/* sim_limits.h - the fixed sizes of the engine's plain-data structs, in one
 * place. Every buffer and table that a scenario fills has a bound here, so
 * that a scenario is one flat allocation and the loader can say which bound
 * an input exceeds. (Not "limits.h": sim/ is on the include path, and that
 * name would hide the C library's <limits.h>.) */
#ifndef SIM_SIM_LIMITS_H
#define SIM_SIM_LIMITS_H

/* Bytes of a short identifier (scenario name, instrument name, "YYYY-MM"),
 * the terminating NUL included. */
#define SIM_NAME_MAX 64

/* Bytes of a free text (a scenario's description, a --set value). */
#define SIM_TEXT_MAX 512

/* Bytes of a file path or a dotted key path (a --set key). */
#define SIM_PATH_MAX 1024

/* Sanction instruments and diplomatic items in one scenario. */
#define SIM_MAX_INSTRUMENTS 12

/* Scheduled events in a scenario's calendar. */
#define SIM_MAX_EVENTS 64

/* Parameters of one decision model (its key table's length). */
#define SIM_MODEL_MAX_PARAMS 16

/* `--set KEY=VALUE` overrides on one command line. */
#define SIM_MAX_SETS 64

/* Decision models a registry may list (for name lists in messages). */
#define SIM_MAX_MODELS 32

#endif
