/* limits.h - every fixed limit of the library, in one place: the sizes of
 * the plain-data structs (a scenario is one flat allocation, and the loader
 * can say which bound an input exceeds), the work and shock bounds of the
 * engine, the sizes of games, and the sizes of result names. Included as
 * <sanctionsim/limits.h>; it does not hide the C library's <limits.h>,
 * which is included with angle brackets and without the folder. */
#ifndef SIM_LIMITS_H
#define SIM_LIMITS_H

/* Bytes of a short identifier (scenario name, instrument name, "YYYY-MM"),
 * the terminating NUL included. */
#define SIM_NAME_MAX 64

/* Bytes of a free text (a scenario's description, a --set value). */
#define SIM_TEXT_MAX 512

/* Bytes of a file path or a dotted key path (a --set key). */
#define SIM_PATH_MAX 1024

/* Sanction instruments and diplomatic items in one scenario. */
#define SIM_MAX_INSTRUMENTS 12

/* Scenarios built one on another (`base = "..."`): at most this many
 * bases under a scenario. */
#define SIM_MAX_BASES 8

/* Scheduled events in a scenario's calendar. */
#define SIM_MAX_EVENTS 64

/* The most that events on at once may multiply by: an actor's political
 * weights (its elections' factors) or the mean of the drone incursions
 * (the exercises' factors). It is the most one event's `factor` may be;
 * overlapping events compound, and 52 elections of factor 1e6 would carry
 * the utilities beyond the range of a double. */
#define SIM_MAX_EVENT_PRODUCT 1e6

/* Parameters of one decision model (its key table's length). */
#define SIM_MODEL_MAX_PARAMS 16

/* `--set KEY=VALUE` overrides on one command line. */
#define SIM_MAX_SETS 64

/* Decision models a registry may list (for name lists in messages). */
#define SIM_MAX_MODELS 32

/* ---- The engine ---- */

/* The budget of one round, checked when a scenario is loaded and again by
 * sim_workspace_alloc (sim_scenario_check_work). Time: the steps a
 * round's bargaining may take, deals x stages summed over the two tracks;
 * a model that scans every deal at each stage (qre's logit offer is the
 * dearest, about 50 ns a deal on the development machine) then spends at
 * most about half a second on a round. Memory: the bytes of one worker's
 * workspace, almost all of it the bargaining game's deals (about 190
 * bytes each); every worker thread holds one. */
#define SIM_MAX_ROUND_WORK 1e7
#define SIM_MAX_ROUND_BYTES (256.0 * 1024 * 1024)

/* The largest mean a shock may reach after its multiplier, and the largest
 * count it may give in a round. GSL's samplers convert to unsigned int,
 * and with at most 1200 rounds the stocks stay far below INT_MAX
 * (1200 x 2 x 1e6 + 3e6), the limit of gsl_ran_binomial's trials. */
#define SIM_MAX_SHOCK_MEAN 1e6
#define SIM_MAX_SHOCK_COUNT 1e6

/* ---- Normal-form games (nfg.h) ---- */

/* Players, strategies per player, bytes of a name, and pure profiles of
 * one game. */
#define SIM_NFG_MAX_PLAYERS 8
#define SIM_NFG_MAX_STRATEGIES 64
#define SIM_NFG_NAME_MAX 64
#define SIM_NFG_MAX_PROFILES 1000000

/* Largest .nfg file sim_nfg_read_file accepts. */
#define SIM_NFG_MAX_FILE_BYTES ((size_t)256 << 20)

/* Longest .nfg token text kept (longer strings are measured but not
 * stored; the title, 255 bytes, is the longest string a game keeps), and
 * the longest number token accepted. */
#define SIM_NFG_TOKEN_MAX 256
#define SIM_NFG_NUMBER_MAX 64

/* Support enumeration needs nstrat[0] + nstrat[1] <= this. */
#define SIM_NFG_SUPPORT_MAX_STRATEGIES 20
/* ... and runs in exact rational arithmetic (GMP) when the sum is at most
 * this, in floating point with verification above it. */
#define SIM_NFG_EXACT_MAX_STRATEGIES 14

/* ---- Results ---- */

/* Size of a metric name buffer: room for every column name of runs.csv
 * (SIM_COLUMN_NAME_MAX; batch.c checks it when it compiles). */
#define SIM_STATS_METRIC_MAX 80

/* Longest fixed part put before a name from the scenario in a column name
 * ("lifted_round_" is the longest), with room to spare; columns.c checks
 * every such prefix against it when it compiles. */
#define SIM_COLUMN_PREFIX_MAX 16

/* Size of a column name buffer: every name the scenario loader accepts
 * (up to SIM_NAME_MAX - 1 characters) fits behind any prefix. */
#define SIM_COLUMN_NAME_MAX (SIM_COLUMN_PREFIX_MAX + SIM_NAME_MAX)

/* Columns of runs.csv and metrics of summary.csv in one run. */
#define SIM_MAX_COLUMNS 160

/* Bytes of an error message (sim_err), the terminating NUL included. */
#define SIM_ERR_MSG_MAX 1024

#endif
